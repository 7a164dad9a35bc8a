#!/usr/bin/env bash
# Headless Neovim test of editors/nvim: builds the tree-sitter parser from
# grammar/src/parser.c, opens test/fixture in Neovim with the plugin on
# 'runtimepath', and checks highlighting and the xwalk language server.
# Usage: editors/nvim/test/run.sh NVIM XWALK_BIN
# Fails on any failed step, and after 180 s in all.
# With XWALK_CAPTURES_OUT=FILE, then also writes the winning highlight capture
# of every node of every .xwalk file of mappings/, grammar/test/highlight/ and
# the fixture to FILE (dump_captures.lua), for editors/vscode/test/agreement-files.cjs.
set -euo pipefail
NVIM=${1:?nvim binary}
XWALK_BIN=${2:?xwalk binary}
HERE=$(cd "$(dirname "$0")" && pwd)
PLUGIN=$(dirname "$HERE")
ROOT=$(cd "$PLUGIN/../.." && pwd)

"$NVIM" --version | sed -n 1p | grep -q '^NVIM v0\.1[1-9]\.' || { echo "needs Neovim 0.11 or newer" >&2; exit 1; }

# The plugin's queries are copies of grammar/queries: they must not drift.
for q in "$ROOT"/grammar/queries/*.scm; do
  cmp -s "$q" "$PLUGIN/queries/xwalk/$(basename "$q")" \
    || { echo "editors/nvim/queries/xwalk/$(basename "$q") differs from grammar/queries: copy it again" >&2; exit 1; }
done
echo "ok - editors/nvim/queries/xwalk matches grammar/queries"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/site/parser" "$tmp/cache" "$tmp/state" "$tmp/data"
cc -O1 -shared -fPIC -I "$ROOT/grammar/src" "$ROOT/grammar/src/parser.c" -o "$tmp/site/parser/xwalk.so"

export XWALK_BIN XWALK_FIXTURE="$HERE/fixture" XWALK_CACHE="$tmp/cache"
export XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
timeout 180 "$NVIM" --headless --clean \
  --cmd "set rtp^=$PLUGIN rtp+=$tmp/site" \
  -c "luafile $HERE/lsp_test.lua" </dev/null

if [[ -n ${XWALK_CAPTURES_OUT:-} ]]; then
  mapfile -t files < <(cd "$ROOT" && find mappings grammar/test/highlight editors/nvim/test/fixture -name '*.xwalk' | sort)
  (cd "$ROOT" && timeout 120 "$NVIM" --headless --clean --cmd "set rtp^=$PLUGIN rtp+=$tmp/site" \
    -l "$HERE/dump_captures.lua" "$XWALK_CAPTURES_OUT" "${files[@]}" </dev/null)
  echo "ok - tree-sitter captures of ${#files[@]} files written to $XWALK_CAPTURES_OUT"
fi

#!/usr/bin/env bash
# Screen dumps of Neovim 0.11 editing test/fixture/vendor.xwalk with the
# plugin, the tree-sitter parser and the xwalk language server, in tmux:
# the highlighting with diagnostics and inlay hints, and a hover. Writes
# OUT/nvim-highlight.{txt,ansi} and OUT/nvim-hover.{txt,ansi}; render the
# .ansi files to PNG with ansi2png.py (needs Pillow).
# Usage: editors/nvim/test/screenshot.sh NVIM XWALK_BIN OUT
set -euo pipefail
NVIM=$(realpath "${1:?nvim}"); XWALK_BIN=$(realpath "${2:?xwalk}"); OUT=${3:?out folder}
HERE=$(cd "$(dirname "$0")" && pwd); PLUGIN=$(dirname "$HERE"); ROOT=$(cd "$PLUGIN/../.." && pwd)
mkdir -p "$OUT"; OUT=$(realpath "$OUT")
tmp=$(mktemp -d); sock="$tmp/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/site/parser" "$tmp/cache"
cc -O1 -shared -fPIC -I "$ROOT/grammar/src" "$ROOT/grammar/src/parser.c" -o "$tmp/site/parser/xwalk.so"
cat > "$tmp/init.lua" <<LUA
vim.opt.rtp:prepend("$PLUGIN")
vim.opt.rtp:append("$tmp/site")
vim.o.termguicolors = true
vim.o.number = true
vim.o.winborder = "rounded"
vim.o.signcolumn = "yes"
vim.o.shortmess = vim.o.shortmess .. "I"
vim.diagnostic.config({ virtual_text = true })
vim.lsp.config("xwalk", { cmd = { "$XWALK_BIN", "lsp" }, init_options = { cacheDir = "$tmp/cache" } })
vim.lsp.enable("xwalk")
vim.api.nvim_create_autocmd("LspAttach", { callback = function(ev) vim.lsp.inlay_hint.enable(true, { bufnr = ev.buf }) end })
LUA
cd "$HERE/fixture"
tmux -S "$sock" -f /dev/null new-session -d -x 110 -y 28 \
  "env XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data TERM=tmux-256color COLORTERM=truecolor $NVIM --clean -u $tmp/init.lua vendor.xwalk"
sleep 4
tmux -S "$sock" capture-pane -p > "$OUT/nvim-highlight.txt"
tmux -S "$sock" capture-pane -e -p > "$OUT/nvim-highlight.ansi"
# Hover on etsi-en-303-645:5.1-1 (line 8).
tmux -S "$sock" send-keys ':call cursor(8, 44)' Enter
sleep 0.5
tmux -S "$sock" send-keys K
sleep 2
tmux -S "$sock" capture-pane -p > "$OUT/nvim-hover.txt"
tmux -S "$sock" capture-pane -e -p > "$OUT/nvim-hover.ansi"

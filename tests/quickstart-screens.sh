#!/usr/bin/env bash
# The screenshots of docs/quickstart.md, made from the real tools on a copy of
# the shipped mappings with the quick start's my-guide.xwalk added:
#   quickstart-completion.png  Neovim 0.11 with the plugin: completion after
#                              `etsi-en-303-645:` (tmux, rendered by ansi2png.py)
#   quickstart-check.png       `xwalk check` in a terminal, with one error
#   quickstart-site.png        the site's page of EN 303 645 V2.1.1 provision 5.1-1
#                              (headless Chromium)
# Usage: tests/quickstart-screens.sh NVIM XWALK_BIN OUT [CHROMIUM]
# Needs tmux, Pillow (for ansi2png.py) and Chromium; not run by tests/run.sh.
set -euo pipefail
NVIM=$(realpath "${1:?nvim}"); XWALK=$(realpath "${2:?xwalk}"); OUT=${3:?out folder}
CHROMIUM=${4:-/usr/bin/chromium}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PLUGIN="$ROOT/editors/nvim"
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"; OUT=$(realpath "$OUT")
tmp=$(mktemp -d); sock="$tmp/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT

cp -r "$ROOT/mappings" "$tmp/mappings"
ws="$tmp/mappings"
cat > "$ws/my-guide.xwalk" <<'XWALK'
document my-guide {
  title "Our Product Security Guide"
  publisher "Example Ltd"
  provision P-1 "Passwords" {
    text "Every device ships with a unique password, or the user sets one at first use."
  }
}

map my-guide:P-1 -> etsi-en-303-645:
XWALK

# 1. Neovim: completion after `etsi-en-303-645:`, ranked for P-1's text.
mkdir -p "$tmp/site/parser" "$tmp/cache"
cc -O1 -shared -fPIC -I "$ROOT/grammar/src" "$ROOT/grammar/src/parser.c" -o "$tmp/site/parser/xwalk.so"
cat > "$tmp/init.lua" <<LUA
vim.opt.rtp:prepend("$PLUGIN")
vim.opt.rtp:append("$tmp/site")
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.shortmess = vim.o.shortmess .. "I"
vim.o.completeopt = "menuone,noselect,popup"
vim.o.pumheight = 8
vim.lsp.config("xwalk", { cmd = { "$XWALK", "lsp" }, init_options = { cacheDir = "$tmp/cache" } })
vim.lsp.enable("xwalk")
LUA
cd "$ws"
tmux -S "$sock" -f /dev/null new-session -d -x 120 -y 24 \
  "env XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data TERM=tmux-256color COLORTERM=truecolor $NVIM --clean -u $tmp/init.lua my-guide.xwalk"
sleep 6
tmux -S "$sock" send-keys 'G' 'A'
sleep 0.5
tmux -S "$sock" send-keys C-x C-o
sleep 4
tmux -S "$sock" capture-pane -e -p > "$OUT/quickstart-completion.ansi"
tmux -S "$sock" send-keys Escape ':qa!' Enter
sleep 1
"$PYTHON" "$PLUGIN/test/ansi2png.py" "$OUT/quickstart-completion.ansi" "$OUT/quickstart-completion.png"

# 2. xwalk check with a typo, in a terminal (colours and all).
sed -i 's/etsi-en-303-645:$/etsi-en-303-645:5.1-9 {\n  relation equal-to\n}/' "$ws/my-guide.xwalk"
tmux -S "$sock" kill-server 2>/dev/null || true
tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 18 \
  "cd $ws && env TERM=tmux-256color $XWALK check my-guide.xwalk; sleep 30"
sleep 3
tmux -S "$sock" capture-pane -e -p > "$OUT/quickstart-check.ansi"
"$PYTHON" "$PLUGIN/test/ansi2png.py" "$OUT/quickstart-check.ansi" "$OUT/quickstart-check.png"

# 3. The site: the page of etsi-en-303-645:5.1-1 with my-guide mapped to it.
sed -i 's/etsi-en-303-645:5.1-9/etsi-en-303-645:5.1-1/' "$ws/my-guide.xwalk"
"$XWALK" site "$ws" --out "$tmp/site-out"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,900 \
  --screenshot="$OUT/quickstart-site.png" "file://$tmp/site-out/target/etsi-en-303-645/5.1-1.html" 2>/dev/null
ls -la "$OUT"

#!/usr/bin/env bash
# Checks the Emacs (eglot) snippet of docs/editors.md against the real server:
# loads the snippet as written in the doc, opens the Neovim test's fixture,
# connects eglot and checks the diagnostics, a hover and go to definition.
# Not run by tests/run.sh (it needs Emacs and eglot installed system-wide:
# apt-get install emacs-nox elpa-eglot). Usage: editors/emacs/eglot-test.sh XWALK_BIN
set -euo pipefail
XWALK_BIN=$(realpath "${1:?xwalk binary}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$ROOT/docs/editors.md" "$tmp/snippet.el" <<'PY'
import re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"## Emacs \(eglot\).*?```elisp\n(.*?)```", doc, re.S)
open(sys.argv[2], "w").write(m.group(1))
PY
cat > "$tmp/test.el" <<'EL'
(require 'eglot)
(setq exec-path (cons (file-name-directory (getenv "XWALK_BIN")) exec-path))
(load (getenv "SNIPPET"))
(defun xw-fail (fmt &rest args) (princ (apply #'format (concat "FAIL: " fmt "\n") args)) (kill-emacs 1))
(defun xw-wait (what pred)
  (let ((n 0))
    (while (and (not (funcall pred)) (< n 200)) (accept-process-output nil 0.1) (setq n (1+ n)))
    (unless (funcall pred) (xw-fail "timed out waiting for %s" what))))
(find-file (getenv "FIXTURE"))
(unless (eq major-mode 'xwalk-mode) (xw-fail "major mode is %s" major-mode))
(princ (format "ok - mode %s, comment-start %S\n" major-mode comment-start))
;; eglot-ensure (from the hook) connects after the next command; batch mode has none.
(unless (eglot-current-server) (apply #'eglot (eglot--guess-contact)))
(xw-wait "the server" (lambda () (eglot-current-server)))
(princ (format "ok - server %S\n" (process-command (jsonrpc--process (eglot-current-server)))))
(xw-wait "the unknown-provision diagnostic"
         (lambda () (seq-find (lambda (d) (string-match-p "unknown-provision" (flymake-diagnostic-text d)))
                              (flymake-diagnostics))))
(dolist (d (flymake-diagnostics))
  (princ (format "ok - diagnostic on line %d: %s\n" (line-number-at-pos (flymake-diagnostic-beg d))
                 (car (split-string (flymake-diagnostic-text d) "\n")))))
(goto-char (point-min))
(search-forward "etsi-en-303-645:5.1-1")
(backward-char 2)
(let* ((h (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams)))
       (v (plist-get (plist-get h :contents) :value)))
  (unless (and v (string-match-p "Where passwords are used" v)) (xw-fail "hover: %S" h))
  (princ "ok - hover shows the clause text\n"))
(let* ((defs (jsonrpc-request (eglot-current-server) :textDocument/definition (eglot--TextDocumentPositionParams)))
       (uri (plist-get (if (vectorp defs) (aref defs 0) defs) :uri)))
  (unless (and uri (string-match-p "etsi-en-303-645\\.xwalk\\'" uri)) (xw-fail "definition: %S" defs))
  (princ (format "ok - definition %s\n" uri)))
(kill-emacs 0)
EL
SNIPPET="$tmp/snippet.el" FIXTURE="$ROOT/editors/nvim/test/fixture/vendor.xwalk" XWALK_BIN="$XWALK_BIN" \
  XDG_CACHE_HOME="$tmp/cache" timeout 120 emacs --batch -l "$tmp/test.el" 2>&1 | grep -v '^Loading\|^\[eglot\]'
exit "${PIPESTATUS[0]}"

// The TextMate grammar agrees with the tree-sitter highlight queries: every
// assertion of grammar/test/highlight/*.xwalk (checked against
// grammar/queries/highlights.scm by `tree-sitter test`) must hold for the
// TextMate scopes too, through the table in ../tmgrammar.cjs.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const { ROOT, CAPTURE_TO_SCOPE, grammar, scopesAt } = require("../tmgrammar.cjs");

// tree-sitter's assertion comments: `# ^ capture` (the column of the caret,
// on the nearest code line above) and `# <- capture` (column 0).
function assertions(lines) {
  const out = [];
  let code = -1;
  lines.forEach((line, i) => {
    const m = /^#(\s*)(\^|<-)\s*(\S+)/.exec(line);
    if (m && code >= 0) {
      const col = m[2] === "<-" ? 0 : line.indexOf("^");
      out.push({ line: code, col, capture: m[3], src: i + 1 });
    } else if (!m) {
      code = i;
    }
  });
  return out;
}

test("the TextMate scopes agree with grammar/test/highlight", async () => {
  const g = await grammar();
  const dir = path.join(ROOT, "grammar/test/highlight");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".xwalk"));
  assert.ok(files.length > 0);
  let checked = 0;
  for (const f of files) {
    const lines = fs.readFileSync(path.join(dir, f), "utf8").split("\n");
    const toks = scopesAt(lines, g);
    for (const a of assertions(lines)) {
      const want = CAPTURE_TO_SCOPE[a.capture];
      assert.ok(want, `${f}:${a.src}: no TextMate scope for @${a.capture}: add it to CAPTURE_TO_SCOPE`);
      const tok = toks[a.line].find((t) => t.startIndex <= a.col && a.col < t.endIndex);
      assert.ok(tok, `${f}:${a.src}: no token at ${a.line + 1}:${a.col + 1}`);
      assert.ok(
        tok.scopes.some((s) => s.startsWith(want)),
        `${f}:${a.src}: @${a.capture} at ${a.line + 1}:${a.col + 1} ("${lines[a.line]}") has TextMate scopes ${tok.scopes.join(" ")}, wanted ${want}*`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 10, `only ${checked} assertions`);
});

test("every capture of highlights.scm has a TextMate scope", () => {
  const q = fs.readFileSync(path.join(ROOT, "grammar/queries/highlights.scm"), "utf8").replace(/;.*$/gm, "");
  const caps = new Set([...q.matchAll(/@([\w.]+)/g)].map((m) => m[1]));
  for (const c of caps) assert.ok(CAPTURE_TO_SCOPE[c], `@${c} has no TextMate scope`);
});

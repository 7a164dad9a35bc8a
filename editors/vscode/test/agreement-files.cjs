// The TextMate grammar agrees with grammar/queries/highlights.scm on real
// files: for every node that the tree-sitter queries capture (the capture that
// wins in Neovim, dumped by editors/nvim/test/dump_captures.lua), the TextMate
// token at the node's start has the corresponding scope.
// Usage: node test/agreement-files.cjs CAPTURES.json
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, CAPTURE_TO_SCOPE, grammar, scopesAt } = require("./tmgrammar.cjs");

async function main() {
  const captures = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const g = await grammar();
  let checked = 0;
  const bad = [];
  for (const [file, list] of Object.entries(captures)) {
    const lines = fs.readFileSync(path.resolve(ROOT, file), "utf8").split("\n");
    const toks = scopesAt(lines, g);
    for (const [row, col, capture] of list) {
      const want = CAPTURE_TO_SCOPE[capture];
      // Columns are bytes in tree-sitter, UTF-16 units in vscode-textmate.
      const c16 = Buffer.from(lines[row], "utf8").subarray(0, col).toString("utf8").length;
      const tok = toks[row].find((t) => t.startIndex <= c16 && c16 < t.endIndex);
      checked++;
      if (!want || !tok || !tok.scopes.some((s) => s.startsWith(want))) {
        bad.push(`${file}:${row + 1}:${c16 + 1}: @${capture} but TextMate has ${tok ? tok.scopes.slice(1).join(" ") : "no token"}\n    ${lines[row]}`);
      }
    }
  }
  const files = Object.keys(captures).length;
  if (bad.length > 0) {
    console.error(bad.slice(0, 30).join("\n"));
    console.error(`TextMate vs tree-sitter: ${bad.length} of ${checked} captures disagree (${files} files)`);
    process.exit(1);
  }
  console.log(`TextMate vs tree-sitter: all ${checked} captures agree in ${files} files`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

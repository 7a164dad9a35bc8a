// Shared by the agreement tests: the TextMate scope each tree-sitter capture
// of grammar/queries/highlights.scm maps to, and the TextMate grammar loaded
// with vscode-textmate.
const fs = require("node:fs");
const path = require("node:path");
const vsctm = require("vscode-textmate");
const onig = require("vscode-oniguruma");

const ROOT = path.join(__dirname, "../../..");
const CAPTURE_TO_SCOPE = {
  comment: "comment.line.number-sign.xwalk",
  keyword: "keyword.other.",
  operator: "keyword.operator.",
  "punctuation.delimiter": "punctuation.separator.",
  "punctuation.bracket": "punctuation.section.block.",
  string: "string.quoted.",
  property: "variable.other.property.xwalk",
  constant: "constant.other.value.xwalk",
  module: "entity.name.namespace.xwalk",
  label: "entity.name.label.xwalk",
  "markup.heading": "markup.heading.",
};

async function grammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s) => new onig.OnigScanner(s),
      createOnigString: (s) => new onig.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(fs.readFileSync(path.join(__dirname, "../syntaxes/xwalk.tmLanguage.json"), "utf8"), "xwalk.tmLanguage.json"),
  });
  return registry.loadGrammar("source.xwalk");
}

function scopesAt(lines, g) {
  let stack = vsctm.INITIAL;
  return lines.map((line) => {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens;
  });
}

module.exports = { ROOT, CAPTURE_TO_SCOPE, grammar, scopesAt };

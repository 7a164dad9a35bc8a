-- Writes the tree-sitter highlight capture that wins (the last matching
-- pattern of highlights.scm, as in Neovim) at the start of every captured
-- node, for each .xwalk file given, as JSON: { file: [[row, col, capture], ...] }.
-- Used to check the VS Code TextMate grammar against the queries on real files
-- (editors/vscode/test/agreement-files.cjs).
-- Usage: nvim --headless --clean --cmd "set rtp^=PLUGIN rtp+=PARSER_SITE" -l dump_captures.lua OUT FILE...
local out = assert(arg[1], "output file")
local query = vim.treesitter.query.get("xwalk", "highlights")
assert(query, "no highlights query for xwalk on 'runtimepath'")
local result = {}
for i = 2, #arg do
  local file = arg[i]
  local text = table.concat(vim.fn.readfile(file, "b"), "\n")
  local parser = vim.treesitter.get_string_parser(text, "xwalk")
  local root = parser:parse()[1]:root()
  local best = {}
  for pattern, match in query:iter_matches(root, text, 0, -1) do
    for id, nodes in pairs(match) do
      for _, node in ipairs(nodes) do
        local r, c = node:range()
        local key = r .. ":" .. c
        local b = best[key]
        if not b or pattern >= b[4] then
          best[key] = { r, c, query.captures[id], pattern }
        end
      end
    end
  end
  local list = {}
  for _, b in pairs(best) do
    list[#list + 1] = { b[1], b[2], b[3] }
  end
  table.sort(list, function(a, b)
    return a[1] < b[1] or (a[1] == b[1] and a[2] < b[2])
  end)
  result[file] = list
end
vim.fn.writefile({ vim.json.encode(result) }, out)

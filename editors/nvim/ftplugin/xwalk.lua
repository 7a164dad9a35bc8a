-- Crosswalk (.xwalk) buffers: comments, words, and tree-sitter highlighting
-- when the xwalk parser is installed (see docs/editors.md).
vim.bo.commentstring = "# %s"
vim.bo.comments = ":#"
-- Keep ids such as 5.1-1, GP-TM-23 and etsi-en-303-645 whole for `w`, `*`
-- and completion.
vim.opt_local.iskeyword:append({ ".", "-" })

if vim.g.xwalk_treesitter ~= false then
  -- vim.treesitter.start() fails (caught) when no parser for xwalk is found.
  local ok = pcall(vim.treesitter.language.add, "xwalk")
  if ok then
    pcall(vim.treesitter.start)
    vim.wo[0][0].foldexpr = "v:lua.vim.treesitter.foldexpr()"
  end
end

vim.b.undo_ftplugin = (vim.b.undo_ftplugin and (vim.b.undo_ftplugin .. " | ") or "")
  .. "setlocal commentstring< comments< iskeyword<"

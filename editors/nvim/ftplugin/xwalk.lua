-- Crosswalk (.xwalk) buffers: comments, words, and tree-sitter highlighting
-- and folding when the xwalk parser is installed (see docs/editors.md).
vim.bo.commentstring = "# %s"
vim.bo.comments = ":#"
-- Keep ids such as 5.1-1, GP-TM-23 and etsi-en-303-645 whole for `w`, `*`
-- and completion.
vim.opt_local.iskeyword:append({ ".", "-" })

local undo = "setlocal commentstring< comments< iskeyword<"

if vim.g.xwalk_treesitter ~= false then
  -- Neovim 0.11's vim.treesitter.language.add returns (nil, error) when no
  -- parser is found; older versions raise. Treat both as "no parser".
  local ok, added = pcall(vim.treesitter.language.add, "xwalk")
  if ok and added then
    if pcall(vim.treesitter.start) then
      -- Folds from queries/xwalk/folds.scm: one per block. Open by default.
      vim.wo[0][0].foldmethod = "expr"
      vim.wo[0][0].foldexpr = "v:lua.vim.treesitter.foldexpr()"
      vim.wo[0][0].foldlevel = 99
      undo = undo .. " | setlocal foldmethod< foldexpr< foldlevel<"
    end
  end
end

vim.b.undo_ftplugin = (vim.b.undo_ftplugin and (vim.b.undo_ftplugin .. " | ") or "") .. undo

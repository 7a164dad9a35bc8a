-- The Crosswalk language server, for Neovim 0.11's vim.lsp.config:
--
--   vim.lsp.enable("xwalk")
--
-- Override any field with vim.lsp.config("xwalk", { ... }), e.g. the binary:
--   vim.lsp.config("xwalk", { cmd = { "/path/to/xwalk", "lsp" } })
-- Settings are described in docs/server.md ("Settings").
---@type vim.lsp.Config
return {
  cmd = { "xwalk", "lsp" },
  filetypes = { "xwalk" },
  root_markers = { "xwalk.toml", ".git" },
  init_options = {
    inlayHints = true,
    codeLens = true,
    logLevel = "info",
  },
  settings = {
    xwalk = {
      inlayHints = true,
      codeLens = true,
      logLevel = "info",
    },
  },
}

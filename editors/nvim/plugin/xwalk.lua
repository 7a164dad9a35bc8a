-- What a curator needs of the xwalk language server without knowing Neovim's
-- defaults (docs/editors.md, "Neovim: what the plugin turns on"). When the
-- xwalk server attaches to a buffer:
--   * diagnostic text at the end of the line (virtual text) for xwalk's
--     diagnostics, which Neovim 0.11 no longer shows by default; not when
--     the diagnostics are already shown as text (virtual_text or
--     virtual_lines set by you) or you turned it off below;
--   * `gd` goes to the definition (Neovim's own `gd` only searches the
--     buffer), `K` is already hover; not when `gd` is mapped in the buffer;
--   * code lenses ("mapped by 3 sources from 2 organisations") shown and
--     kept up to date;
--   * inlay hints (the provision title after each reference) shown.
-- Turn any of them off before the plugin loads, e.g.:
--   vim.g.xwalk = { diagnostic_text = false, keymaps = false, code_lens = false, inlay_hints = false }
if vim.g.loaded_xwalk then
  return
end
vim.g.loaded_xwalk = true

local DEFAULTS = { diagnostic_text = true, keymaps = true, code_lens = true, inlay_hints = true }

local function option(name)
  local o = vim.g.xwalk
  if type(o) == "table" and o[name] ~= nil then
    return o[name]
  end
  return DEFAULTS[name]
end

-- Whether the user's global diagnostic configuration already shows text.
local function text_shown()
  local c = vim.diagnostic.config() or {}
  return (c.virtual_text and c.virtual_text ~= false) or (c.virtual_lines and c.virtual_lines ~= false)
end

local group = vim.api.nvim_create_augroup("xwalk", { clear = true })

vim.api.nvim_create_autocmd("LspAttach", {
  group = group,
  desc = "xwalk: diagnostic text, gd, code lenses and inlay hints",
  callback = function(ev)
    local client = vim.lsp.get_client_by_id(ev.data.client_id)
    if not client or client.name ~= "xwalk" then
      return
    end
    local buf = ev.buf
    if option("diagnostic_text") and not text_shown() then
      -- Only the namespaces of this client (pushed and pulled diagnostics).
      for _, pull in ipairs({ false, true }) do
        vim.diagnostic.config({ virtual_text = { source = false, spacing = 2 } }, vim.lsp.diagnostic.get_namespace(client.id, pull))
      end
    end
    if option("keymaps") and vim.fn.maparg("gd", "n", false, true).buffer ~= 1 then
      vim.keymap.set("n", "gd", vim.lsp.buf.definition, { buffer = buf, desc = "xwalk: go to definition" })
    end
    if option("inlay_hints") and client:supports_method("textDocument/inlayHint") then
      vim.lsp.inlay_hint.enable(true, { bufnr = buf })
    end
    if option("code_lens") and client:supports_method("textDocument/codeLens") then
      vim.lsp.codelens.refresh({ bufnr = buf })
      vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "TextChanged" }, {
        group = vim.api.nvim_create_augroup("xwalk_code_lens_" .. buf, { clear = true }),
        buffer = buf,
        desc = "xwalk: refresh code lenses",
        callback = function()
          vim.lsp.codelens.refresh({ bufnr = buf })
        end,
      })
    end
  end,
})

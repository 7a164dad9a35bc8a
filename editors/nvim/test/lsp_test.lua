-- Headless Neovim 0.11 test of the Crosswalk plugin (run by test/run.sh):
-- filetype, commentstring, tree-sitter highlighting and folding, and the language server
-- through vim.lsp.enable: diagnostics, completion, hover, go to definition; and
-- the plugin's defaults (plugin/xwalk.lua): diagnostic text, inlay hints, code
-- lenses and gd.
-- Every step has a timeout; the first failure ends Neovim with exit code 1.
local XWALK = assert(os.getenv("XWALK_BIN"), "XWALK_BIN")
local FIXTURE = assert(os.getenv("XWALK_FIXTURE"), "XWALK_FIXTURE")
local CACHE = assert(os.getenv("XWALK_CACHE"), "XWALK_CACHE")
local TIMEOUT = tonumber(os.getenv("XWALK_STEP_TIMEOUT") or "20000")

local passed, failed = 0, 0
local function out(s)
  io.stdout:write(s .. "\n")
  io.stdout:flush()
end
local function finish()
  out(string.format("nvim: %d passed, %d failed", passed, failed))
  -- Shut the server down (shutdown, exit) and wait for it to end, so that
  -- Neovim never writes to a closed pipe on the way out.
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop()
  end
  vim.wait(5000, function()
    return #vim.lsp.get_clients() == 0
  end, 50)
  vim.cmd(failed == 0 and "qall!" or "cquit 1")
end
local function step(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out("ok - " .. name)
  else
    failed = failed + 1
    out("not ok - " .. name .. "\n  " .. tostring(err):gsub("\n", "\n  "))
    finish()
  end
end
local function wait(what, cond)
  if not vim.wait(TIMEOUT, cond, 50) then
    error("timed out after " .. TIMEOUT .. " ms waiting for " .. what, 2)
  end
end
-- A position of `needle` in buffer `buf`: 0-based row and byte column.
local function find(buf, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
  error("not in the buffer: " .. needle, 2)
end
local function request(client, buf, method, row, col)
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  params.position = { line = row, character = col }
  if client.offset_encoding ~= "utf-8" then
    params.position.character = vim.str_utfindex(vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1], client.offset_encoding, col)
  end
  local res, err = client:request_sync(method, params, TIMEOUT, buf)
  if not res then
    error(method .. ": no answer: " .. tostring(err), 2)
  end
  if res.err then
    error(method .. ": " .. vim.inspect(res.err), 2)
  end
  return res.result
end

vim.lsp.config("xwalk", {
  cmd = { XWALK, "lsp" },
  init_options = { cacheDir = CACHE },
  settings = { xwalk = { cacheDir = CACHE } },
})
vim.lsp.enable("xwalk")

local file = FIXTURE .. "/vendor.xwalk"
vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client

step("filetype detection: *.xwalk is xwalk", function()
  assert(vim.bo[buf].filetype == "xwalk", "filetype is '" .. vim.bo[buf].filetype .. "'")
end)

step("ftplugin: commentstring and iskeyword", function()
  assert(vim.bo[buf].commentstring == "# %s", "commentstring is " .. vim.bo[buf].commentstring)
  local row, col = find(buf, "5.1-1")
  vim.api.nvim_win_set_cursor(0, { row + 1, col + 1 })
  assert(vim.fn.expand("<cword>") == "5.1-1", "<cword> is " .. vim.fn.expand("<cword>"))
end)

step("tree-sitter highlighting attaches", function()
  wait("the highlighter", function()
    return vim.treesitter.highlighter.active[buf] ~= nil
  end)
  vim.treesitter.get_parser(buf, "xwalk"):parse(true)
  local function captures(needle, offset)
    local row, col = find(buf, needle)
    local names = {}
    for _, c in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col + (offset or 0))) do
      names[#names + 1] = c.capture
    end
    return names
  end
  local function has(needle, cap, offset)
    local names = captures(needle, offset)
    assert(vim.tbl_contains(names, cap), needle .. ": captures " .. vim.inspect(names) .. ", wanted @" .. cap)
  end
  has("document vendor", "keyword")
  has("vendor-guide {", "module")
  has("title", "property")
  has('"Vendor Security', "string")
  has("subset-of", "constant")
  has("->", "operator")
  has("# Fixture", "comment")
  has("etsi-en-303-645:5.1-1", "label", #"etsi-en-303-645:")
end)

step("folding: the ftplugin folds each block with tree-sitter", function()
  assert(vim.wo.foldmethod == "expr", "foldmethod is " .. vim.wo.foldmethod)
  assert(vim.wo.foldexpr == "v:lua.vim.treesitter.foldexpr()", "foldexpr is " .. vim.wo.foldexpr)
  local start = find(buf, 'map vendor-guide:"3.1"') + 1
  wait("fold levels from the parser", function()
    return vim.fn.foldlevel(start + 1) >= 1
  end)
  vim.api.nvim_win_set_cursor(0, { start, 0 })
  vim.cmd("normal! zc")
  assert(vim.fn.foldclosed(start) == start, "fold starts at " .. vim.fn.foldclosed(start) .. ", wanted " .. start)
  assert(vim.fn.foldclosedend(start) == start + 3, "fold ends at " .. vim.fn.foldclosedend(start) .. ", wanted " .. (start + 3))
  vim.cmd("normal! zR")
end)

step("the server starts and attaches", function()
  wait("an xwalk client attached to the buffer", function()
    local c = vim.lsp.get_clients({ bufnr = buf, name = "xwalk" })[1]
    if c and c.initialized then
      client = c
      return true
    end
    return false
  end)
  assert(client.config.root_dir == FIXTURE, "root_dir is " .. tostring(client.config.root_dir))
end)

step("diagnostics: the broken reference etsi-en-303-645:5.1-9", function()
  local row, col = find(buf, "5.1-9")
  local found
  wait("an unknown-provision diagnostic", function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == "unknown-provision" then
        found = d
        return true
      end
    end
    return false
  end)
  assert(found.lnum == row, "diagnostic on line " .. found.lnum .. ", wanted " .. row)
  assert(found.col <= col and col <= found.end_col, "diagnostic columns " .. found.col .. "-" .. found.end_col)
  assert(found.severity == vim.diagnostic.severity.ERROR, "severity " .. found.severity)
  assert(found.message:find("5.1-9", 1, true), found.message)
  -- Only that one error in the file.
  local errors = vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR })
  assert(#errors == 1, "errors: " .. vim.inspect(errors))
end)

step("completion after etsi-en-303-645: offers 5.1-1", function()
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { "", 'map vendor-guide:"3.3" -> etsi-en-303-645:' })
  local row = last + 1
  local col = #vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
  local result = request(client, buf, "textDocument/completion", row, col)
  local items = result and (result.items or result) or {}
  local labels = {}
  for _, it in ipairs(items) do
    labels[#labels + 1] = it.label
  end
  assert(vim.tbl_contains(labels, "5.1-1"), "labels: " .. table.concat(labels, " "))
  vim.api.nvim_buf_set_lines(buf, last, -1, false, {})
end)

step("hover on etsi-en-303-645:5.1-1 shows the clause text", function()
  local row, col = find(buf, "etsi-en-303-645:5.1-1")
  local result = request(client, buf, "textDocument/hover", row, col + #"etsi-en-303-645:" + 1)
  assert(result and result.contents, "no hover")
  local text = type(result.contents) == "string" and result.contents or result.contents.value or vim.inspect(result.contents)
  assert(text:find("Where passwords are used", 1, true), "hover: " .. text)
  assert(text:find("No universal default passwords", 1, true), "hover: " .. text)
end)

-- The plugin's defaults (plugin/xwalk.lua): diagnostic text, code lenses,
-- inlay hints and gd, with nothing configured but vim.lsp.enable.
local function extmark_texts(ns)
  local texts = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
    local chunks = {}
    for _, c in ipairs(m[4].virt_text or {}) do
      chunks[#chunks + 1] = c[1]
    end
    texts[#texts + 1] = table.concat(chunks)
  end
  return texts
end

step("defaults: xwalk's diagnostics show their text at the end of the line", function()
  local shown
  wait("virtual text naming 5.1-9", function()
    for _, pull in ipairs({ false, true }) do
      local ns = vim.lsp.diagnostic.get_namespace(client.id, pull)
      local virt = vim.diagnostic.get_namespace(ns).user_data.virt_text_ns
      for _, t in ipairs(virt and extmark_texts(virt) or {}) do
        if t:find("5.1-9", 1, true) then
          shown = t
        end
      end
    end
    return shown ~= nil
  end)
  -- Only xwalk's namespaces: the global configuration is Neovim's default.
  assert(not vim.diagnostic.config().virtual_text, "global virtual_text: " .. vim.inspect(vim.diagnostic.config().virtual_text))
end)

step("defaults: inlay hints are on, showing the provision's text", function()
  assert(vim.lsp.inlay_hint.is_enabled({ bufnr = buf }), "inlay hints are off")
  local row = find(buf, "etsi-en-303-645:5.1-1")
  local labels = {}
  wait("an inlay hint on the 5.1-1 line", function()
    for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = buf })) do
      local l = h.inlay_hint.label
      if h.inlay_hint.position.line == row then
        labels[#labels + 1] = type(l) == "string" and l or vim.inspect(l)
      end
    end
    return #labels > 0
  end)
  -- 5.1-1 has no title of its own: the start of its text (which differs
  -- between the provisions of a clause), not the clause's title.
  assert(labels[1]:find("Where passwords are used", 1, true), "hints: " .. vim.inspect(labels))
end)

step("defaults: code lenses are shown and follow edits", function()
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, {
    "document lens-test { title \"Lens\" provision L-1 { text \"x\" } }",
    "map vendor-guide:\"9\" -> lens-test:L-1",
  })
  -- As when leaving insert mode after typing them: the plugin refreshes.
  vim.cmd("doautocmd <nomodeline> InsertLeave")
  local ns = vim.api.nvim_create_namespace("nvim.lsp.codelens:" .. client.id)
  local texts
  wait("a code lens on provision L-1", function()
    texts = extmark_texts(ns)
    for _, t in ipairs(texts) do
      if t:find("mapped by 1 source", 1, true) then
        return true
      end
    end
    return false
  end)
  vim.api.nvim_buf_set_lines(buf, last, -1, false, {})
end)

step("defaults: gd goes to the definition, in the catalog", function()
  local map = vim.fn.maparg("gd", "n", false, true)
  assert(map.buffer == 1, "gd is not mapped in the buffer: " .. vim.inspect(map))
  local row, col = find(buf, "etsi-en-303-645:5.1-1")
  vim.api.nvim_win_set_cursor(0, { row + 1, col + #"etsi-en-303-645:" + 1 })
  vim.cmd.normal("gd")
  wait("a jump to the etsi-en-303-645 catalog", function()
    return vim.api.nvim_get_current_buf() ~= buf
  end)
  local name = vim.api.nvim_buf_get_name(0)
  assert(name:find("etsi-en-303-645", 1, true), "jumped to " .. name)
  local line = vim.api.nvim_get_current_line()
  assert(line:find("provision 5.1-1", 1, true), "cursor on: " .. line .. " (" .. name .. ")")
end)

finish()

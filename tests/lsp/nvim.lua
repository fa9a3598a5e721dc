-- Neovim, headless, as a real client of `sitpress lsp` (run by tests/it/lsp.rs):
--   SITPRESS=<binary> SITE=<a copy of the example site> nvim --headless --clean -c "luafile tests/lsp/nvim.lua"
-- It opens a briefing, types a misspelled actor and waits for the diagnostic, completes in
-- `actors:`, hovers and jumps to the definition of an actor id, renames it across the site,
-- writes every buffer and runs `sitpress check`. Written for Neovim 0.7 (Debian 12's) and later.
-- Prints `ok: ...` per step; exits 0 when every step passed, 1 at the first failure.

local bin = assert(os.getenv("SITPRESS"), "SITPRESS names the binary")
local site = assert(os.getenv("SITE"), "SITE names the site")
local patience = 30000

local function fail(message)
  io.stderr:write("FAIL: " .. message .. "\n")
  os.exit(1)
end

local function ok(message)
  io.stdout:write("ok: " .. message .. "\n")
end

local function check(cond, message)
  if not cond then
    fail(message)
  end
end

local ready = false
local client_id = vim.lsp.start_client({
  name = "sitpress",
  cmd = { bin, "lsp" },
  root_dir = site,
  on_init = function()
    ready = true
  end,
})
check(client_id, "the server starts")
check(vim.wait(patience, function() return ready end, 20), "the server initializes")
local client = vim.lsp.get_client_by_id(client_id)
ok("initialized")

local file = site .. "/content/briefings/kazan-summit-dprk-troops.md"
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

-- The 0-based line whose text is `text`.
local function line_of(text)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l == text then
      return i - 1
    end
  end
  fail("no line `" .. text .. "`")
end

local function request(method, params)
  local responses = client.request_sync(method, params, patience, buf)
  check(responses and not responses.err, method .. " answers: " .. vim.inspect(responses))
  return responses.result
end

local function at(line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character } }
end

-- Diagnostics as you type: the buffer is not written.
local line = line_of("  - russia")
vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { "  - rusia" })
local found
check(vim.wait(patience, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.message == "unknown actor `rusia`" then
      found = d
      return true
    end
  end
  return false
end, 20), "a diagnostic for the misspelled actor")
check(found.lnum == line and found.col == 4 and found.end_col == 9, "its range is the id: " .. vim.inspect(found))
check(found.severity == vim.diagnostic.severity.ERROR, "it is an error")
ok("diagnostic on the unsaved buffer")
vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { "  - russia" })
check(vim.wait(patience, function() return #vim.diagnostic.get(buf) == 0 end, 20), "the fix clears it")
ok("diagnostic cleared")

-- Completion in `actors:`: every dossier's id.
local completion = request("textDocument/completion", at(line, 6))
local labels = {}
for _, item in ipairs(completion.items or completion) do
  labels[item.label] = item.detail
end
local dossiers = vim.fn.globpath(site .. "/content/actors", "*.md", false, true)
check(#dossiers > 10, "the site has dossiers")
for _, path in ipairs(dossiers) do
  local id = vim.fn.fnamemodify(path, ":t:r")
  check(labels[id], "completion offers " .. id)
end
check(labels["russia"] == "Russia (state)", "detailed by name and kind: " .. tostring(labels["russia"]))
ok("completion offers all " .. #dossiers .. " actors")

-- Hover and definition of an actor id.
local hover = request("textDocument/hover", at(line, 6))
check(hover.contents.value:find("**Russia** (`russia`)", 1, true) == 1, "hover names the actor: " .. vim.inspect(hover))
ok("hover")
local definition = request("textDocument/definition", at(line, 6))
definition = definition[1] or definition
check(vim.uri_to_fname(definition.uri) == vim.fn.resolve(site .. "/content/actors/russia.md"), "definition: " .. vim.inspect(definition))
ok("definition")

-- Rename across the site, then write everything and check.
local korea = line_of("  - north-korea")
local edit = request("textDocument/rename", vim.tbl_extend("force", at(korea, 6), { newName = "dprk" }))
vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
vim.cmd("silent! wall")
check(vim.fn.filereadable(site .. "/content/actors/dprk.md") == 1, "the dossier is renamed")
check(vim.fn.filereadable(site .. "/content/actors/north-korea.md") == 0, "the old dossier is gone")
check(vim.api.nvim_buf_get_lines(buf, korea, korea + 1, false)[1] == "  - dprk", "the open buffer is edited")
local out = vim.fn.system({ bin, "check", "--root", site })
check(vim.v.shell_error == 0, "the renamed site checks: " .. out)
ok("rename, then check passes")

vim.lsp.stop_client(client_id)
vim.cmd("qall!")
os.exit(0)

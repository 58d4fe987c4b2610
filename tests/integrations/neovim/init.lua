-- Neovim as the LSP client of `idemsql server`, run headless by tests/integrations/neovim.sh.
--
-- Opens $IDEMSQL_FILE, starts the server with Neovim's built-in client, waits for the
-- diagnostics, asks for a hover and the fix-all code action, applies its edit the way
-- Neovim applies edits, and writes everything it saw to $IDEMSQL_OUT as JSON. With
-- IDEMSQL_ENCODING=utf-8 the client offers UTF-8 through clangd's `offsetEncoding`; with
-- IDEMSQL_ENCODING=shipped it runs editors/neovim/idemsql.lua instead.
-- Works on Neovim 0.7 (Debian 12) and later.

local bin = assert(os.getenv('IDEMSQL_BIN'), 'IDEMSQL_BIN')
local file = assert(os.getenv('IDEMSQL_FILE'), 'IDEMSQL_FILE')
local out = assert(os.getenv('IDEMSQL_OUT'), 'IDEMSQL_OUT')
local encoding = os.getenv('IDEMSQL_ENCODING') or 'utf-16'

local function write(result)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local received = {}
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if encoding == 'utf-8' then
    capabilities.offsetEncoding = { 'utf-8', 'utf-16' }
  end
  local client_id = vim.lsp.start_client({
    name = 'idemsql',
    cmd = { bin, 'server' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    capabilities = capabilities,
    on_init = function(client, result)
      if result.offsetEncoding then
        client.offset_encoding = result.offsetEncoding
      end
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        table.insert(received, result)
        return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
      end,
    },
  })
  assert(client_id, 'the client did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)
  assert(vim.wait(30000, function() return #received > 0 end, 20), 'no publishDiagnostics within 30 s')
  local client = vim.lsp.get_client_by_id(client_id)

  -- The diagnostics as Neovim holds them: 0-based lines, byte columns.
  local held = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(held, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, message = d.message,
      code = lsp.code, href = (lsp.codeDescription or {}).href,
    })
  end
  table.sort(held, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)

  local uri = vim.uri_from_bufnr(bufnr)
  local first = received[#received].diagnostics[1]
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = first.range.start,
  }, 10000)
  local hover_text
  for _, r in pairs(hover or {}) do
    if r.result then hover_text = r.result.contents.value end
  end

  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = first.range,
    context = { diagnostics = received[#received].diagnostics, only = { 'source.fixAll' } },
  }, 10000)
  local applied = false
  for _, r in pairs(actions or {}) do
    for _, action in ipairs(r.result or {}) do
      if action.kind == 'source.fixAll.idemsql' then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        applied = true
      end
    end
  end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

  write({
    nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor),
    offset_encoding = client.offset_encoding,
    published = received,
    diagnostics = held,
    hover = hover_text or vim.NIL,
    fix_all_applied = applied,
    fixed = table.concat(lines, '\n') .. '\n',
  })
  vim.lsp.stop_client(client_id)
end

-- The configuration users copy, editors/neovim/idemsql.lua, as shipped: `idemsql` from the
-- PATH, attached by the FileType autocommand, fixed with :IdemsqlFixAll.
local function run_shipped()
  -- As in a user's Neovim; `-u <file>` leaves filetype detection off.
  vim.cmd('filetype on')
  dofile(assert(os.getenv('IDEMSQL_EDITOR_CONFIG'), 'IDEMSQL_EDITOR_CONFIG'))
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  assert(vim.bo[bufnr].filetype == 'sql', 'filetype is ' .. vim.bo[bufnr].filetype)
  assert(vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20), 'no diagnostics within 30 s')
  local codes = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(codes, ((d.user_data or {}).lsp or {}).code or vim.NIL)
  end
  table.sort(codes)
  vim.cmd('IdemsqlFixAll')
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  write({
    codes = codes,
    fixed = table.concat(lines, '\n') .. '\n',
  })
  vim.lsp.stop_client(vim.lsp.get_active_clients())
end

local ok, err = pcall(encoding == 'shipped' and run_shipped or run)
if not ok then
  write({ error = tostring(err) })
  vim.cmd('cquit 1')
end
vim.cmd('qall!')

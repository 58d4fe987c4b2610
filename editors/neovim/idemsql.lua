-- idemsql's language server in Neovim: diagnostics, quick fixes, fix all, and hover on
-- SQL files. Copy this file to ~/.config/nvim/plugin/idemsql.lua (or `dofile` it from your
-- init.lua). Needs `idemsql` on the PATH (cargo install --git https://github.com/idemsql/idemsql).
-- Works on Neovim 0.7 and later.
--
-- Settings: the nearest idemsql.toml above each file; `settings` below goes over it (same
-- fields: dialect, strategy, keys, schemaFiles, ...). See docs/integrations.md.
--
--   vim.lsp.buf.code_action()   quick fixes for the finding under the cursor
--   vim.lsp.buf.hover()         the finding, and the statement as it will be rewritten
--   :IdemsqlFixAll              apply every fix in the file (source.fixAll.idemsql)

local settings = {
  -- dialect = 'postgres',
}

local cmd = { 'idemsql', 'server' }

if vim.fn.has('nvim-0.11') == 1 then
  vim.lsp.config('idemsql', {
    cmd = cmd,
    filetypes = { 'sql' },
    root_markers = { 'idemsql.toml', '.git' },
    init_options = settings,
  })
  vim.lsp.enable('idemsql')
else
  -- Neovim 0.7 to 0.10: one client per project root.
  local clients = {}
  local function root_of(dir)
    local config = vim.fn.findfile('idemsql.toml', dir .. ';')
    if config ~= '' then
      return vim.fn.fnamemodify(config, ':p:h')
    end
    local git = vim.fn.finddir('.git', dir .. ';')
    if git ~= '' then
      return vim.fn.fnamemodify(git, ':p:h:h')
    end
    return dir
  end
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'sql',
    callback = function(args)
      local root = root_of(vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h'))
      local id = clients[root]
      if not id or not vim.lsp.get_client_by_id(id) then
        id = vim.lsp.start_client({
          name = 'idemsql',
          cmd = cmd,
          root_dir = root,
          init_options = settings,
        })
        clients[root] = id
      end
      if id then
        vim.lsp.buf_attach_client(args.buf, id)
      end
    end,
  })
end

-- Apply every fix in the buffer: the server's source.fixAll.idemsql code action.
vim.api.nvim_create_user_command('IdemsqlFixAll', function()
  local bufnr = vim.api.nvim_get_current_buf()
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = {
      start = { line = 0, character = 0 },
      ['end'] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 },
    },
    context = { only = { 'source.fixAll.idemsql' }, diagnostics = {} },
  }
  local results = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 5000)
  for client_id, response in pairs(results or {}) do
    local client = vim.lsp.get_client_by_id(client_id)
    for _, action in ipairs(response.result or {}) do
      if action.edit and client then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      end
    end
  end
end, { desc = 'idemsql: apply every fix in this file' })

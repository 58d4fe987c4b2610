-- idemsql's language server in Neovim: diagnostics, quick fixes, fix all, and hover on
-- SQL files. Copy this file to ~/.config/nvim/plugin/idemsql.lua (or require it from your
-- init.lua). Needs `idemsql` on the PATH (cargo install --git https://github.com/idemsql/idemsql).
--
-- Settings: the nearest idemsql.toml above each file; `init_options` below goes over it
-- (same fields: dialect, strategy, keys, schemaFiles, ...). See docs/integrations.md.

local settings = {
  -- dialect = 'postgres',
}

if vim.fn.has('nvim-0.11') == 1 then
  vim.lsp.config('idemsql', {
    cmd = { 'idemsql', 'server' },
    filetypes = { 'sql' },
    root_markers = { 'idemsql.toml', '.git' },
    init_options = settings,
  })
  vim.lsp.enable('idemsql')
else
  -- Neovim 0.8 to 0.10.
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'sql',
    callback = function(args)
      local dir = vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf))
      local marker = vim.fs.find({ 'idemsql.toml', '.git' }, { upward = true, path = dir })[1]
      vim.lsp.start({
        name = 'idemsql',
        cmd = { 'idemsql', 'server' },
        root_dir = marker and vim.fs.dirname(marker) or dir,
        init_options = settings,
      })
    end,
  })
end

-- :IdemsqlFixAll applies every fix in the current file (source.fixAll.idemsql).
vim.api.nvim_create_user_command('IdemsqlFixAll', function()
  vim.lsp.buf.code_action({
    context = { only = { 'source.fixAll.idemsql' }, diagnostics = {} },
    apply = true,
  })
end, { desc = 'idemsql: apply every fix in this file' })

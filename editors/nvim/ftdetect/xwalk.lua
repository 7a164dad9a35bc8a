-- Crosswalk mapping files.
vim.filetype.add({ extension = { xwalk = "xwalk" } })

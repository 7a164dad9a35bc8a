; Syntax highlighting for .xwalk files (Neovim, Helix and tree-sitter highlight).
; Later patterns take precedence in Neovim; keep the specific ones last.

(comment) @comment

[
  "document"
  "clause"
  "provision"
  "map"
] @keyword

"->" @operator

[
  ","
  ":"
] @punctuation.delimiter

[
  "{"
  "}"
] @punctuation.bracket

(string) @string
(block_string) @string

(field
  name: (identifier) @property)

(field
  value: (identifier) @constant)

(document
  id: (identifier) @module)

(clause
  id: (_) @label)

(provision
  id: (_) @label)

(clause
  title: (_) @markup.heading)

(provision
  title: (_) @markup.heading)

(reference
  document: (identifier) @module)

(reference
  id: (_) @label)

(map
  source: (identifier) @module)

(targets
  (identifier) @module)

; Folding ranges: every braced block and multi-line strings.
[
  (document)
  (clause)
  (provision)
  (map)
  (block_string)
] @fold

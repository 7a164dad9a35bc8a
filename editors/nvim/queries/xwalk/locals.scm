; Scopes, definitions and references for .xwalk files.
; Documents and provisions are definitions; references (DOC:ID) and
; bare document ids in `map`, `supersedes` and `cites` are references.

(source_file) @local.scope

(document
  id: (identifier) @local.definition.namespace)

(clause
  id: (_) @local.definition.label)

(provision
  id: (_) @local.definition.label)

(reference
  document: (identifier) @local.reference)

(reference
  id: (_) @local.reference)

(map
  source: (identifier) @local.reference)

(targets
  (identifier) @local.reference)

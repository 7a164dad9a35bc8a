//! The fields each kind of block accepts: the semantic half of the format
//! (the grammar accepts any `name value, ...`). docs/format.md lists the
//! same table; a test keeps them in step.

/// The kind of block a field is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Document,
    Clause,
    Provision,
    Map,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Document => "document",
            BlockKind::Clause => "clause",
            BlockKind::Provision => "provision",
            BlockKind::Map => "map",
        }
    }
}

/// What a field's value must look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A string (`"..."` or a `"""` block).
    Text,
    /// An `http://` or `https://` URL, as a string.
    Url,
    /// A date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as a string or bare.
    Date,
    /// A document id, bare.
    DocumentId,
    /// A reference `DOC:ID`.
    Reference,
    /// One of a fixed set of bare words.
    Enum(&'static [&'static str]),
    /// A whole number in an inclusive range, bare.
    Integer(u32, u32),
    /// A short label such as a version number: string or bare word.
    Label,
}

/// One field a block accepts.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: ValueKind,
    pub required: bool,
    /// Takes a comma-separated list of values.
    pub list: bool,
    /// May be given more than once in the same block.
    pub repeatable: bool,
    pub doc: &'static str,
}

const fn field(name: &'static str, kind: ValueKind, doc: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required: false,
        list: false,
        repeatable: false,
        doc,
    }
}

const fn required(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        required: true,
        ..spec
    }
}

const fn list(spec: FieldSpec) -> FieldSpec {
    FieldSpec { list: true, ..spec }
}

const fn repeatable(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        repeatable: true,
        ..spec
    }
}

/// The relation vocabulary: OSCAL 1.2 / NIST IR 8477 set-theory relations,
/// read "source RELATION target", plus `related` for an untyped crosswalk.
pub const RELATIONS: &[&str] = &[
    "related",
    "equal-to",
    "equivalent-to",
    "subset-of",
    "superset-of",
    "intersects-with",
    "no-relationship",
];

/// The relation a `map` has when it gives none.
pub const DEFAULT_RELATION: &str = "related";

/// NIST IR 8477 rationale values.
pub const RATIONALES: &[&str] = &["syntactic", "semantic", "functional"];

pub const DOCUMENT_FIELDS: &[FieldSpec] = &[
    required(field("title", ValueKind::Text, "The publication's title.")),
    field(
        "publisher",
        ValueKind::Text,
        "The organisation that published it.",
    ),
    field(
        "version",
        ValueKind::Label,
        "The edition or version, as printed.",
    ),
    field(
        "published",
        ValueKind::Date,
        "Publication date: YYYY, YYYY-MM or YYYY-MM-DD.",
    ),
    field("url", ValueKind::Url, "Where the publication can be read."),
    field(
        "supersedes",
        ValueKind::DocumentId,
        "The earlier edition this document replaces.",
    ),
    list(field(
        "cites",
        ValueKind::DocumentId,
        "Documents this one references.",
    )),
    field("note", ValueKind::Text, "A curator's note."),
    field(
        "copyright",
        ValueKind::Text,
        "The copyright or licence statement, as printed.",
    ),
    repeatable(field(
        "disclaimer",
        ValueKind::Text,
        "A disclaimer, as printed; one field per paragraph.",
    )),
];

pub const CLAUSE_FIELDS: &[FieldSpec] = &[
    field("text", ValueKind::Text, "Introductory text of the clause."),
    field("note", ValueKind::Text, "A curator's note."),
];

pub const PROVISION_FIELDS: &[FieldSpec] = &[
    field(
        "text",
        ValueKind::Text,
        "The provision's text, quoted from the standard.",
    ),
    field(
        "status",
        ValueKind::Text,
        "Status as printed, e.g. `M`, `R`, `M C (1)`.",
    ),
    repeatable(field(
        "condition",
        ValueKind::Text,
        "A condition or feature the status depends on, e.g. `1: passwords are used`.",
    )),
    field(
        "guidance",
        ValueKind::Text,
        "Supporting or explanatory text.",
    ),
    field(
        "applies-to",
        ValueKind::Text,
        "Who the provision primarily applies to.",
    ),
    list(field(
        "replaces",
        ValueKind::Reference,
        "The provision(s) of an earlier edition this one replaces.",
    )),
    field("note", ValueKind::Text, "A curator's note."),
];

pub const MAP_FIELDS: &[FieldSpec] = &[
    field(
        "relation",
        ValueKind::Enum(RELATIONS),
        "How the source relates to the target; default `related`.",
    ),
    field("excerpt", ValueKind::Text, "The source's text, quoted."),
    field("note", ValueKind::Text, "A curator's note."),
    field(
        "added",
        ValueKind::Label,
        "The dataset version the mapping was added in.",
    ),
    field(
        "rationale",
        ValueKind::Enum(RATIONALES),
        "Why the relation holds: syntactic, semantic or functional.",
    ),
    field(
        "strength",
        ValueKind::Integer(0, 10),
        "How strongly the relation holds, 0 to 10 (NIST IR 8477).",
    ),
    field(
        "url",
        ValueKind::Url,
        "Where the source can be read, when not at its document's `url`.",
    ),
    list(field(
        "derived",
        ValueKind::Reference,
        "Marks a derived, not curated, mapping: its chain, source first, target last (`xwalk derive`).",
    )),
];

/// The fields a block of the given kind accepts.
pub fn fields(kind: BlockKind) -> &'static [FieldSpec] {
    match kind {
        BlockKind::Document => DOCUMENT_FIELDS,
        BlockKind::Clause => CLAUSE_FIELDS,
        BlockKind::Provision => PROVISION_FIELDS,
        BlockKind::Map => MAP_FIELDS,
    }
}

pub fn lookup(kind: BlockKind, name: &str) -> Option<&'static FieldSpec> {
    fields(kind).iter().find(|f| f.name == name)
}

/// Is `id` a well-formed document id (`[a-z0-9][a-z0-9._-]*`)?
pub fn is_document_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

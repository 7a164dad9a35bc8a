//! tree-sitter's reading of the grammar, as an AST: a walk over the tree
//! of a text that tree-sitter parses without error, for the differential
//! tests (`fast_parse.rs`) and the benchmark. The crate reads the AST with
//! its hand parser only; this walk is what holds the editors' grammar
//! (`grammar/grammar.js`) equal to it.

use tree_sitter::{Node, Tree};
use xwalk::syntax::strings::{decode_block, decode_quoted};
use xwalk::syntax::{
    Clause, Document, Endpoint, Field, MAX_NESTING, Map, Name, Provision, Reference, SourceFile,
    StringValue, Text, Value,
};

/// The AST of `tree` (of `text`), and whether the grammar's reading holds
/// an error the hand parser must report too: a syntax error of the tree, a
/// bad escape, blocks nested deeper than `MAX_NESTING`, a clause or
/// provision in a provision or a map.
pub fn lower(text: &str, tree: &Tree) -> (SourceFile, bool) {
    let root = tree.root_node();
    let mut walk = Walk {
        text,
        error: root.has_error(),
    };
    let mut ast = SourceFile::default();
    let mut cursor = root.walk();
    for node in root.named_children(&mut cursor) {
        match node.kind() {
            "document" => ast.documents.extend(walk.document(node)),
            "map" => ast
                .maps
                .extend(walk.map(node).map(xwalk::syntax::MapAt::new)),
            _ => {}
        }
    }
    (ast, walk.error)
}

struct Walk<'a> {
    text: &'a str,
    error: bool,
}

impl Walk<'_> {
    fn raw(&self, node: Node) -> &str {
        &self.text[node.byte_range()]
    }

    fn quoted(&mut self, node: Node) -> Text {
        let (value, errors) = decode_quoted(self.raw(node));
        self.error |= !errors.is_empty();
        value.into()
    }

    fn name(&mut self, node: Node) -> Name {
        let quoted = node.kind() == "string";
        let text = if quoted {
            self.quoted(node)
        } else {
            self.raw(node).into()
        };
        Name::new(text, node.byte_range(), quoted)
    }

    fn string(&mut self, node: Node) -> StringValue {
        let block = node.kind() == "block_string";
        let value = if block {
            decode_block(self.raw(node)).into()
        } else {
            self.quoted(node)
        };
        StringValue::new(value, node.byte_range(), block)
    }

    fn reference(&mut self, node: Node) -> Option<Reference> {
        Some(Reference::new(
            self.name(node.child_by_field_name("document")?),
            self.name(node.child_by_field_name("id")?),
        ))
    }

    fn endpoint(&mut self, node: Node) -> Option<Endpoint> {
        match node.kind() {
            "reference" => self.reference(node).map(Endpoint::Reference),
            _ => Some(Endpoint::Document(self.name(node))),
        }
    }

    fn value(&mut self, node: Node) -> Option<Value> {
        Some(match node.kind() {
            "reference" => Value::Reference(Box::new(self.reference(node)?)),
            "identifier" => Value::Word(self.name(node)),
            _ => Value::String(self.string(node)),
        })
    }

    /// The fields, clauses and provisions of the `body` of a node; `depth`
    /// blocks enclose it. `fields_only` in a provision or a map.
    fn block(&mut self, body: Option<Node>, depth: usize, fields_only: bool) -> Items {
        let mut items = Items::default();
        let Some(body) = body else { return items };
        if depth >= MAX_NESTING {
            self.error = true;
            return items;
        }
        let mut cursor = body.walk();
        for child in body.named_children(&mut cursor) {
            match child.kind() {
                "field" => items.0.extend(self.field(child)),
                "clause" | "provision" if fields_only => self.error = true,
                "clause" => items.1.extend(self.clause(child, depth)),
                "provision" => items.2.extend(self.provision(child, depth)),
                _ => {}
            }
        }
        items
    }

    fn field(&mut self, node: Node) -> Option<Field> {
        let name = self.name(node.child_by_field_name("name")?);
        let mut cursor = node.walk();
        let values = node
            .children_by_field_name("value", &mut cursor)
            .collect::<Vec<_>>();
        let values = values.into_iter().filter_map(|v| self.value(v)).collect();
        Some(Field::new(name, values))
    }

    fn title(&mut self, node: Node) -> Option<StringValue> {
        node.child_by_field_name("title").map(|t| self.string(t))
    }

    fn clause(&mut self, node: Node, depth: usize) -> Option<Clause> {
        let id = self.name(node.child_by_field_name("id")?);
        let title = self.title(node);
        let (fields, clauses, provisions) =
            self.block(node.child_by_field_name("body"), depth + 1, false);
        Some(Clause {
            id,
            title,
            range: node.byte_range(),
            has_error: false,
            fields,
            clauses,
            provisions,
        })
    }

    fn provision(&mut self, node: Node, depth: usize) -> Option<Provision> {
        let id = self.name(node.child_by_field_name("id")?);
        let title = self.title(node);
        let (fields, _, _) = self.block(node.child_by_field_name("body"), depth + 1, true);
        Some(Provision {
            id,
            title,
            range: node.byte_range(),
            has_error: false,
            fields,
        })
    }

    fn document(&mut self, node: Node) -> Option<Document> {
        let id = self.name(node.child_by_field_name("id")?);
        let (fields, clauses, provisions) = self.block(node.child_by_field_name("body"), 0, false);
        Some(Document {
            id,
            range: node.byte_range(),
            has_error: false,
            fields,
            clauses,
            provisions,
        })
    }

    fn map(&mut self, node: Node) -> Option<Map> {
        let source = self.endpoint(node.child_by_field_name("source")?)?;
        let targets_node = node.child_by_field_name("targets")?;
        let mut cursor = targets_node.walk();
        let targets = targets_node
            .named_children(&mut cursor)
            .filter(|t| t.kind() != "comment")
            .collect::<Vec<_>>()
            .into_iter()
            .filter_map(|t| self.endpoint(t))
            .collect();
        let body = node.child_by_field_name("body");
        let (fields, _, _) = self.block(body, 0, true);
        // The head ends before the block, without the whitespace.
        let head_end = body.map_or(node.end_byte(), |b| b.start_byte());
        let head_end = self.text[..head_end]
            .trim_end()
            .len()
            .max(node.start_byte());
        Some(Map::new(
            (source, targets),
            node.byte_range(),
            node.start_byte()..head_end,
            fields,
            false,
        ))
    }
}

type Items = (Vec<Field>, Vec<Clause>, Vec<Provision>);

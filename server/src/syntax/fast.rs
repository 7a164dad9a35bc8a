//! The fast path for loading files from disk: a hand-written parser that
//! builds the AST of a file **without syntax errors** straight from its
//! text, skipping the tree-sitter tree and the walk over it.
//!
//! Loading a workspace parses every file once, and almost every file on
//! disk is free of errors. For those, tree-sitter's work (a tree of every
//! token, then a cursor walk to lower it) is about four times the work of
//! reading the text once by hand. This parser accepts only text it is sure
//! of and gives up (`None`) on anything else: then the caller parses with
//! tree-sitter as always, which reports the errors and recovers from them.
//!
//! The contract, tested in `tests/fast_parse.rs` against tree-sitter on
//! generated and mutated files and on every file shipped in the repository:
//! when [`parse`] returns an AST, tree-sitter parses the same text without
//! a syntax error and [`super::parse`] lowers it to the same AST. So the
//! fast path changes how quickly a file is read, never what is read.
//!
//! The grammar it follows is `grammar/grammar.js` (see docs/format.md);
//! a change to the grammar needs the same change here, and the differential
//! tests fail until it is made. Where tree-sitter's lexing has a subtlety,
//! this parser is stricter and gives up:
//!
//! * whitespace is ASCII (` `, `\t`, `\n`, `\r`); any other character
//!   between tokens gives up (tree-sitter's `\s` is wider);
//! * a keyword (`document`, `map` at the top level, `clause`, `provision`
//!   at the start of a block item) is a keyword only where the grammar
//!   allows one: elsewhere the same word is an identifier, as tree-sitter's
//!   keyword extraction decides;
//! * a `"""` block string must be closed, and not followed by another `"`;
//!   a quoted id (after `DOC:` or as a clause or provision id) cannot start
//!   with `"""`;
//! * a line that begins a top-level block (`lexical::starts_block`) but
//!   is not where one begins, being inside a block or a `"""` string: the
//!   lowering reads the text piece by piece then;
//! * a string with an invalid escape, a clause or provision where none may
//!   be (in a provision or a map), and blocks nested deeper than
//!   [`MAX_NESTING`] give up: the lowering reports those.

use memchr::{memchr, memmem};
use smallvec::SmallVec;

use super::strings::{decode_block, decode_quoted};
use super::*;

/// The AST of `text` when it has no syntax error and this parser is sure
/// of it; `None` otherwise (then parse with tree-sitter).
pub fn parse(text: &str) -> Option<super::SourceFile> {
    // tree-sitter reads a NUL as the end of the input.
    if memchr(0, text.as_bytes()).is_some() {
        return None;
    }
    let mut p = Parser {
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
        words: Words::default(),
    };
    p.file()
}

/// Gives up: the file is parsed with tree-sitter instead.
type Res<T> = Option<T>;

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Bare words are shared, as in the lowering.
    words: Words,
}

/// What a block holds: its fields, clauses and provisions.
type Items = (Vec<Field>, Vec<Clause>, Vec<Provision>);

/// What a block may hold: fields always; clauses and provisions only in a
/// document or a clause.
#[derive(Clone, Copy, PartialEq)]
enum Holds {
    Everything,
    FieldsOnly,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace and comments.
    fn trivia(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'#' => self.pos = lines::end_of_line(self.src, self.pos),
                _ => break,
            }
        }
    }

    /// Consumes `token` when it comes next (after trivia).
    fn eat(&mut self, token: &[u8]) -> bool {
        self.trivia();
        if self.bytes[self.pos..].starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    /// A bare word (`[A-Za-z0-9_][A-Za-z0-9._-]*`) starting here.
    fn word(&mut self) -> Res<TextRange> {
        let start = self.pos;
        let len = lexical::word_len(&self.bytes[start..]);
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(start..self.pos)
    }

    /// A word that is not the start of a reference (`DOC:`), as a name.
    fn plain_word(&mut self) -> Res<Name> {
        let range = self.word()?;
        if self.peek() == Some(b':') {
            return None;
        }
        Some(self.name(range))
    }

    fn name(&mut self, range: TextRange) -> Name {
        Name {
            text: self.words.get(&self.src[range.clone()]),
            range,
            quoted: false,
        }
    }

    /// A one-line `"..."` string starting here: its range.
    fn quoted(&mut self) -> Res<TextRange> {
        let start = self.pos;
        if self.bytes[start..].starts_with(b"\"\"\"") || self.peek() != Some(b'"') {
            return None;
        }
        let mut i = start + 1;
        loop {
            i += self.bytes[i..]
                .iter()
                .position(|&b| matches!(b, b'"' | b'\\' | b'\n' | b'\r'))?;
            match self.bytes[i] {
                b'"' => break,
                // An escape takes the next character, except a line end.
                b'\\'
                    if self
                        .bytes
                        .get(i + 1)
                        .is_some_and(|&b| !lines::is_break_byte(b)) =>
                {
                    i += 2
                }
                _ => return None,
            }
        }
        self.pos = i + 1;
        Some(start..self.pos)
    }

    /// The decoded value of the `"..."` literal at `range`: the text
    /// between the quotes when it holds no escape (most strings: one
    /// allocation, no copy through a `String`), else [`decode_quoted`].
    fn quoted_text(&self, range: &TextRange) -> Res<Text> {
        let inner = &self.src[range.start + 1..range.end - 1];
        if memchr(b'\\', inner.as_bytes()).is_none() {
            return Some(Text::from(inner));
        }
        let (text, errors) = decode_quoted(&self.src[range.clone()]);
        errors.is_empty().then(|| text.into())
    }

    /// A quoted id (`DOC:"..."`, `clause "..."`).
    fn quoted_name(&mut self) -> Res<Name> {
        let range = self.quoted()?;
        Some(Name {
            text: self.quoted_text(&range)?,
            range,
            quoted: true,
        })
    }

    /// A `"..."` or `"""..."""` string starting here.
    fn string(&mut self) -> Res<StringValue> {
        let start = self.pos;
        if !self.bytes[start..].starts_with(b"\"\"\"") {
            let range = self.quoted()?;
            return Some(StringValue {
                value: self.quoted_text(&range)?,
                range,
                block: false,
            });
        }
        let close = memmem::find(&self.bytes[start + 3..], b"\"\"\"")?;
        let end = start + 3 + close + 3;
        if self.bytes.get(end) == Some(&b'"') {
            return None;
        }
        self.pos = end;
        Some(StringValue {
            value: decode_block(&self.src[start..end]).into(),
            range: start..end,
            block: true,
        })
    }

    /// An endpoint starting here: `DOC`, `DOC:ID` or `DOC:"ID"`.
    fn endpoint_here(&mut self) -> Res<Endpoint> {
        let doc = self.word()?;
        if self.peek() != Some(b':') {
            return Some(Endpoint::Document(self.name(doc)));
        }
        self.pos += 1;
        let id = match self.peek()? {
            b'"' => self.quoted_name()?,
            _ => {
                let r = self.word()?;
                self.name(r)
            }
        };
        let document = self.name(doc.clone());
        Some(Endpoint::Reference(Reference {
            range: doc.start..id.range.end,
            document,
            id,
        }))
    }

    fn endpoint(&mut self) -> Res<Endpoint> {
        self.trivia();
        self.endpoint_here()
    }

    /// A string, or a bare word or reference (written like an endpoint).
    fn value(&mut self) -> Res<Value> {
        self.trivia();
        if self.peek()? == b'"' {
            return self.string().map(Value::String);
        }
        Some(match self.endpoint_here()? {
            Endpoint::Document(name) => Value::Word(name),
            Endpoint::Reference(reference) => Value::Reference(Box::new(reference)),
        })
    }

    /// A clause or provision id: a word or a quoted id.
    fn id(&mut self) -> Res<Name> {
        self.trivia();
        if self.peek()? == b'"' {
            self.quoted_name()
        } else {
            self.plain_word()
        }
    }

    /// An optional title: a string right after the id.
    fn title(&mut self) -> Res<Option<StringValue>> {
        self.trivia();
        if self.peek() == Some(b'"') {
            self.string().map(Some)
        } else {
            Some(None)
        }
    }

    fn file(&mut self) -> Res<super::SourceFile> {
        // Every line that begins a block must begin one of these (one
        // inside a block or a `"""` string ends it: the lowering reports
        // that). Counted first, to size the list of maps once.
        let block_lines = lexical::block_starts(self.src).count();
        let mut ast = super::SourceFile {
            documents: Vec::new(),
            maps: Vec::with_capacity(block_lines),
        };
        // Blocks whose keyword is the first thing on its line.
        let mut first_on_line = 0;
        loop {
            self.trivia();
            if self.pos == self.bytes.len() {
                break;
            }
            let start = self.pos;
            if start == 0 || lines::is_break_byte(self.bytes[start - 1]) {
                first_on_line += 1;
            }
            let word = self.word()?;
            match &self.src[word] {
                "document" => ast.documents.push(self.document(start)?),
                "map" => ast.maps.push(std::sync::Arc::new(self.map(start)?)),
                _ => return None,
            }
        }
        // A block's keyword is followed by whitespace or `#`, so each line
        // that begins one is one of the lines counted.
        if block_lines != first_on_line {
            return None;
        }
        ast.documents.shrink_to_fit();
        ast.maps.shrink_to_fit();
        Some(ast)
    }

    /// The rest of a `document` block, after the keyword at `start`.
    fn document(&mut self, start: usize) -> Res<Document> {
        self.trivia();
        let id = self.plain_word()?;
        if !self.eat(b"{") {
            return None;
        }
        let (fields, clauses, provisions) = self.block(Holds::Everything, 0)?;
        Some(Document {
            id,
            range: start..self.pos,
            has_error: false,
            fields,
            clauses,
            provisions,
        })
    }

    /// The items of a block after its `{`, up to and with its `}`.
    fn block(&mut self, holds: Holds, depth: usize) -> Res<Items> {
        // Deeper nesting is an error for the lowering.
        if depth >= MAX_NESTING {
            return None;
        }
        let (mut fields, mut clauses, mut provisions) = (Vec::new(), Vec::new(), Vec::new());
        loop {
            self.trivia();
            if self.peek()? == b'}' {
                self.pos += 1;
                break;
            }
            let start = self.pos;
            let word = self.word()?;
            match &self.src[word.clone()] {
                "clause" | "provision" if holds == Holds::FieldsOnly => return None,
                "clause" => clauses.push(self.clause(start, depth)?),
                "provision" => provisions.push(self.provision(start, depth)?),
                _ => {
                    if self.peek() == Some(b':') {
                        return None;
                    }
                    let name = self.name(word);
                    fields.push(self.field(name)?);
                }
            }
        }
        fields.shrink_to_fit();
        clauses.shrink_to_fit();
        provisions.shrink_to_fit();
        Some((fields, clauses, provisions))
    }

    /// The values of a field after its name.
    fn field(&mut self, name: Name) -> Res<Field> {
        let mut values: SmallVec<[Value; 1]> = SmallVec::new();
        values.push(self.value()?);
        while self.eat(b",") {
            values.push(self.value()?);
        }
        values.shrink_to_fit();
        let end = values.last().map_or(name.range.end, |v| v.range().end);
        Some(Field {
            range: name.range.start..end,
            name,
            values,
        })
    }

    /// The rest of a clause or provision after its keyword at `start`:
    /// its id, title and range, and what its block holds (nothing without
    /// a block).
    fn declaration(
        &mut self,
        start: usize,
        holds: Holds,
        depth: usize,
    ) -> Res<(Name, Option<StringValue>, TextRange, Items)> {
        let id = self.id()?;
        let title = self.title()?;
        let mut end = title.as_ref().map_or(id.range.end, |t| t.range.end);
        let items = if self.eat(b"{") {
            let items = self.block(holds, depth + 1)?;
            end = self.pos;
            items
        } else {
            Items::default()
        };
        Some((id, title, start..end, items))
    }

    fn clause(&mut self, start: usize, depth: usize) -> Res<Clause> {
        let (id, title, range, (fields, clauses, provisions)) =
            self.declaration(start, Holds::Everything, depth)?;
        Some(Clause {
            id,
            title,
            range,
            has_error: false,
            fields,
            clauses,
            provisions,
        })
    }

    fn provision(&mut self, start: usize, depth: usize) -> Res<Provision> {
        let (id, title, range, (fields, _, _)) =
            self.declaration(start, Holds::FieldsOnly, depth)?;
        Some(Provision {
            id,
            title,
            range,
            has_error: false,
            fields,
        })
    }

    /// The rest of a `map` after its keyword at `start`.
    fn map(&mut self, start: usize) -> Res<Map> {
        let source = self.endpoint()?;
        if !self.eat(b"->") {
            return None;
        }
        // Gathered on the stack, then one allocation of the exact size
        // (a `Vec` grown by pushing allocates, grows and shrinks).
        let mut gathered: SmallVec<[Endpoint; 4]> = SmallVec::new();
        gathered.push(self.endpoint()?);
        while self.eat(b",") {
            gathered.push(self.endpoint()?);
        }
        let mut targets = Vec::with_capacity(gathered.len());
        targets.extend(gathered);
        let targets_end = targets.last().map_or(start, |t| t.range().end);
        let (fields, head_end, end) = if self.eat(b"{") {
            let body_start = self.pos - 1;
            let (fields, _, _) = self.block(Holds::FieldsOnly, 0)?;
            // As in the lowering: the head ends before the block, without
            // the whitespace (comments stay in).
            let head_end = self.src[..body_start].trim_end().len().max(start);
            (fields, head_end, self.pos)
        } else {
            (Vec::new(), targets_end, targets_end)
        };
        Some(Map {
            source,
            targets,
            range: start..end,
            head_range: start..head_end,
            fields,
            has_error: false,
        })
    }
}

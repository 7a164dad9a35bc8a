//! The reader: one top-level piece of the text at a time, by recursive
//! descent over the grammar (`grammar/grammar.js`, docs/format.md), with
//! recovery.
//!
//! On error-free text it reads exactly what tree-sitter's grammar reads
//! (`tests/fast_parse.rs` holds the two equal). Where the text does not
//! follow the grammar it records a [`SyntaxError`] and goes on:
//!
//! * an item of a block (a field, a clause, a provision) that breaks is
//!   dropped and the unreadable text skipped up to the end of its line
//!   (and any `{ ... }` opened there), or a `}` that closes the block; a
//!   clause or provision whose id was read is kept, with what was read;
//! * a block left open at the end of its piece is closed there, with a
//!   "missing `}`" error naming the block; a `"""` string left open ends
//!   there too;
//! * a `map` whose head is broken is dropped (its block is still read, for
//!   its errors); a `document` whose id was read is kept;
//! * text that begins no block at the top level is skipped up to the next
//!   `document` or `map` keyword.
//!
//! A block holding a grammar error is marked `has_error` (so are the blocks
//! around it). Bad escapes, blocks nested too deep and clauses where none
//! may be are errors too, but the grammar reads them, so they do not mark
//! the block (as tree-sitter's grammar does not).

use memchr::{memchr, memmem};
use smallvec::SmallVec;

use super::messages::{self, ArrowLine};
use crate::syntax::strings::{decode_block, decode_quoted};
use crate::syntax::*;

/// What a block may hold: fields always; clauses and provisions only in a
/// document or a clause.
#[derive(Clone, Copy, PartialEq)]
enum Holds {
    Everything,
    /// In a provision.
    FieldsOfProvision,
    /// In a map.
    FieldsOfMap,
}

/// What a block holds.
type Items = (Vec<Field>, Vec<Clause>, Vec<Provision>);

/// The grammar's tokens, as far as the reader needs to tell them apart.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Tok {
    Word,
    /// A one-line `"..."` string.
    Str,
    /// A `"` whose string does not end on its line.
    OpenStr,
    /// A `"""..."""` string.
    Block,
    /// A `"""` string not closed in its piece.
    OpenBlock,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Arrow,
    /// Anything else: one character.
    Other,
}

/// Something the grammar wanted at `at` that is not there: `expected`
/// names it for a "missing" message.
#[derive(Clone, Copy)]
struct Miss {
    at: usize,
    expected: &'static str,
}

type Res<T> = Result<T, Miss>;

pub(super) struct Reader<'a> {
    /// The whole text: ranges and line numbers are the file's.
    text: &'a str,
    /// The text up to the end of the piece being read.
    bytes: &'a [u8],
    pos: usize,
    /// Bare words are shared: each is allocated once per file.
    words: Words,
    pub(super) errors: Vec<SyntaxError>,
    /// Grammar errors recorded so far: an item during whose reading this
    /// changed holds one (`has_error`).
    broken: usize,
    /// Blocks opened and not yet closed.
    depth: usize,
    /// The line of the last help that looked for `->` (see
    /// [`messages::id_before_arrow`]).
    arrow_line: Option<ArrowLine>,
    lines: lines::Counter<'a>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            words: Words::default(),
            errors: Vec::new(),
            broken: 0,
            depth: 0,
            arrow_line: None,
            lines: lines::Counter::new(text),
        }
    }

    /// Reads the top-level `piece` of the text into `ast`.
    pub(super) fn piece(&mut self, piece: TextRange, ast: &mut SourceFile) {
        self.bytes = &self.text.as_bytes()[..piece.end];
        self.pos = piece.start;
        // tree-sitter skips a byte order mark at the start of the text.
        if self.pos == 0 && self.bytes.starts_with("\u{feff}".as_bytes()) {
            self.pos = 3;
        }
        let first_error = self.errors.len();
        let first_map = ast.maps.len();
        let first_document = ast.documents.len();
        loop {
            self.trivia();
            let start = self.pos;
            let Some((tok, end)) = self.token(start) else {
                break;
            };
            if tok == Tok::Word && self.begins_block(end) {
                match &self.text[start..end] {
                    "document" => {
                        self.pos = end;
                        ast.documents.extend(self.document(start));
                        continue;
                    }
                    "map" => {
                        self.pos = end;
                        ast.maps.extend(self.map(start).map(MapAt::new));
                        continue;
                    }
                    _ => {}
                }
            }
            let end = self.skip(Skip::TopLevel);
            self.unexpected(start, start, end);
        }
        // tree-sitter reads a NUL as the end of the input: one is an error
        // wherever it is, a string or a comment included.
        if let Some(nul) = memchr(0, &self.bytes[piece.start..]).map(|i| piece.start + i)
            && !self.errors[first_error..]
                .iter()
                .any(|e| e.range.contains(&nul))
        {
            self.broken += 1;
            self.errors.push(messages::nul(nul));
            for d in &mut ast.documents[first_document..] {
                d.has_error |= d.range.contains(&nul);
            }
            for m in &mut ast.maps[first_map..] {
                if m.block_range().contains(&nul) {
                    m.make_mut().has_error = true;
                }
            }
        }
        // In order, each once (nested blocks left open may report the
        // same place).
        let mut errors = self.errors.split_off(first_error);
        errors.sort_by_key(|e| (e.range.start, e.range.end));
        errors.dedup();
        self.errors.extend(errors);
    }

    /// Whether the word here, ending at `end`, is the keyword of a
    /// top-level block (`document` or `map`, not written as `DOC:`).
    fn begins_block(&self, end: usize) -> bool {
        self.bytes.get(end) != Some(&b':')
            && matches!(&self.text[self.pos..end], "document" | "map")
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace (tree-sitter's: ASCII, `\t` to `\r` and the space)
    /// and comments.
    fn trivia(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'#' => self.pos = self.line_end(self.pos),
                _ => break,
            }
        }
    }

    /// The end of the line holding `at`, within the piece.
    fn line_end(&self, at: usize) -> usize {
        memchr::memchr2(b'\n', b'\r', &self.bytes[at..]).map_or(self.bytes.len(), |i| at + i)
    }

    /// The token starting at `at` and where it ends; `None` at the end of
    /// the piece. A `"""` is a block string here (a quoted id reads it as
    /// `""` and a quote: see [`Reader::quoted`]).
    pub(super) fn token(&self, at: usize) -> Option<(Tok, usize)> {
        let b = self.bytes;
        let first = *b.get(at)?;
        let len = lexical::word_len(&b[at..]);
        if len > 0 {
            return Some((Tok::Word, at + len));
        }
        Some(match first {
            b'"' if b[at..].starts_with(b"\"\"\"") => match memmem::find(&b[at + 3..], b"\"\"\"") {
                Some(i) => (Tok::Block, at + 3 + i + 3),
                None => (Tok::OpenBlock, b.len()),
            },
            b'"' => match self.quoted_end(at) {
                Some(end) => (Tok::Str, end),
                None => (Tok::OpenStr, self.line_end(at)),
            },
            b'{' => (Tok::LBrace, at + 1),
            b'}' => (Tok::RBrace, at + 1),
            b',' => (Tok::Comma, at + 1),
            b':' => (Tok::Colon, at + 1),
            b'-' if b.get(at + 1) == Some(&b'>') => (Tok::Arrow, at + 2),
            _ => {
                let c = self.text[at..].chars().next().map_or(1, char::len_utf8);
                (Tok::Other, at + c)
            }
        })
    }

    /// The end of the one-line `"..."` string starting at `at`, if it ends
    /// on its line (escapes take the next character, except a line end).
    fn quoted_end(&self, at: usize) -> Option<usize> {
        let b = self.bytes;
        let mut i = at + 1;
        loop {
            i += b[i..]
                .iter()
                .position(|&c| matches!(c, b'"' | b'\\' | b'\n' | b'\r'))?;
            match b[i] {
                b'"' => return Some(i + 1),
                b'\\' if b.get(i + 1).is_some_and(|&c| !lines::is_break_byte(c)) => i += 2,
                _ => return None,
            }
        }
    }

    /// Skips the unreadable text starting at the current position (its
    /// first token at least) and returns where what was skipped ends:
    /// up to the next `document` or `map` at the top level; in a block, up
    /// to a `}` that closes the block or a word or `}` that begins a later
    /// line. A `{ ... }` opened in the skipped text is skipped whole.
    fn skip(&mut self, how: Skip) -> usize {
        let mut depth = 0usize;
        let mut end = self.pos;
        let mut first = true;
        loop {
            let before = self.pos;
            self.trivia();
            let crossed = self.bytes[before..self.pos]
                .iter()
                .any(|&b| lines::is_break_byte(b));
            let Some((tok, tok_end)) = self.token(self.pos) else {
                break;
            };
            if !first && depth == 0 {
                let stop = match how {
                    Skip::TopLevel => tok == Tok::Word && self.begins_block(tok_end),
                    Skip::Block => tok == Tok::RBrace || (crossed && tok == Tok::Word),
                    Skip::Head => tok == Tok::LBrace || crossed,
                };
                if stop {
                    self.pos = before;
                    break;
                }
            }
            if first && how == Skip::Block && tok == Tok::RBrace {
                break;
            }
            first = false;
            match tok {
                Tok::LBrace => depth += 1,
                Tok::RBrace => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.pos = tok_end;
            end = tok_end;
        }
        end
    }

    /// Records an "unexpected" error for the skipped text `start..end`
    /// (`at` is where the token that did not fit begins).
    fn unexpected(&mut self, start: usize, at: usize, end: usize) {
        self.broken += 1;
        if start == at && self.token(at).is_some_and(|t| t.0 == Tok::OpenBlock) {
            self.errors.push(messages::unterminated_block(at));
            return;
        }
        if start == at && self.bytes.get(at) == Some(&0) {
            self.errors.push(messages::nul(at));
            return;
        }
        let error = messages::unexpected(self.text, start, at, end, &mut self.arrow_line);
        self.errors.push(error);
    }

    /// Records what `miss` says is missing, or, when something else is
    /// there, skips it (`how`) and reports it as unexpected from `start`.
    fn failed(&mut self, miss: Miss, start: usize, how: Skip) {
        // Where the last token read ends.
        let last = self.text[..miss.at].trim_end().len();
        self.pos = miss.at;
        self.trivia();
        let crossed = self.text.as_bytes()[last..self.pos]
            .iter()
            .any(|&b| lines::is_break_byte(b));
        let here = self.token(self.pos).map(|t| t.0);
        let missing = match (here, how) {
            (None, _) => true,
            (Some(Tok::RBrace), Skip::Block) => true,
            (Some(Tok::LBrace), Skip::Head) => true,
            (Some(_), Skip::Head) => crossed,
            _ => false,
        };
        if missing {
            self.pos = miss.at;
            self.broken += 1;
            self.errors.push(messages::missing(last, miss.expected));
        } else {
            let at = self.pos;
            let end = self.skip(how);
            self.unexpected(start.min(at), at, end);
        }
    }

    /// Reports that a head wants `expected` here, where something else is
    /// (see [`Reader::failed`]).
    fn head_wants(&mut self, expected: &'static str) {
        let at = self.pos;
        self.failed(Miss { at, expected }, at, Skip::Head);
    }

    /// A bare word (`[A-Za-z0-9_][A-Za-z0-9._-]*`) starting here.
    fn word(&mut self, expected: &'static str) -> Res<TextRange> {
        let start = self.pos;
        let len = lexical::word_len(&self.bytes[start..]);
        if len == 0 {
            return Err(Miss {
                at: start,
                expected,
            });
        }
        self.pos += len;
        Ok(start..self.pos)
    }

    fn name(&mut self, range: TextRange) -> Name {
        Name::new(self.words.get(&self.text[range.clone()]), range, false)
    }

    /// The decoded value of the `"..."` literal at `range`: the text
    /// between the quotes when it holds no escape (most strings: one
    /// allocation, no copy through a `String`), else [`decode_quoted`],
    /// whose errors are recorded.
    fn quoted_text(&mut self, range: &TextRange) -> Text {
        let inner = &self.text[range.start + 1..range.end - 1];
        if memchr(b'\\', inner.as_bytes()).is_none() {
            return Text::from(inner);
        }
        let (text, errors) = decode_quoted(&self.text[range.clone()]);
        for e in errors {
            self.errors.push(SyntaxError {
                range: range.start + e.range.start..range.start + e.range.end,
                message: e.message,
                help: None,
            });
        }
        text.into()
    }

    /// A quoted id (`DOC:"..."`, `clause "..."`) starting here. A `"""`
    /// reads as the empty id `""` followed by a quote, as tree-sitter's
    /// lexer reads it where no block string may be.
    fn quoted_name(&mut self, expected: &'static str) -> Res<Name> {
        let start = self.pos;
        let Some(end) = self.quoted_end(start) else {
            return Err(Miss {
                at: start,
                expected,
            });
        };
        self.pos = end;
        let range = start..end;
        Ok(Name::new(self.quoted_text(&range), range, true))
    }

    /// A `"..."` or `"""..."""` string starting here. A `"""` string left
    /// open runs to the end of the piece: it is kept, and reported.
    fn string(&mut self, expected: &'static str) -> Res<StringValue> {
        let start = self.pos;
        let miss = Miss {
            at: start,
            expected,
        };
        match self.token(start) {
            Some((Tok::Str, end)) => {
                self.pos = end;
                let range = start..end;
                Ok(StringValue::new(self.quoted_text(&range), range, false))
            }
            Some((Tok::Block, end)) => {
                self.pos = end;
                let value = decode_block(&self.text[start..end]).into();
                Ok(StringValue::new(value, start..end, true))
            }
            Some((Tok::OpenBlock, end)) => {
                self.pos = end;
                self.broken += 1;
                self.errors.push(messages::unterminated_block(start));
                let raw = format!("{}\"\"\"", &self.text[start..end]);
                let limit = self.text[..end].trim_end().len().max(start);
                Ok(StringValue::new(
                    decode_block(&raw).into(),
                    start..limit,
                    true,
                ))
            }
            _ => Err(miss),
        }
    }

    /// An endpoint starting here: `DOC`, `DOC:ID` or `DOC:"ID"` (the `:`
    /// and the id written against the document id).
    fn endpoint_here(&mut self, expected: &'static str) -> Res<Endpoint> {
        let doc = self.word(expected)?;
        if self.peek() != Some(b':') {
            return Ok(Endpoint::Document(self.name(doc)));
        }
        let colon = self.pos;
        self.pos += 1;
        let id = match self.peek() {
            Some(b'"') => self.quoted_name("an id after `:`"),
            _ => self.word("an id after `:`").map(|r| self.name(r)),
        };
        let id = match id {
            Ok(id) => id,
            Err(_) => {
                // `DOC:` with nothing against the `:`: the `:` does not fit.
                self.pos = colon;
                return Err(Miss {
                    at: colon,
                    expected: "an id after `:`",
                });
            }
        };
        let document = self.name(doc.clone());
        Ok(Endpoint::Reference(Reference::new(document, id)))
    }

    fn endpoint(&mut self, expected: &'static str) -> Res<Endpoint> {
        self.trivia();
        self.endpoint_here(expected)
    }

    /// A string, or a bare word or reference (written like an endpoint).
    fn value(&mut self) -> Res<Value> {
        self.trivia();
        if self.peek() == Some(b'"') {
            return self.string("a value").map(Value::String);
        }
        Ok(match self.endpoint_here("a value")? {
            Endpoint::Document(name) => Value::Word(name),
            Endpoint::Reference(reference) => Value::Reference(Box::new(reference)),
        })
    }

    /// A clause or provision id: a word or a quoted id.
    fn id(&mut self) -> Res<Name> {
        self.trivia();
        if self.peek() == Some(b'"') {
            return self.quoted_name("an id");
        }
        let range = self.word("an id")?;
        if self.peek() == Some(b':') {
            return Err(Miss {
                at: range.start,
                expected: "an id",
            });
        }
        Ok(self.name(range))
    }

    /// An optional title: a string right after the id.
    fn title(&mut self) -> Option<StringValue> {
        self.trivia();
        if self.peek() == Some(b'"') {
            self.string("a title").ok()
        } else {
            None
        }
    }

    /// The rest of a `document` block, after the keyword at `start`.
    fn document(&mut self, start: usize) -> Option<Document> {
        let broken = self.broken;
        self.trivia();
        let id = match self.word("a document id") {
            Ok(range) if self.peek() != Some(b':') => self.name(range),
            Ok(range) => {
                let miss = Miss {
                    at: range.start,
                    expected: "a document id",
                };
                self.failed(miss, range.start, Skip::Head);
                self.discard_block(Holds::Everything, "document", start);
                return None;
            }
            Err(miss) => {
                let at = miss.at;
                self.failed(miss, at, Skip::Head);
                self.discard_block(Holds::Everything, "document", start);
                return None;
            }
        };
        self.trivia();
        if self.peek() != Some(b'{') {
            self.head_wants("`{`");
            self.trivia();
        }
        let (fields, clauses, provisions) = if self.peek() == Some(b'{') {
            self.pos += 1;
            self.block(Holds::Everything, "document", start)
        } else {
            Items::default()
        };
        Some(Document {
            id,
            range: start..self.item_end(start),
            has_error: self.broken != broken,
            fields,
            clauses,
            provisions,
        })
    }

    /// Where the item that began at `start` ends: here, or, when the piece
    /// ended inside it, at the end of what the piece holds.
    fn item_end(&self, start: usize) -> usize {
        if self.pos == self.bytes.len() {
            self.text[..self.pos].trim_end().len().max(start)
        } else {
            self.pos
        }
    }

    /// Reads and drops the block that follows a broken head, for its
    /// errors.
    fn discard_block(&mut self, holds: Holds, kind: &str, opened: usize) {
        self.trivia();
        if self.peek() == Some(b'{') {
            self.pos += 1;
            self.block(holds, kind, opened);
        }
    }

    /// The items of a block after its `{`, up to and with its `}`. `kind`
    /// and `opened` (the start of its item) name it in a "missing `}`".
    fn block(&mut self, holds: Holds, kind: &str, opened: usize) -> Items {
        let (mut fields, mut clauses, mut provisions) = (Vec::new(), Vec::new(), Vec::new());
        if self.depth >= MAX_NESTING {
            self.errors.push(messages::too_deep(self.pos - 1));
            self.skip_nested();
            return (fields, clauses, provisions);
        }
        self.depth += 1;
        loop {
            self.trivia();
            let start = self.pos;
            let Some((tok, end)) = self.token(start) else {
                self.broken += 1;
                let line = self.lines.line(opened) + 1;
                let at = self.text[..self.pos].trim_end().len().max(opened);
                self.errors.push(messages::unclosed(at, kind, line));
                break;
            };
            match tok {
                Tok::RBrace => {
                    self.pos = end;
                    break;
                }
                Tok::Word => {}
                _ => {
                    let end = self.skip(Skip::Block);
                    self.unexpected(start, start, end);
                    continue;
                }
            }
            let keyword = &self.text[start..end];
            let declaration =
                self.bytes.get(end) != Some(&b':') && matches!(keyword, "clause" | "provision");
            if declaration {
                self.pos = end;
                let inner = match keyword {
                    "clause" => Holds::Everything,
                    _ => Holds::FieldsOfProvision,
                };
                let item = self.declaration(start, inner, keyword);
                match (holds, item) {
                    (Holds::Everything, Some(Decl::Clause(c))) => clauses.push(c),
                    (Holds::Everything, Some(Decl::Provision(p))) => provisions.push(p),
                    (_, None) => {}
                    (Holds::FieldsOfProvision, Some(_)) => {
                        self.errors.push(messages::in_provision(start..end))
                    }
                    (Holds::FieldsOfMap, Some(_)) => self.errors.push(messages::in_map(start..end)),
                }
                continue;
            }
            self.pos = end;
            if self.peek() == Some(b':') {
                let end = self.skip(Skip::Block);
                self.unexpected(start, start, end);
                continue;
            }
            let name = self.name(start..end);
            match self.field(name) {
                Ok(field) => fields.push(field),
                Err(miss) => self.failed(miss, start, Skip::Block),
            }
        }
        self.depth -= 1;
        fields.shrink_to_fit();
        clauses.shrink_to_fit();
        provisions.shrink_to_fit();
        (fields, clauses, provisions)
    }

    /// Skips a block nested too deep, after its `{`, up to its `}` or the
    /// end of the piece (what it holds is not read).
    fn skip_nested(&mut self) {
        let mut depth = 1usize;
        loop {
            self.trivia();
            let Some((tok, end)) = self.token(self.pos) else {
                return;
            };
            self.pos = end;
            match tok {
                Tok::LBrace => depth += 1,
                Tok::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// The values of a field after its name.
    fn field(&mut self, name: Name) -> Res<Field> {
        let mut values: SmallVec<[Value; 1]> = SmallVec::new();
        values.push(self.value()?);
        loop {
            self.trivia();
            if self.peek() != Some(b',') {
                break;
            }
            self.pos += 1;
            values.push(self.value()?);
        }
        values.shrink_to_fit();
        Ok(Field::new(name, values))
    }

    /// A clause or provision after its keyword at `start`: its id, title
    /// and range, and what its block holds (nothing without a block).
    /// `None` when its id cannot be read.
    fn declaration(&mut self, start: usize, holds: Holds, keyword: &str) -> Option<Decl> {
        let broken = self.broken;
        let id = match self.id() {
            Ok(id) => id,
            Err(miss) => {
                self.failed(miss, miss.at, Skip::Head);
                self.discard_block(holds, keyword, start);
                return None;
            }
        };
        let title = self.title();
        let mut end = title.as_ref().map_or(id.range().end, |t| t.range().end);
        self.trivia();
        let (fields, clauses, provisions) = if self.peek() == Some(b'{') {
            self.pos += 1;
            let items = self.block(holds, keyword, start);
            end = self.item_end(start);
            items
        } else {
            Items::default()
        };
        let has_error = self.broken != broken;
        let range = start..end;
        Some(if keyword == "clause" {
            Decl::Clause(Clause {
                id,
                title,
                range,
                has_error,
                fields,
                clauses,
                provisions,
            })
        } else {
            Decl::Provision(Provision {
                id,
                title,
                range,
                has_error,
                fields,
            })
        })
    }

    /// The rest of a `map` after its keyword at `start`; `None` when its
    /// head is broken (its block is read for its errors, then dropped).
    fn map(&mut self, start: usize) -> Option<Map> {
        let broken = self.broken;
        // A head broken before its `->` is not a map at all: the text
        // skipped starts at the keyword (`map the data flows`); after it,
        // at what does not fit.
        let head = match self.source_and_arrow() {
            Ok(source) => self.targets().map(|targets| (source, targets)),
            Err(miss) => Err((miss, start)),
        };
        let (source, targets) = match head {
            Ok(head) => head,
            Err((miss, from)) => {
                self.failed(miss, from, Skip::Head);
                self.discard_block(Holds::FieldsOfMap, "map", start);
                return None;
            }
        };
        let targets_end = targets.last().map_or(start, |t| t.range().end);
        // Anything else on the line of the last target belongs to the
        // head: `-> uk-cop-2018: 1`.
        let before = self.pos;
        self.trivia();
        let same_line = !self.bytes[before..self.pos]
            .iter()
            .any(|&b| lines::is_break_byte(b));
        match self.token(self.pos) {
            Some((Tok::LBrace, _)) | None => {}
            Some((Tok::Word, end)) if self.begins_block(end) => {}
            Some(_) if same_line => {
                self.head_wants("`{`");
                self.discard_block(Holds::FieldsOfMap, "map", start);
                return None;
            }
            Some(_) => {}
        }
        let (fields, head_end, end) = if self.peek() == Some(b'{') {
            let body_start = self.pos;
            self.pos += 1;
            let (fields, _, _) = self.block(Holds::FieldsOfMap, "map", start);
            // The head ends before the block, without the whitespace
            // (comments stay in).
            let head_end = self.text[..body_start].trim_end().len().max(start);
            (fields, head_end, self.item_end(start))
        } else {
            self.pos = before;
            (Vec::new(), targets_end, targets_end)
        };
        let has_error = self.broken != broken;
        let (range, head_range) = (start..end, start..head_end);
        Some(Map::new(
            (source, targets),
            range,
            head_range,
            fields,
            has_error,
        ))
    }

    /// `SOURCE ->`
    fn source_and_arrow(&mut self) -> Res<Endpoint> {
        let source = self.endpoint("a source (`DOC` or `DOC:ID`)")?;
        self.trivia();
        if !self.bytes[self.pos..].starts_with(b"->") {
            return Err(Miss {
                at: self.pos,
                expected: "`->`",
            });
        }
        self.pos += 2;
        Ok(source)
    }

    /// `TARGET, ...`: what does not fit is skipped from where it starts.
    fn targets(&mut self) -> Result<Vec<Endpoint>, (Miss, usize)> {
        let target = "a target (`DOC` or `DOC:ID`)";
        let at = |miss: Miss| (miss, miss.at);
        let mut targets = vec![self.endpoint(target).map_err(at)?];
        loop {
            let before = self.pos;
            self.trivia();
            if self.peek() != Some(b',') {
                self.pos = before;
                break;
            }
            self.pos += 1;
            targets.push(self.endpoint(target).map_err(at)?);
        }
        targets.shrink_to_fit();
        Ok(targets)
    }
}

enum Decl {
    Clause(Clause),
    Provision(Provision),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    /// Text at the top level of a piece.
    TopLevel,
    /// An item of a block.
    Block,
    /// The rest of a head, up to its `{` or the end of its line.
    Head,
}

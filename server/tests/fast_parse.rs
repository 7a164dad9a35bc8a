//! The hand parser (`syntax::parser`, the only reader of the AST) against
//! tree-sitter's reading of the same grammar (`grammar/grammar.js`, which
//! the editors read), piece by top-level piece: tree-sitter finds an error
//! in a piece iff the hand parser reports one there, and an error-free
//! piece reads to the same AST. Tree-sitter's AST is a walk over its tree
//! in `common/tree_walk.rs`.
//!
//! Checked on every `.xwalk` file of the repository (whole), on the inputs
//! of the grammar's corpus tests, and on generated files: valid ones built
//! from the grammar with awkward spacing, quoting and keywords, then
//! mutated (bytes cut out, troublesome pieces put in) so that the two
//! readings meet every kind of near miss.

use crate::common::tree_walk;
use crate::common::{repo, xwalk_files};
use proptest::prelude::*;
use xwalk::syntax::{self, SyntaxError};

/// tree-sitter's reading of `text` alone.
fn tree_sitter(text: &str) -> (syntax::SourceFile, bool) {
    tree_walk::lower(text, &syntax::parse_tree(text))
}

/// The two readings compared on the whole `text` (no line that begins a
/// block may fall inside one): both error-free with the same AST.
fn agree_whole(text: &str) -> Result<(), String> {
    let (hand, errors) = syntax::parser::read(text);
    let (tree, tree_error) = tree_sitter(text);
    if !errors.is_empty() || tree_error {
        return Err(format!(
            "errors: hand {errors:?}, tree-sitter {tree_error}\n--- text ---\n{text}"
        ));
    }
    same_ast(&tree, &hand, text)
}

fn same_ast(
    tree: &syntax::SourceFile,
    hand: &syntax::SourceFile,
    text: &str,
) -> Result<(), String> {
    let (want, got) = (format!("{tree:#?}"), format!("{hand:#?}"));
    if want != got {
        let diff = similar::TextDiff::from_lines(&want, &got)
            .unified_diff()
            .header("tree-sitter", "hand")
            .to_string();
        return Err(format!("the ASTs differ\n{diff}\n--- text ---\n{text:?}"));
    }
    Ok(())
}

/// Compares the two readings of each top-level piece of `text` (each piece
/// alone for tree-sitter: the rest of the text blanked out, so that ranges
/// stay the file's); returns whether the hand parser found no error.
fn agree(text: &str) -> Result<bool, String> {
    let (hand, errors) = syntax::parser::read(text);
    let pieces = syntax::lexical::pieces(text);
    for piece in &pieces {
        let inside = |start: usize| {
            piece.contains(&start) || (start == piece.end && piece.end == text.len())
        };
        let hand_errors: Vec<&SyntaxError> =
            errors.iter().filter(|e| inside(e.range.start)).collect();
        let chunk = &text[piece.clone()];
        if chunk.contains('\0') {
            // tree-sitter reads a NUL as the end of the input.
            if hand_errors.is_empty() {
                return Err(format!("a NUL read without error\n--- text ---\n{text:?}"));
            }
            continue;
        }
        let alone = format!("{}{chunk}", " ".repeat(piece.start));
        let (tree, tree_error) = tree_sitter(&alone);
        if tree_error == hand_errors.is_empty() {
            return Err(format!(
                "piece {piece:?}: tree-sitter error {tree_error}, hand errors {hand_errors:?}\n--- text ---\n{text:?}"
            ));
        }
        if !tree_error {
            let of_piece = syntax::SourceFile {
                documents: hand
                    .documents
                    .iter()
                    .filter(|d| inside(d.range.start))
                    .cloned()
                    .collect(),
                maps: hand
                    .maps
                    .iter()
                    .filter(|m| inside(m.range().start))
                    .cloned()
                    .collect(),
            };
            same_ast(&tree, &of_piece, text)?;
        }
    }
    // Every error lies in a piece.
    if let Some(e) = errors.iter().find(|e| e.range.end > text.len()) {
        return Err(format!("an error beyond the text: {e:?}"));
    }
    Ok(errors.is_empty())
}

#[test]
fn every_shipped_file_reads_as_tree_sitter_reads_it() {
    let mut files = Vec::new();
    xwalk_files(&repo(), &mut files);
    assert!(files.len() > 60, "found only {} files", files.len());
    let mut clean = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        // Shipped files are error-free (a few test fixtures excepted):
        // compared whole; the others piece by piece.
        if syntax::parser::read(&text).1.is_empty() {
            agree_whole(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            clean += 1;
        } else {
            agree(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
    assert!(clean > 60, "only {clean} files read without errors");
}

/// The inputs of `grammar/test/corpus/*.txt`: the text between a test's
/// `===` header and its `---` line.
fn corpus_inputs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let dir = repo().join("grammar/test/corpus");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            if !line.starts_with("===") {
                continue;
            }
            let name = lines.next().unwrap_or_default().to_string();
            lines.next(); // the closing ===
            let mut input = String::new();
            for l in lines.by_ref() {
                if l.starts_with("---") {
                    break;
                }
                input.push_str(l);
                input.push('\n');
            }
            out.push((
                format!("{}: {name}", entry.file_name().to_string_lossy()),
                input,
            ));
        }
    }
    out
}

#[test]
fn the_grammar_corpus_agrees() {
    let inputs = corpus_inputs();
    assert!(
        inputs.len() >= 15,
        "found only {} corpus tests",
        inputs.len()
    );
    let mut clean = 0;
    for (name, text) in &inputs {
        clean += agree(text).unwrap_or_else(|e| panic!("{name}: {e}")) as usize;
    }
    // The corpus has error tests too; most are error-free.
    assert!(
        clean * 2 > inputs.len(),
        "{clean} of {} clean",
        inputs.len()
    );
}

#[test]
fn near_misses_agree() {
    // Each is an error, for both readings (a NUL for the hand parser).
    for text in [
        "map a:1->b:2\n",                        // `1-` is an id
        "map a -> b c\n",                        // a stray word
        "document d { title \"x\\q\" }\n",       // a bad escape
        "document d { title \"x }\n",            // an unterminated string
        "document d { note \"\"\"x\"\"\"\" }\n", // a quote after a block
        "document d { note \"\"\"x }\n",         // an unclosed block
        "map a -> b { clause 1 }\n",             // a clause in a map
        "document d { provision 1 { clause 2 } }\n",
        "document d {\u{a0}}\n",           // whitespace beyond ASCII
        "document d { title \"a\0b\" }\n", // NUL
        "map a : b -> c\n",
        "map a: b -> c\n",
        "map \"a\" -> b\n",
        "document \"d\" {}\n",
        "document d\n",
        "document d {\n",
        "relation related\n",
        "map a -> b, \n",
        "document d { relation: x }\n",
        "map a:\"\"\"x\"\"\" -> b\n",
        // A line that begins a block, inside a block or a `"""` string.
        "document d {\nmap x\n}\n",
        "document d { note \"\"\"\nmap x -> y\n\"\"\" }\n",
        "document d { cites a,\ndocument }\n",
    ] {
        assert_eq!(agree(text), Ok(false), "{text:?}");
    }
    // And these are not.
    for text in [
        "",
        "# only a comment",
        "map a -> b",
        "map a:\"1 2\"->b:c,d{relation related}",
        "document map { map x clause c provision p { document y } }",
        "document d { clause clause \"t\" { provision provision } }",
        "map document:map -> clause:provision { relation clause }",
        "document d { note \"\"\"\n  a \"\" b\n  \"\"\" }",
        "document d { note \"\"\"\"a\"\"\" t \"\" }",
        "map a -> b # c\n{ }\r\n",
        "document d {\n  map x\n}\nmap a -> b\n  map c -> d\n",
        "document d { note \"\"\"\nmaps and documents\n\"\"\" }\n",
        "document d { t \"é – ’ 😀 \\u{2019} \\\" \\\\ \\n \\t \\r\" }",
        // tree-sitter's whitespace: `\t` to `\r` (form feed included) and
        // the space.
        "document d {\u{c}\u{b}}\n",
        // tree-sitter skips a byte order mark at the start.
        "\u{feff}document d {}\n",
        // An id `""` and a title: no block string where an id is read.
        "document d { clause \"\"\"x\" }",
    ] {
        assert_eq!(agree(text), Ok(true), "{text:?}");
    }
}

/// Builds a file from a tape of choices (so that proptest shrinks the tape
/// and with it the file): the tape is read a byte at a time, and reads 0
/// once used up.
struct Gen<'t> {
    tape: &'t [u8],
    at: usize,
    out: String,
}

impl Gen<'_> {
    fn pick(&mut self, n: usize) -> usize {
        let b = self.tape.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b as usize % n
    }

    fn one(&mut self, options: &[&str]) {
        let i = self.pick(options.len());
        self.out.push_str(options[i]);
    }

    /// Space between tokens; sometimes none, so tokens run together.
    fn ws(&mut self) {
        self.one(&[
            " ",
            " ",
            " ",
            "\n  ",
            "",
            "\t",
            "\r\n",
            " # a comment\n",
            "\n# c -> { \"\n",
        ]);
    }

    fn word(&mut self) {
        self.one(&[
            "a",
            "etsi-en-303-645",
            "5.1-1",
            "uk-cop-2018",
            "1",
            "1-",
            "x_1",
            "A.b",
            "map",
            "document",
            "clause",
            "provision",
            "relation",
            "related",
            "mapx",
            "_",
        ]);
    }

    fn quoted(&mut self) {
        self.one(&[
            "\"\"",
            "\"text\"",
            "\"a \\\"q\\\" b\"",
            "\"tab\\tx\\n\"",
            "\"é – ’ 😀\"",
            "\"\\u{2019}\"",
            "\"bad \\q\"",
            "\"\\u{zz}\"",
            "\"x\ry\"",
            "\"# not a comment -> {\"",
            "\"a line \\\nbreak\"",
        ]);
    }

    fn string(&mut self) {
        match self.pick(3) {
            0 => self.one(&[
                "\"\"\"\nline\n  two\n\"\"\"",
                "\"\"\"a\"\"b\"\"\"",
                "\"\"\"\"a\"\"\"",
                "\"\"\"\"\"\"",
                "\"\"\"x\"\"\"\"",
                "\"\"\"\r\n  x\r\n  \"\"\"",
            ]),
            _ => self.quoted(),
        }
    }

    fn endpoint(&mut self) {
        self.word();
        if self.pick(3) > 0 {
            self.out.push(':');
            if self.pick(3) == 0 {
                self.quoted()
            } else {
                self.word()
            }
        }
    }

    fn value(&mut self) {
        match self.pick(4) {
            0 => self.word(),
            1 => self.string(),
            _ => self.endpoint(),
        }
    }

    fn field(&mut self) {
        self.word();
        self.ws();
        self.value();
        for _ in 0..self.pick(4).saturating_sub(2) {
            self.ws();
            self.out.push(',');
            self.ws();
            self.value();
        }
    }

    fn block(&mut self, depth: usize) {
        self.out.push('{');
        for _ in 0..self.pick(5) {
            self.ws();
            match self.pick(6) {
                0 if depth < 3 => self.declaration("clause", depth + 1),
                1 if depth < 3 => self.declaration("provision", depth + 1),
                _ => self.field(),
            }
        }
        self.ws();
        self.out.push('}');
    }

    fn declaration(&mut self, keyword: &str, depth: usize) {
        self.out.push_str(keyword);
        self.ws();
        if self.pick(4) == 0 {
            self.quoted()
        } else {
            self.word()
        }
        if self.pick(2) == 0 {
            self.ws();
            self.string();
        }
        if self.pick(3) > 0 {
            self.ws();
            self.block(depth);
        }
    }

    fn file(&mut self) {
        for _ in 0..self.pick(5) {
            self.ws();
            if self.pick(3) == 0 {
                self.out.push_str("document");
                self.ws();
                self.word();
                self.ws();
                self.block(0);
            } else {
                self.out.push_str("map");
                self.ws();
                self.endpoint();
                self.ws();
                self.out.push_str("->");
                self.ws();
                self.endpoint();
                for _ in 0..self.pick(3) {
                    self.ws();
                    self.out.push(',');
                    self.ws();
                    self.endpoint();
                }
                if self.pick(4) > 0 {
                    self.ws();
                    self.block(2);
                }
            }
        }
        self.ws();
    }
}

fn generate(tape: &[u8]) -> String {
    let mut g = Gen {
        tape,
        at: 0,
        out: String::new(),
    };
    g.file();
    g.out
}

/// Pieces that make near misses when put anywhere.
const PIECES: &[&str] = &[
    "\"",
    "\"\"\"",
    ":",
    "->",
    "-",
    ">",
    ",",
    "{",
    "}",
    "#",
    "\n",
    " ",
    "\\",
    "map",
    "clause",
    "provision",
    "document",
    "a",
    "\u{c}",
    "\u{a0}",
    "é",
    "\0",
    "\r",
    "\\\n",
    "\"\\",
];

/// `text` with the edits applied: `(position, cut, piece)` cuts `cut`
/// bytes at the position (rounded to a character boundary) and puts a
/// piece there.
fn mutate(text: &str, edits: &[(usize, usize, usize)]) -> String {
    let mut s = text.to_string();
    for &(at, cut, piece) in edits {
        let mut at = at % (s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut % 4).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        s.replace_range(at..end, PIECES[piece % PIECES.len()]);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn generated_files_agree(tape in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = generate(&tape);
        agree(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn mutated_files_agree(
        tape in prop::collection::vec(any::<u8>(), 0..200),
        edits in prop::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 1..4),
    ) {
        let text = mutate(&generate(&tape), &edits);
        agree(&text).map_err(TestCaseError::fail)?;
    }
}

/// The generator is worth something only if many of its files read without
/// error (so that the ASTs are compared), and many do not.
#[test]
fn the_generator_reaches_both_paths() {
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let (mut taken, mut total) = (0, 0);
    for _ in 0..2000 {
        let tape: Vec<u8> = (0..200)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng as u8
            })
            .collect();
        total += 1;
        taken += agree(&generate(&tape)).unwrap() as usize;
    }
    eprintln!("{taken} of {total} generated files read without error");
    assert!(
        taken > total / 5 && taken < total * 4 / 5,
        "{taken} of {total} generated files read without error"
    );
}

#[test]
fn nesting_up_to_the_limit_agrees() {
    for levels in [1, 2, 63, 64, 65, 200] {
        let mut text = String::from("document d {\n");
        for i in 1..levels {
            text.push_str(&format!("clause c{i} {{\n"));
        }
        text.push_str(&"}\n".repeat(levels));
        let taken = agree(&text).unwrap();
        assert_eq!(
            taken,
            levels <= xwalk::syntax::MAX_NESTING,
            "{levels} levels"
        );
    }
}

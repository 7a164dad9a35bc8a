//! Fix all: every preferred quick fix of some files, applied together
//! (`xwalk check --fix`, and the server's `source.fixAll.xwalk`).
//!
//! A round takes the diagnostics of the files, the preferred quick fix of
//! each ([`quick_fixes`]) in diagnostic order, and skips a fix whose edits
//! overlap one already taken (it is tried again next round). The edited
//! files are parsed and checked again, and rounds repeat until none finds
//! a fix, at most [`MAX_ROUNDS`] times: a fix can reveal another (a TS 103
//! 645 reference moved to EN 303 645 V2.1.1 is then superseded by V3.1.3).
//! Diagnostics without a preferred fix are left: a provision split in two
//! by the newer edition has two candidates, and a person chooses; a
//! did-you-mean is a guess (`I.2.n` is one letter from `I.2.a`), offered
//! in the editor and never applied here, since a bulk fix must not change
//! what a mapping means.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::TextEdit;
use super::code_actions::{CodeAction, quick_fixes};
use crate::check::{self, Code, Diagnostic};
use crate::model::{FileId, Origin, SourceFile, Workspace};
use crate::syntax::{TextRange, lines};

/// Rounds before giving up on reaching a fixed point.
pub const MAX_ROUNDS: usize = 8;

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub file: FileId,
    /// 1-based line and column of the fixed range, in the text of its
    /// round (the first round's are positions in the original file).
    pub line_col: (usize, usize),
    pub code: Code,
    /// The quick fix's title (`Map to `...` instead`).
    pub title: String,
    /// The text the fix replaced.
    pub old_text: String,
    /// 1-based.
    pub round: usize,
}

/// What fixing some files did.
pub struct FixOutcome {
    /// The workspace after the last round.
    pub workspace: Workspace,
    /// The files whose text changed, with their original text, in order.
    pub changed: Vec<(FileId, String)>,
    pub fixed: Vec<Fixed>,
    /// The diagnostics of the files after the last round.
    pub left: Vec<Diagnostic>,
    /// Rounds that applied fixes.
    pub rounds: usize,
    /// False when [`MAX_ROUNDS`] rounds still found fixes.
    pub converged: bool,
}

/// Do two edits overlap? Two insertions at the same place do, so that
/// their order never matters.
fn overlaps(a: &TextRange, b: &TextRange) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start)
}

/// The ranges of the edits taken in a file, by start: they do not overlap
/// (so no two start at one place), and whether a new range overlaps one
/// is a look at its neighbours, not a scan of them all (a round of 100,000
/// fixes asks 100,000 times).
#[derive(Default)]
struct Taken(BTreeMap<usize, usize>);

impl Taken {
    fn overlaps(&self, r: &TextRange) -> bool {
        let before = self.0.range(..=r.start).next_back();
        before.is_some_and(|(&start, &end)| overlaps(&(start..end), r))
            || self
                .0
                .range(r.start + 1..r.end.max(r.start + 1))
                .next()
                .is_some()
    }
}

/// Edits by file, each list sorted and without overlaps.
pub type Edits = BTreeMap<FileId, Vec<TextEdit>>;

/// One round over `diagnostics`: the edits of the preferred fixes that do
/// not overlap an earlier one, by file, sorted, and what they fix.
pub fn round(ws: &Workspace, diagnostics: &[Diagnostic]) -> (Edits, Vec<(Diagnostic, String)>) {
    let mut edits: Edits = BTreeMap::new();
    let mut taken: BTreeMap<FileId, Taken> = BTreeMap::new();
    let mut applied = Vec::new();
    for action in quick_fixes(ws, diagnostics) {
        if !action.preferred || action.edits.is_empty() {
            continue;
        }
        let clash = action.edits.iter().any(|e| {
            taken.get(&e.file).is_some_and(|t| t.overlaps(&e.range))
                || action.edits.iter().any(|o| {
                    !std::ptr::eq(o, e) && o.file == e.file && overlaps(&o.range, &e.range)
                })
        });
        let in_bounds = action.edits.iter().all(|e| {
            e.range.start <= e.range.end && ws.file(e.file).text.get(e.range.clone()).is_some()
        });
        if clash || !in_bounds {
            continue;
        }
        for e in &action.edits {
            taken
                .entry(e.file)
                .or_default()
                .0
                .insert(e.range.start, e.range.end);
            edits.entry(e.file).or_default().push(e.clone());
        }
        applied.push((action.diagnostic, action.title));
    }
    for list in edits.values_mut() {
        list.sort_by_key(|e| e.range.start);
    }
    (edits, applied)
}

/// `text` with `edits` (sorted, not overlapping) applied.
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.new_text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Applies every preferred fix to the diagnostics of `files` (workspace
/// files of `ws`), round after round, as the module describes. Pure: the
/// caller writes the new texts.
pub fn fix_all(ws: &Workspace, files: &[FileId]) -> FixOutcome {
    let diagnostics = check::check(ws)
        .into_iter()
        .filter(|d| files.contains(&d.file))
        .collect();
    fix_all_from(ws, files, diagnostics)
}

/// [`fix_all`], given the diagnostics of `files` in `ws` (as the language
/// server has them already).
pub fn fix_all_from(ws: &Workspace, files: &[FileId], diagnostics: Vec<Diagnostic>) -> FixOutcome {
    let wanted = |d: &Diagnostic| files.contains(&d.file);
    let mut diagnostics = diagnostics;
    let mut current = Workspace::branch(ws, ws.own_files());
    let mut originals: BTreeMap<FileId, String> = BTreeMap::new();
    let mut fixed = Vec::new();
    let mut rounds = 0;
    let mut converged = false;
    while rounds < MAX_ROUNDS {
        let (edits, applied) = round(&current, &diagnostics);
        if edits.is_empty() {
            converged = true;
            break;
        }
        rounds += 1;
        for (d, title) in applied {
            let f = current.file(d.file);
            fixed.push(Fixed {
                file: d.file,
                line_col: f.line_index().line_col(&f.text, d.range.start),
                code: d.code,
                old_text: f.text[d.range.clone()].to_string(),
                title,
                round: rounds,
            });
        }
        let mut next = current.own_files();
        for (&file, list) in &edits {
            let f = current.file(file);
            originals.entry(file).or_insert_with(|| f.text.clone());
            let text = apply(&f.text, list);
            next[file.0 as usize] = Arc::new(SourceFile::new(
                f.path.clone(),
                f.name.clone(),
                text,
                Origin::Workspace,
            ));
        }
        current = Workspace::with_changed_files(&current, next);
        diagnostics = check::check(&current).into_iter().filter(wanted).collect();
    }
    if !converged && round(&current, &diagnostics).0.is_empty() {
        converged = true;
    }
    let changed = originals
        .into_iter()
        .filter(|(id, old)| current.file(*id).text != *old)
        .collect();
    FixOutcome {
        workspace: current,
        changed,
        fixed,
        left: diagnostics,
        rounds,
        converged,
    }
}

/// The edits that take `old` to `new`, one per changed run of lines: what
/// an editor applies for `source.fixAll` (a whole-file replacement would
/// move the cursor and folds).
pub fn line_edits(file: FileId, old: &str, new: &str) -> Vec<TextEdit> {
    // Lines as the rest of the tool reads them (`\n`, `\r\n`, a lone
    // `\r`): the diff's line numbers index `line_starts`.
    let old_lines: Vec<&str> = lines::split_inclusive(old).collect();
    let new_lines: Vec<&str> = lines::split_inclusive(new).collect();
    let diff = similar::TextDiff::configure().diff_slices(&old_lines, &new_lines);
    let old_starts = line_starts(old);
    let new_starts = line_starts(new);
    // The runs of equal lines are the anchors, and what lies between two
    // of them is one edit. (The changed ops themselves are not used: their
    // positions can be out of order, a deletion reported after the equal
    // run that follows it.)
    let mut anchors: Vec<(usize, usize, usize)> = diff
        .ops()
        .iter()
        .filter_map(|op| match *op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => Some((old_index, new_index, len)),
            _ => None,
        })
        .collect();
    let (old_lines, new_lines) = (old_starts.len() - 1, new_starts.len() - 1);
    anchors.push((old_lines, new_lines, 0));
    let mut out = Vec::new();
    let (mut o, mut n) = (0, 0);
    for (oi, ni, len) in anchors {
        if oi < o || ni < n {
            // Not in order after all: one edit for all that differs.
            return whole_edit(file, old, new);
        }
        if oi > o || ni > n {
            out.push(TextEdit {
                file,
                range: old_starts[o]..old_starts[oi],
                new_text: new[new_starts[n]..new_starts[ni]].to_string(),
            });
        }
        (o, n) = (oi + len, ni + len);
    }
    out
}

/// One edit replacing what lies between the common prefix and suffix.
fn whole_edit(file: FileId, old: &str, new: &str) -> Vec<TextEdit> {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    if old == new {
        return Vec::new();
    }
    vec![TextEdit {
        file,
        range: prefix..old.len() - suffix,
        new_text: new[prefix..new.len() - suffix].to_string(),
    }]
}

/// The byte offset where each line starts, and the text's length last.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = lines::starts(text);
    if *starts.last().unwrap_or(&0) != text.len() {
        starts.push(text.len());
    }
    starts
}

/// The code action kind of fixing all in a file.
pub const KIND: &str = "source.fixAll.xwalk";

/// `source.fixAll.xwalk` for one file, given its diagnostics: `None` when
/// there is nothing to fix. Its diagnostic is the first it fixes.
pub fn action(ws: &Workspace, file: FileId, diagnostics: Vec<Diagnostic>) -> Option<CodeAction> {
    let outcome = fix_all_from(ws, &[file], diagnostics.clone());
    let (_, old) = outcome.changed.iter().find(|(id, _)| *id == file)?;
    let edits = line_edits(file, old, &outcome.workspace.file(file).text);
    let n = outcome.fixed.len();
    Some(CodeAction {
        title: format!(
            "Fix all: apply {}",
            crate::plural::plural(n, "preferred quick fix", "preferred quick fixes")
        ),
        diagnostic: diagnostics.into_iter().next()?,
        edits,
        preferred: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::annotations::workspace;

    fn fixed_text(files: &[(&str, &str)]) -> (FixOutcome, Vec<String>) {
        let ws = workspace(files, "");
        let ids: Vec<FileId> = ws.workspace_files().map(|(id, _)| id).collect();
        let outcome = fix_all(&ws, &ids);
        let texts = ids
            .iter()
            .map(|&id| outcome.workspace.file(id).text.clone())
            .collect();
        (outcome, texts)
    }

    #[test]
    fn chained_editions_reach_the_newest_in_two_rounds() {
        let (o, texts) = fixed_text(&[(
            "m.xwalk",
            "document a { title \"A\" }\nmap a:1 -> etsi-ts-103-645:4.1-1, etsi-ts-103-645:4.1\n",
        )]);
        assert_eq!(
            texts[0],
            "document a { title \"A\" }\nmap a:1 -> etsi-en-303-645-v3:5.1-1, etsi-en-303-645-v3:5.1\n"
        );
        assert_eq!(o.rounds, 2);
        assert!(o.converged);
        assert!(o.left.is_empty(), "{:#?}", o.left);
        let fixed: Vec<(usize, &str, &str)> = o
            .fixed
            .iter()
            .map(|f| (f.round, f.old_text.as_str(), f.title.as_str()))
            .collect();
        assert_eq!(
            fixed,
            vec![
                (
                    1,
                    "etsi-ts-103-645:4.1-1",
                    "Map to `etsi-en-303-645:5.1-1` instead"
                ),
                (
                    1,
                    "etsi-ts-103-645:4.1",
                    "Map to `etsi-en-303-645:5.1` instead"
                ),
                (
                    2,
                    "etsi-en-303-645:5.1-1",
                    "Map to `etsi-en-303-645-v3:5.1-1` instead"
                ),
                (
                    2,
                    "etsi-en-303-645:5.1",
                    "Map to `etsi-en-303-645-v3:5.1` instead"
                ),
            ]
        );
        assert_eq!(o.changed.len(), 1);
    }

    #[test]
    fn split_provisions_are_left() {
        let text = "document a { title \"A\" }\nmap a:1 -> etsi-en-303-645:5.13-1\n";
        let (o, texts) = fixed_text(&[("m.xwalk", text)]);
        assert_eq!(texts[0], text);
        assert!(o.changed.is_empty() && o.fixed.is_empty() && o.converged);
        assert_eq!(o.left.len(), 1);
        assert_eq!(o.left[0].code, Code::SupersededReference);
        assert!(
            o.left[0]
                .message
                .contains("`etsi-en-303-645-v3:5.13-1A` and")
        );
    }

    #[test]
    fn guesses_are_left_for_a_person() {
        // Did-you-mean by edit distance would change what the mappings
        // mean (`I.2.n` is not `I.2.a`, `5.6-4` not `5.6-4A`): offered as
        // quick fixes, never applied in bulk. The tidy title is.
        let text = "document a { title \"A  guide\" }\n\
                    map a:1 -> eu-cra-2024:I.2.n\n\
                    map a:2 -> etsi-en-303-645-v3:5.6-4\n\
                    map a:3 -> etsi-ts:4.1-1\n\
                    map a:4 -> uk-cop-2018:1 { relation supset-of }\n";
        let (o, texts) = fixed_text(&[("m.xwalk", text)]);
        assert_eq!(texts[0], text.replace("A  guide", "A guide"));
        let fixed: Vec<&str> = o.fixed.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(fixed, ["Tidy whitespace"]);
        let left: String = o
            .left
            .iter()
            .map(|d| {
                let fix = d.fix.as_ref().expect("a guessed fix");
                format!(
                    "{}: {} ({:?} `{}`)\n",
                    d.code, d.message, fix.kind, fix.replacement
                )
            })
            .collect();
        expect_test::expect![[r#"
            unknown-provision: `eu-cra-2024` has no provision or clause `I.2.n` (Guess `I.2.a`)
            unknown-provision: `etsi-en-303-645-v3` has no provision or clause `5.6-4` (Guess `5.6-4A`)
            unknown-document: unknown document `etsi-ts` (Guess `etsi-ts-103-645`)
            unknown-relation: unknown relation `supset-of` (Guess `subset-of`)
        "#]]
        .assert_eq(&left);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        // The second target is a duplicate (removed) and superseded
        // (replaced): the two fixes touch the same text, one is applied.
        let (o, texts) = fixed_text(&[(
            "m.xwalk",
            "document a { title \"A\" }\nmap a:1 -> etsi-en-303-645:5.1-1, etsi-en-303-645:5.1-1\n",
        )]);
        assert_eq!(
            texts[0],
            "document a { title \"A\" }\nmap a:1 -> etsi-en-303-645-v3:5.1-1\n"
        );
        assert!(o.converged && o.left.is_empty(), "{:#?}", o.left);
    }

    #[test]
    fn only_the_given_files_change() {
        let stale = "document a { title \"A\" }\nmap a:1 -> etsi-en-303-645:5.1-1\n";
        let other = "map a:2 -> etsi-en-303-645:5.1-2\n";
        let ws = workspace(&[("m.xwalk", stale), ("o.xwalk", other)], "");
        let o = fix_all(&ws, &[FileId(0)]);
        assert_eq!(o.changed.len(), 1);
        assert_eq!(o.workspace.file(FileId(1)).text, other);
        assert!(o.left.iter().all(|d| d.file == FileId(0)));
    }

    #[test]
    fn the_fix_all_action_edits_changed_lines_only() {
        let ws = workspace(
            &[(
                "m.xwalk",
                "document a { title \"A\" }\n\nmap a:1 -> etsi-en-303-645:5.1-1 {\n  note \"n\"\n}\n",
            )],
            "",
        );
        let diagnostics = check::check(&ws);
        let action = action(&ws, FileId(0), diagnostics).expect("something to fix");
        assert_eq!(action.edits.len(), 1);
        assert_eq!(
            action.edits[0].new_text,
            "map a:1 -> etsi-en-303-645-v3:5.1-1 {\n"
        );
        assert_eq!(action.edits[0].range, 26..61);
        assert_eq!(action.title, "Fix all: apply 1 preferred quick fix");
        let clean = workspace(&[("m.xwalk", "document a { title \"A\" }\n")], "");
        assert!(action_none(&clean));
    }

    fn action_none(ws: &Workspace) -> bool {
        super::action(ws, FileId(0), check::check(ws)).is_none()
    }

    /// Found by fuzzing: on files with lone-CR line ends the line diff and
    /// the line starts disagreed (an index out of bounds, answered as an
    /// internal error by the server), or the edits gave back the old text.
    #[test]
    fn the_fix_all_action_on_lone_cr_files() {
        for (text, fixed) in [
            (
                "\n\n\n\rdocument a{\rtitle\" \"\rb",
                "\n\n\n\rdocument a{\rtitle\"\"\rb",
            ),
            (
                "\rdocument a {\r  title \" A\"\r}\rmap a:1 -> etsi-en-303-645:5.1-1\r",
                "\rdocument a {\r  title \"A\"\r}\rmap a:1 -> etsi-en-303-645-v3:5.1-1\r",
            ),
        ] {
            let ws = workspace(&[("m.xwalk", text)], "");
            let action = action(&ws, FileId(0), check::check(&ws)).expect("something to fix");
            let edited = apply(text, &action.edits);
            assert_eq!(edited, fixed, "{:?}", action.edits);
            // Each edit replaces whole lines (LSP's: CR ends one).
            let starts = lines::starts(text);
            for e in &action.edits {
                assert!(starts.contains(&e.range.start), "{e:?}");
                assert!(
                    e.range.end == text.len() || starts.contains(&e.range.end),
                    "{e:?}"
                );
            }
        }
    }

    #[test]
    fn line_edits_of_cases_that_failed() {
        for (old, new) in [
            ("b\na\n", "a\n\na\n"),
            ("aa\na\n", "a\na\na"),
            (
                "\n\n\n\rdocument a{\rtitle\" \"\rb",
                "\n\n\n\rdocument a{\rtitle\"\"\rb",
            ),
            ("\rmap a:1 -> etsi-ts", "\rmap a:1 -> etsi-ts-103-645"),
        ] {
            let edits = line_edits(FileId(0), old, new);
            assert_eq!(apply(old, &edits), new, "{edits:?}");
            assert!(edits.windows(2).all(|w| w[0].range.end < w[1].range.start));
        }
    }

    proptest::proptest! {
        #[test]
        fn line_edits_rebuild_the_new_text(
            old in proptest::collection::vec("[ab]{0,2}(\n|\r|\r\n)?", 0..8),
            new in proptest::collection::vec("[ab]{0,2}(\n|\r|\r\n)?", 0..8),
        ) {
            let (old, new) = (old.concat(), new.concat());
            let edits = line_edits(FileId(0), &old, &new);
            proptest::prop_assert_eq!(apply(&old, &edits), new);
        }
    }
}

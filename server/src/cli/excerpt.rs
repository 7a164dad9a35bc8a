//! The source excerpt of one diagnostic, for human output.
//!
//! codespan-reporting renders a diagnostic from a file database. Given the
//! workspace's files, it copies and scans every line a label touches, whole:
//! 4,096 diagnostics on one long line then cost 4,096 times that line, and
//! print it 4,096 times. Instead each diagnostic is rendered from an
//! [`Excerpt`]: a copy of just the lines its labels touch, each line longer
//! than [`LONG_LINE`] bytes cut down to [`CONTEXT`] bytes around every label
//! start and end, with `…` where text was left out. Line and column numbers
//! stay those of the real file. The work per diagnostic is then bounded by
//! its labels, not by the length of their lines.

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};

use crate::check::{Diagnostic, Severity};
use crate::model::{FileId, Workspace};

/// Lines longer than this many bytes are cut.
pub const LONG_LINE: usize = 240;
/// Bytes kept on each side of a label's start and end in a cut line.
pub const CONTEXT: usize = 60;
const ELLIPSIS: &str = "…";

/// The lines of the files one diagnostic points into.
pub struct Excerpt<'w> {
    ws: &'w Workspace,
    files: Vec<ExcerptFile>,
}

struct ExcerptFile {
    real: FileId,
    /// The copied lines, one after the other.
    source: String,
    /// By real line index.
    lines: Vec<ExcerptLine>,
}

struct ExcerptLine {
    /// 0-based line index in the real file.
    real: usize,
    /// Where the line's copy is in `source`.
    range: Range<usize>,
    segments: Vec<Segment>,
}

/// A run of the real text copied whole into `source` at `at`.
struct Segment {
    real: Range<usize>,
    at: usize,
}

impl ExcerptFile {
    fn line(&self, real: usize) -> Option<&ExcerptLine> {
        self.lines
            .binary_search_by_key(&real, |l| l.real)
            .ok()
            .map(|i| &self.lines[i])
    }

    /// Where real byte `offset` of line `line` is in `source`.
    fn to_excerpt(&self, line: usize, offset: usize) -> usize {
        let Some(l) = self.line(line) else { return 0 };
        let seg = l
            .segments
            .iter()
            .find(|s| s.real.start <= offset && offset <= s.real.end)
            .or_else(|| l.segments.iter().rev().find(|s| s.real.end <= offset))
            .or(l.segments.first());
        seg.map_or(l.range.start, |s| {
            s.at + offset.clamp(s.real.start, s.real.end) - s.real.start
        })
    }

    /// The real byte of `source` byte `at`, on real line `line`.
    fn to_real(&self, line: usize, at: usize) -> usize {
        let Some(l) = self.line(line) else { return 0 };
        let seg = l
            .segments
            .iter()
            .rev()
            .find(|s| s.at <= at)
            .or(l.segments.first());
        seg.map_or(0, |s| {
            (s.real.start + at.saturating_sub(s.at)).min(s.real.end)
        })
    }
}

/// The largest char boundary at or before `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or after `i`.
fn ceil_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The parts of `text[line]` to show, around `points` (sorted).
fn segments(text: &str, line: Range<usize>, points: &[usize]) -> Vec<Range<usize>> {
    if line.len() <= LONG_LINE {
        return vec![line];
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    let around: Vec<usize> = if points.is_empty() {
        vec![line.start]
    } else {
        points.to_vec()
    };
    for p in around {
        let start = floor_char(text, p.saturating_sub(CONTEXT).max(line.start));
        let end = ceil_char(text, (p + CONTEXT).min(line.end));
        match out.last_mut() {
            // Runs that meet (or nearly: an ellipsis would save nothing)
            // become one.
            Some(last) if start <= last.end + ELLIPSIS.len() => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

impl<'w> Excerpt<'w> {
    /// The excerpt for labels given as (file, range).
    fn new(ws: &'w Workspace, labels: &[(FileId, Range<usize>)]) -> Excerpt<'w> {
        // Per file, per real line: the label points on it.
        let mut wanted: BTreeMap<FileId, BTreeMap<usize, Vec<usize>>> = BTreeMap::new();
        for (file, range) in labels {
            let f = ws.file(*file);
            let lines = wanted.entry(*file).or_default();
            let (start, end) = (range.start.min(f.text.len()), range.end.min(f.text.len()));
            let (first, last) = (f.line_index().line(start), f.line_index().line(end));
            lines.entry(first).or_default().push(start);
            lines.entry(last).or_default().push(end);
            // Every line a multi-line label spans is asked for.
            for l in first + 1..last {
                lines.entry(l).or_default();
            }
        }
        let mut files = Vec::new();
        for (file, mut lines) in wanted {
            // A line between two shown lines is shown too.
            let gaps: Vec<usize> = lines
                .keys()
                .zip(lines.keys().skip(1))
                .filter(|(a, b)| **b == **a + 2)
                .map(|(a, _)| a + 1)
                .collect();
            for l in gaps {
                lines.entry(l).or_default();
            }
            let f = ws.file(file);
            let text = f.text.as_str();
            let mut excerpt = ExcerptFile {
                real: file,
                source: String::new(),
                lines: Vec::with_capacity(lines.len()),
            };
            for (line, mut points) in lines {
                points.sort_unstable();
                let start = f.line_index().line_start(line);
                let end = if line + 1 < f.line_index().line_count() {
                    f.line_index().line_start(line + 1)
                } else {
                    text.len()
                };
                let from = excerpt.source.len();
                let mut segs = Vec::new();
                for (i, r) in segments(text, start..end, &points).into_iter().enumerate() {
                    if r.start > start || i > 0 {
                        excerpt.source.push_str(ELLIPSIS);
                    }
                    segs.push(Segment {
                        at: excerpt.source.len(),
                        real: r.clone(),
                    });
                    excerpt.source.push_str(&text[r]);
                }
                // A lone `\r` ends the line for codespan as a `\n` (printed, it
                // would send the terminal's cursor back over the line).
                if excerpt.source.ends_with('\r') && !text[end..].starts_with('\n') {
                    excerpt.source.pop();
                    excerpt.source.push('\n');
                }
                if segs.last().is_some_and(|s| s.real.end < end) {
                    excerpt.source.push_str(ELLIPSIS);
                    if text[..end].ends_with(['\n', '\r']) {
                        excerpt.source.push('\n');
                    }
                }
                excerpt.lines.push(ExcerptLine {
                    real: line,
                    range: from..excerpt.source.len(),
                    segments: segs,
                });
            }
            files.push(excerpt);
        }
        Excerpt { ws, files }
    }

    fn index(&self, file: FileId) -> usize {
        self.files.iter().position(|f| f.real == file).unwrap_or(0)
    }

    /// A label of the excerpt for a range of the real file.
    fn label(&self, primary: bool, file: FileId, range: &Range<usize>) -> Label<usize> {
        let id = self.index(file);
        let f = &self.files[id];
        let lines = self.ws.file(file).line_index();
        let text_len = self.ws.file(file).text.len();
        let (start, end) = (range.start.min(text_len), range.end.min(text_len));
        let range = f.to_excerpt(lines.line(start), start)..f.to_excerpt(lines.line(end), end);
        if primary {
            Label::primary(id, range)
        } else {
            Label::secondary(id, range)
        }
    }

    /// How many bytes of source the excerpt holds (for tests: the work of
    /// rendering is bounded by it).
    pub fn source_len(&self) -> usize {
        self.files.iter().map(|f| f.source.len()).sum()
    }
}

/// A diagnostic and the excerpt to render it from.
pub fn prepare<'w>(ws: &'w Workspace, d: &Diagnostic) -> (Excerpt<'w>, CsDiagnostic<usize>) {
    let mut ranges = vec![(d.file, d.range.clone())];
    ranges.extend(d.related.iter().map(|r| (r.file, r.range.clone())));
    let excerpt = Excerpt::new(ws, &ranges);
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info | Severity::Off => CsSeverity::Note,
    };
    let mut labels = vec![excerpt.label(true, d.file, &d.range)];
    labels.extend(d.related.iter().map(|r| {
        excerpt
            .label(false, r.file, &r.range)
            .with_message(r.message.clone())
    }));
    let mut diagnostic = CsDiagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(d.message.clone())
        .with_labels(labels);
    if let Some(help) = &d.help {
        diagnostic = diagnostic.with_notes(vec![format!("help: {help}")]);
    }
    (excerpt, diagnostic)
}

impl<'a, 'w: 'a> Files<'a> for Excerpt<'w> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        Ok(&self.ws.file(f.real).name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        Ok(&f.source)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        let i = f
            .lines
            .partition_point(|l| l.range.start <= byte_index)
            .saturating_sub(1);
        f.lines
            .get(i)
            .map(|l| l.real)
            .ok_or(FilesError::IndexTooLarge {
                given: byte_index,
                max: f.source.len(),
            })
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        f.line(line_index)
            .map(|l| l.range.clone())
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: f.lines.last().map_or(0, |l| l.real),
            })
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        let real = f.to_real(line_index, byte_index);
        let file = self.ws.file(f.real);
        Ok(file.line_index().line_col(&file.text, real).1)
    }
}

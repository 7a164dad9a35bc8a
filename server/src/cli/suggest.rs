//! `xwalk suggest`: target provisions for source text, the evaluation of
//! the engine, and a review of existing mappings (docs/suggest.md).

use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::check::suggest::{documents_like, help_did_you_mean};
use crate::model::index::EndpointKey;
use crate::model::{Workspace, load};
use crate::plural::plural;
use crate::suggest::{self, Request, Weights, evaluate, sources};

#[derive(clap::Args, Debug)]
#[command(group(
    clap::ArgGroup::new("mode").required(true).args(["for_", "evaluate", "review", "calibrate"])
))]
pub struct SuggestArgs {
    /// A file or folder (default: the current folder); its workspace is
    /// loaded.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Suggest for the provisions of DOC with `text` and the maps from DOC
    /// with an `excerpt` (or only those of DOC:ID).
    #[arg(long = "for", value_name = "DOC[:ID]")]
    pub for_: Option<String>,
    /// Leave one source document out at a time and score the suggestions
    /// against the mappings (hit@1, hit@3, hit@5, MRR).
    #[arg(long)]
    pub evaluate: bool,
    /// List mappings whose target ranks below the top K while another
    /// candidate is strong.
    #[arg(long)]
    pub review: bool,
    /// Re-fit the calibration on the shipped targets and print its
    /// parameters (for maintainers: docs/suggest.md).
    #[arg(long, hide = true)]
    pub calibrate: bool,
    /// With --evaluate: every item's ranked candidates and their features,
    /// as JSON (for studying the calibration).
    #[arg(long, hide = true, requires = "evaluate")]
    pub dump: bool,
    /// The target document (catalogued: its provisions are the candidates).
    #[arg(
        long,
        value_name = "TARGET",
        required_unless_present = "calibrate",
        default_value = ""
    )]
    pub target: String,
    /// How many candidates to show (and, with --review, the rank below
    /// which a mapping is listed).
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SuggestFormat::Text)]
    pub format: SuggestFormat,
    /// The engine's settings, for experiments:
    /// LEXICAL,NEIGHBOURS,K,POWER,GUIDANCE (docs/suggest.md).
    #[arg(long, value_name = "SETTINGS", hide = true, value_parser = parse_weights)]
    pub weights: Option<Weights>,
}

fn parse_weights(s: &str) -> Result<Weights, String> {
    Weights::parse(s).ok_or_else(|| "expected LEXICAL,NEIGHBOURS,K,POWER,GUIDANCE".into())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SuggestFormat {
    /// For a terminal.
    Text,
    /// One JSON object.
    Json,
}

#[derive(Serialize)]
struct Candidate {
    target: String,
    score: f64,
    /// The estimated chance that a curator accepts it.
    confidence: f64,
    why: String,
}

impl Candidate {
    fn of(target: &str, s: suggest::Suggestion) -> Candidate {
        Candidate {
            target: key(target, &s.id),
            score: s.score,
            confidence: s.confidence,
            why: s.why,
        }
    }
}

#[derive(Serialize)]
struct ItemOut {
    source: String,
    text: String,
    candidates: Vec<Candidate>,
    /// Why there is none, when no candidate is confident.
    #[serde(skip_serializing_if = "Option::is_none")]
    no_confident_suggestion: Option<String>,
}

#[derive(Serialize)]
struct ReviewOut {
    file: String,
    line: usize,
    column: usize,
    source: String,
    target: String,
    rank: Option<usize>,
    suggested: Candidate,
}

fn key(document: &str, id: &str) -> String {
    EndpointKey {
        document: document.to_string(),
        id: Some(id.to_string()),
    }
    .to_string()
}

/// `DOC` or `DOC:ID` (the id possibly in quotes).
fn parse_source(s: &str) -> (String, Option<String>) {
    match s.split_once(':') {
        Some((d, id)) => {
            let id = match id.strip_prefix('"').and_then(|i| i.strip_suffix('"')) {
                Some(quoted) => crate::syntax::strings::decode_quoted(&format!("\"{quoted}\"")).0,
                None => id.to_string(),
            };
            (d.to_string(), Some(id))
        }
        None => (s.to_string(), None),
    }
}

fn print(out: &str) -> u8 {
    match super::write_stdout(out) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_FAILURE,
    }
}

fn json(value: &impl Serialize) -> Option<String> {
    serde_json::to_string_pretty(value).ok().map(|s| s + "\n")
}

pub fn run(args: &SuggestArgs) -> u8 {
    let (loads, errors) = load::load_paths(std::slice::from_ref(&args.path));
    for e in &errors {
        eprintln!("error: {}: {}", e.path.display(), e.message);
    }
    if !errors.is_empty() {
        return EXIT_FAILURE;
    }
    let Some(loaded) = loads.first() else {
        return EXIT_FAILURE;
    };
    let ws = &loaded.workspace;
    if args.calibrate {
        return print(&calibrate(ws));
    }
    match ws.index.document(&args.target) {
        Some(d) if d.is_catalogued() => {}
        Some(_) => {
            eprintln!(
                "error: `{}` declares no provisions: there is nothing to suggest",
                args.target
            );
            return EXIT_FAILURE;
        }
        None => {
            let catalogued = ws
                .index
                .documents
                .values()
                .filter(|d| d.is_catalogued())
                .map(|d| d.id.as_str());
            eprintln!(
                "error: {}",
                unknown("target document", &args.target, catalogued)
            );
            return EXIT_FAILURE;
        }
    }
    let rendered = if let Some(for_) = &args.for_ {
        suggestions(ws, args, for_)
    } else if args.evaluate {
        evaluation(ws, args)
    } else {
        review(ws, args)
    };
    match rendered {
        Ok(out) => print(&out),
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_FAILURE
        }
    }
}

/// "unknown WHAT `ID`", then the closest ids, or else every id there is.
fn unknown<'a>(what: &str, id: &str, ids: impl Iterator<Item = &'a str> + Clone) -> String {
    let like = documents_like(id, ids.clone());
    if let Some(help) = help_did_you_mean(&like) {
        return format!("unknown {what} `{id}`; {help}");
    }
    let mut all: Vec<&str> = ids.collect();
    all.sort_unstable();
    format!(
        "unknown {what} `{id}`; the documents are: {}",
        all.join(", ")
    )
}

fn suggestions(ws: &Workspace, args: &SuggestArgs, for_: &str) -> Result<String, String> {
    let (document, id) = parse_source(for_);
    let items = sources::items_for(ws, &document, id.as_deref());
    if items.is_empty() {
        let known = ws.index.document(&document).is_some()
            || ws.mappings().any(|(_, m)| m.source.document == document);
        return Err(if known {
            format!("`{for_}` has no provision with `text` and no map with an `excerpt`")
        } else {
            unknown(
                "document",
                &document,
                ws.index.documents.keys().map(String::as_str),
            )
        });
    }
    let out: Vec<ItemOut> = items
        .iter()
        .map(|it| {
            let req = Request {
                text: &it.text,
                target: &args.target,
                exclude: Some(&it.source.document),
                weights: args.weights.unwrap_or(Weights::DEFAULT),
            };
            let ranking = suggest::ranking(ws, &req);
            let candidates: Vec<Candidate> = ranking
                .confident(args.top)
                .into_iter()
                .map(|s| Candidate::of(&args.target, s))
                .collect();
            ItemOut {
                source: it.source.to_string(),
                text: it.text.clone(),
                no_confident_suggestion: candidates
                    .is_empty()
                    .then(|| ranking.why_not_confident(&args.target)),
                candidates,
            }
        })
        .collect();
    if args.format == SuggestFormat::Json {
        #[derive(Serialize)]
        struct Out {
            suggestions: Vec<ItemOut>,
        }
        return json(&Out { suggestions: out }).ok_or_else(|| "cannot write JSON".into());
    }
    let mut s = String::new();
    for item in &out {
        s.push_str(&format!(
            "{}\n  “{}”\n",
            item.source,
            shorten(&item.text, 100)
        ));
        if let Some(why) = &item.no_confident_suggestion {
            s.push_str(&format!("  {why}\n"));
        }
        for (i, c) in item.candidates.iter().enumerate() {
            s.push_str(&format!(
                "  {}. {}  {:.0}%  {}\n",
                i + 1,
                c.target,
                100.0 * c.confidence,
                c.why
            ));
        }
        s.push('\n');
    }
    Ok(s)
}

/// The first `max` characters of the first line of `text`, with an
/// ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    let line = crate::syntax::lines::first(text);
    if line.chars().count() <= max && line.len() == text.len() {
        return line.to_string();
    }
    let cut: String = line.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

fn evaluation(ws: &Workspace, args: &SuggestArgs) -> Result<String, String> {
    if args.dump {
        return json(&evaluate::dump(ws, &args.target, 30))
            .ok_or_else(|| "cannot write JSON".into());
    }
    let e = evaluate::evaluate(ws, &args.target, args.weights.unwrap_or(Weights::DEFAULT))
        .ok_or_else(|| format!("`{}` is not a catalogued document", args.target))?;
    if args.format == SuggestFormat::Json {
        #[derive(Serialize)]
        struct Out {
            evaluation: evaluate::Evaluation,
        }
        return json(&Out { evaluation: e }).ok_or_else(|| "cannot write JSON".into());
    }
    let width = e
        .per_document
        .iter()
        .map(|d| d.document.len())
        .max()
        .unwrap_or(8)
        .max(8);
    if e.scores.items == 0 {
        return Ok(format!(
            "Leave-one-document-out evaluation onto {}: no labelled items. No mapping of \
             the workspace is onto {} or chains to it, so there is nothing to measure; \
             its suggestions rest on the words of its text (see docs/suggest.md for \
             what the calibration says of those).\n",
            e.target, e.target
        ));
    }
    let c = &e.calibration;
    let mut s = format!(
        "Leave-one-document-out evaluation onto {}: {}, {}\n\
         hit@1 {:.3}  hit@3 {:.3}  hit@5 {:.3}  MRR {:.3}\n\
         calibration: ECE {:.3} over {} (the best {} of each item; mean confidence {:.3}, right {:.3})\n\
         confident (a candidate at {:.0}% or more): {} of {}, best right for {:.3}\n\n",
        e.target,
        plural(e.documents, "document", "documents"),
        plural(e.scores.items, "item", "items"),
        e.scores.hit_at_1,
        e.scores.hit_at_3,
        e.scores.hit_at_5,
        e.scores.mrr,
        c.ece,
        plural(c.candidates, "candidate", "candidates"),
        evaluate::CALIBRATED_TOP,
        c.mean_confidence,
        c.accepted,
        100.0 * suggest::calibration::THRESHOLD,
        c.confident_items,
        e.scores.items,
        c.confident_hit_at_1,
    );
    s.push_str(&format!(
        "{:width$}  items  hit@1  hit@3  hit@5    MRR\n",
        "document"
    ));
    for d in &e.per_document {
        s.push_str(&format!(
            "{:width$}  {:>5}  {:.3}  {:.3}  {:.3}  {:.3}\n",
            d.document,
            d.scores.items,
            d.scores.hit_at_1,
            d.scores.hit_at_3,
            d.scores.hit_at_5,
            d.scores.mrr
        ));
    }
    Ok(s)
}

/// The calibration re-fitted on [`suggest::calibration::FITTED_ON`], as
/// Rust source, and the ECE of the fit and of the shipped parameters.
fn calibrate(ws: &Workspace) -> String {
    use suggest::calibration::{self, FITTED_ON, PARAMETERS};
    let rows = evaluate::calibration_rows(ws, &FITTED_ON);
    let fitted = calibration::fit(&rows);
    let mut s = format!("{}\n", calibration::source(&fitted));
    for target in FITTED_ON {
        let unreached = evaluate::evaluate(ws, target, suggest::Weights::UNREACHED)
            .map(|e| e.calibration.ece)
            .unwrap_or_default();
        s.push_str(&format!(
            "{target} as if no mapping reached it: ECE {unreached:.3}\n"
        ));
        let rows = evaluate::calibration_rows(ws, &[target]);
        let ece = |w: &[f64; calibration::DIMENSION]| {
            let pairs: Vec<(f64, bool)> = rows
                .iter()
                .map(|(f, y)| (calibration::probability_with(w, f), *y))
                .collect();
            calibration::ece(&pairs)
        };
        s.push_str(&format!(
            "{target}: {} rows, ECE {:.3} (re-fitted), {:.3} (shipped)\n",
            rows.len(),
            ece(&fitted),
            ece(&PARAMETERS)
        ));
        for (t, kept, right, lost) in
            evaluate::abstention(ws, target, &[0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5])
        {
            s.push_str(&format!(
                "  at {t:.2}: {kept} items confident, best right {right:.3}; \
                 the others' best right {lost:.3}\n"
            ));
        }
    }
    s
}

fn review(ws: &Workspace, args: &SuggestArgs) -> Result<String, String> {
    let findings = evaluate::review(
        ws,
        &args.target,
        args.top,
        args.weights.unwrap_or(Weights::DEFAULT),
    );
    let out: Vec<ReviewOut> = findings
        .into_iter()
        .map(|f| {
            let file = ws.file(f.file);
            let (line, column) = file.line_index().line_col(&file.text, f.range.start);
            ReviewOut {
                file: file.name.clone(),
                line,
                column,
                source: f.source,
                target: key(&args.target, &f.mapped),
                rank: f.rank,
                suggested: Candidate::of(&args.target, f.best),
            }
        })
        .collect();
    if args.format == SuggestFormat::Json {
        #[derive(Serialize)]
        struct Out {
            review: Vec<ReviewOut>,
        }
        return json(&Out { review: out }).ok_or_else(|| "cannot write JSON".into());
    }
    let mut s = String::new();
    for r in &out {
        let rank = match r.rank {
            Some(n) => format!("ranks {n}"),
            None => "is not ranked".to_string(),
        };
        s.push_str(&format!(
            "{}:{}:{}: {} -> {} {rank}; suggested {} ({:.3}: {})\n",
            r.file,
            r.line,
            r.column,
            r.source,
            r.target,
            r.suggested.target,
            r.suggested.score,
            r.suggested.why
        ));
    }
    s.push_str(&format!(
        "{} to review (target below the top {} while a candidate scores {} or more)\n",
        plural(out.len(), "mapping", "mappings"),
        args.top,
        evaluate::STRONG
    ));
    Ok(s)
}

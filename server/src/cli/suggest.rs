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
    clap::ArgGroup::new("mode").required(true).args(["for_", "evaluate", "review"])
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
    /// The target document (catalogued: its provisions are the candidates).
    #[arg(long, value_name = "TARGET")]
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
    why: String,
}

#[derive(Serialize)]
struct ItemOut {
    source: String,
    text: String,
    candidates: Vec<Candidate>,
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
            ItemOut {
                source: it.source.to_string(),
                text: it.text.clone(),
                candidates: suggest::suggest(ws, &req, args.top)
                    .into_iter()
                    .map(|s| Candidate {
                        target: key(&args.target, &s.id),
                        score: s.score,
                        why: s.why,
                    })
                    .collect(),
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
        if item.candidates.is_empty() {
            s.push_str("  (no candidate shares a word with the text)\n");
        }
        for (i, c) in item.candidates.iter().enumerate() {
            s.push_str(&format!(
                "  {}. {}  {:.3}  {}\n",
                i + 1,
                c.target,
                c.score,
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
    let mut s = format!(
        "Leave-one-document-out evaluation onto {}: {}, {}\n\
         hit@1 {:.3}  hit@3 {:.3}  hit@5 {:.3}  MRR {:.3}\n\n",
        e.target,
        plural(e.documents, "document", "documents"),
        plural(e.scores.items, "item", "items"),
        e.scores.hit_at_1,
        e.scores.hit_at_3,
        e.scores.hit_at_5,
        e.scores.mrr
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
            let (line, column) = file.lines.line_col(&file.text, f.range.start);
            ReviewOut {
                file: file.name.clone(),
                line,
                column,
                source: f.source,
                target: key(&args.target, &f.mapped),
                rank: f.rank,
                suggested: Candidate {
                    target: key(&args.target, &f.best.id),
                    score: f.best.score,
                    why: f.best.why,
                },
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

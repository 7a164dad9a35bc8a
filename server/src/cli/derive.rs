//! `xwalk derive`: the chained mappings of a workspace, or of one source
//! document, onto a target document, as `.xwalk` for a curator to review
//! or as JSON (docs/cli.md, docs/chains.md). Thin glue over
//! [`crate::chains::derive`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::chains::{self, Derivation, plain};
use crate::check::suggest::{documents_like, help_did_you_mean};
use crate::model::Workspace;
use crate::plural::plural;

#[derive(clap::Args, Debug)]
pub struct DeriveArgs {
    /// A workspace folder, a folder or a file (default: the current
    /// folder): the sources of its curated maps are walked from.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The target document the chains end in (e.g. etsi-en-303-645-v3).
    #[arg(long, value_name = "TARGET")]
    pub onto: String,
    /// Only the maps from this source document.
    #[arg(long = "for", value_name = "DOC")]
    pub for_: Option<String>,
    /// The most links a chain may have.
    #[arg(long, value_name = "N", default_value_t = chains::DEFAULT_MAX_HOPS,
          value_parser = parse_hops)]
    pub max_hops: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DeriveFormat::Xwalk)]
    pub format: DeriveFormat,
    /// Write to FILE (replaced whole, never half-written) instead of
    /// standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_hops(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if (1..=8).contains(&n) => Ok(n),
        _ => Err("expected a number of links from 1 to 8".into()),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DeriveFormat {
    /// A `.xwalk` file of derived maps, each with its chain.
    Xwalk,
    /// `{"derived": [...], "summary": {...}}`.
    Json,
}

#[derive(Serialize)]
struct Json<'a> {
    derived: Vec<Link>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Link {
    source: String,
    target: String,
    relation: &'static str,
    chain: Vec<String>,
}

#[derive(Serialize)]
struct Summary<'a> {
    onto: &'a str,
    #[serde(rename = "for")]
    for_: Option<&'a str>,
    max_hops: usize,
    sources: usize,
    unreached: usize,
    already_mapped: usize,
    derived: usize,
    /// Derived mappings per composed relation, by name.
    relations: BTreeMap<&'static str, usize>,
}

pub fn run(args: &DeriveArgs) -> u8 {
    let loaded = match super::load_readable(&args.path, "nothing derived") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let ws = &loaded.workspace;
    if let Err(message) = known(ws, "target document", &args.onto).and_then(|_| match &args.for_ {
        Some(doc) if !ws.mappings().any(|(_, m)| &m.source.document == doc) => {
            known(ws, "source document", doc)?;
            Err(format!("no map of {} is from `{doc}`", args.path.display()))
        }
        _ => Ok(()),
    }) {
        eprintln!("error: {message}");
        eprintln!("error: nothing derived");
        return EXIT_FAILURE;
    }
    let derivation = chains::derive(
        ws,
        &loaded.requested,
        args.for_.as_deref(),
        &args.onto,
        args.max_hops,
    );
    let text = match args.format {
        DeriveFormat::Xwalk => {
            chains::render::xwalk(&derivation.mappings, &header(ws, args, &derivation))
        }
        DeriveFormat::Json => json(args, &derivation),
    };
    let written = match &args.output {
        Some(path) => super::export::write_file(path, text.as_bytes()),
        None => super::write_stdout(&text).map_err(|e| format!("standard output: {e}")),
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return EXIT_FAILURE;
    }
    eprintln!("{}", summary_line(args, &derivation));
    EXIT_OK
}

/// `Ok` when the workspace or the built-in catalogs declare `id`.
fn known(ws: &Workspace, what: &str, id: &str) -> Result<(), String> {
    if ws.index.document(id).is_some() {
        return Ok(());
    }
    let ids = ws.index.documents.keys().map(String::as_str);
    let help = help_did_you_mean(&documents_like(id, ids)).unwrap_or_default();
    Err(format!(
        "unknown {what} `{id}`{}",
        if help.is_empty() {
            String::new()
        } else {
            format!("; {help}")
        }
    ))
}

/// "derived 12 mappings onto X from 7 sources (3 already mapped, 1 source
/// reaching nowhere within 3 links)".
fn summary_line(args: &DeriveArgs, d: &Derivation) -> String {
    format!(
        "derived {} onto {} from {} ({} already mapped left out; {} reaching nothing within {})",
        plural(d.mappings.len(), "mapping", "mappings"),
        args.onto,
        plural(d.sources, "source", "sources"),
        d.already_mapped,
        plural(d.unreached, "source", "sources"),
        plural(args.max_hops, "link", "links"),
    )
}

fn header(ws: &Workspace, args: &DeriveArgs, d: &Derivation) -> Vec<String> {
    let target = ws
        .index
        .document(&args.onto)
        .map_or_else(|| args.onto.clone(), |doc| doc.describe());
    let mut command = format!(
        "xwalk derive --onto {} --max-hops {}",
        args.onto, args.max_hops
    );
    if let Some(doc) = &args.for_ {
        command.push_str(&format!(" --for {doc}"));
    }
    vec![
        format!("Derived mappings onto {target}, written by `{command}`."),
        "Not curated: each map's `derived` field is its chain, source first, target last; its relation is the chain's relations composed by set theory (docs/chains.md), and `relation related` here means the composition is undetermined.".to_string(),
        "Review each one: delete it, or keep it as a curated mapping by deleting its `derived` field and its note.".to_string(),
        summary_line(args, d),
    ]
}

fn json(args: &DeriveArgs, d: &Derivation) -> String {
    let mut relations = BTreeMap::new();
    for m in &d.mappings {
        *relations.entry(m.relation.as_str()).or_insert(0) += 1;
    }
    let out = Json {
        derived: d
            .mappings
            .iter()
            .map(|m| Link {
                source: plain(&m.source),
                target: plain(&m.target),
                relation: m.relation.as_str(),
                chain: m.chain.iter().map(plain).collect(),
            })
            .collect(),
        summary: Summary {
            onto: &args.onto,
            for_: args.for_.as_deref(),
            max_hops: args.max_hops,
            sources: d.sources,
            unreached: d.unreached,
            already_mapped: d.already_mapped,
            derived: d.mappings.len(),
            relations,
        },
    };
    serde_json::to_string_pretty(&out).map_or_else(|_| "{}\n".to_string(), |s| s + "\n")
}

//! `xwalk stats`: coverage of the target standards.

use std::path::PathBuf;

use clap::ValueEnum;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::stats;

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// A file or folder (default: the current folder). Its workspace is
    /// loaded; the mappings of the files under PATH are counted.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Text)]
    pub format: StatsFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Aligned columns for a terminal.
    Text,
    /// Tables to paste into a pull-request comment.
    Markdown,
    /// One JSON object (the same numbers).
    Json,
}

pub fn run(args: &StatsArgs) -> u8 {
    let loaded = match super::load_readable(&args.path, "no statistics") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let stats = stats::compute(&loaded.workspace, Some(&loaded.requested));
    let rendered = match args.format {
        StatsFormat::Text => stats::text(&stats),
        StatsFormat::Markdown => stats::markdown(&stats),
        StatsFormat::Json => match serde_json::to_string_pretty(&stats) {
            Ok(s) => s + "\n",
            Err(_) => return EXIT_FAILURE,
        },
    };
    if super::write_stdout(&rendered).is_err() {
        return EXIT_FAILURE;
    }
    EXIT_OK
}

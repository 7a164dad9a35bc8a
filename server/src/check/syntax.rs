//! `syntax-error`: what the parser could not read.

use super::{Code, Diagnostic};
use crate::model::{FileId, Workspace};

pub fn check(ws: &Workspace, file: FileId) -> Vec<Diagnostic> {
    ws.file(file)
        .parse
        .errors
        .iter()
        .map(|e| {
            Diagnostic::new(Code::SyntaxError, file, e.range.clone(), e.message.clone())
                .help_opt(e.help.clone())
        })
        .collect()
}

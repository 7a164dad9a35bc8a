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

#[cfg(test)]
mod tests {
    use crate::fixture::check_fixture;

    #[test]
    fn what_the_parser_could_not_read() {
        check_fixture(
            r#"
            document guide {
              title "Guide"
              provision 1 { text "a" ) }
            #                        ^ syntax-error
            }
            "#,
        );
    }

    #[test]
    fn a_block_left_open_at_the_end_of_the_file() {
        // An error at the very end of the file lies after any annotation
        // line, so this one is asserted directly.
        let fx = crate::fixture::Fixture::parse("document guide {\n  title \"Guide\"\n");
        let found: Vec<_> = crate::check::check(&fx.ws)
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    fx.show(d.file, &d.range),
                    d.message.clone(),
                )
            })
            .collect();
        expect_test::expect![[r#"
            [
                (
                    "syntax-error",
                    "main.xwalk:2:16 ``",
                    "missing `}` to close the `document` block opened at line 1",
                ),
            ]
        "#]]
        .assert_debug_eq(&found);
    }
}

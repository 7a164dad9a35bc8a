//! Find references: every place in the workspace that names the document
//! or provision under the cursor.

use super::{FileRange, OccurrenceKind, Symbol, occurrences, symbol_at};
use crate::model::{FileId, Workspace};

/// Every occurrence of `symbol` in the workspace's own files, in file
/// order; declarations only when asked for (built-in ones included then).
pub fn find_all(ws: &Workspace, symbol: &Symbol, include_declaration: bool) -> Vec<FileRange> {
    let mut out = Vec::new();
    for id in ws.file_ids() {
        let file = ws.file(id);
        if file.is_builtin() && !include_declaration {
            continue;
        }
        for o in occurrences(&file.parse.ast) {
            if &o.symbol != symbol {
                continue;
            }
            let wanted = match o.kind {
                OccurrenceKind::Reference => !file.is_builtin(),
                OccurrenceKind::Declaration => include_declaration,
            };
            if wanted {
                out.push(FileRange {
                    file: id,
                    range: o.range,
                });
            }
        }
    }
    out
}

pub fn find_references(
    ws: &Workspace,
    file: FileId,
    offset: usize,
    include_declaration: bool,
) -> Vec<FileRange> {
    match symbol_at(ws, file, offset) {
        Some(o) => find_all(ws, &o.symbol, include_declaration),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    const WORKSPACE: &str = r#"
        //- a.xwalk
        document vendor-guide {
          title "Vendor guide"
          provision 1 { text "Unique passwords." }
          provision 2 { replaces vendor-guide:1 }
        }
        map vendor-guide:1 -> uk-cop-2018:1 {}
        //- b.xwalk
        map vendor-guide:1 -> uk-cop-2018:2, uk-cop-2018:1 {}
        map vendor-guide -> uk-cop-2018 {}
    "#;

    fn check(cursor_file: &str, cursor: &str, include_declaration: bool, expect: Expect) {
        let fx = Fixture::parse(WORKSPACE);
        let file = fx.file(cursor_file);
        let offset = fx.ws.file(file).text.find(cursor).expect("cursor text") + 1;
        let actual: String = find_references(&fx.ws, file, offset, include_declaration)
            .iter()
            .map(|r| fx.show(r.file, &r.range) + "\n")
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn provision_across_files_with_and_without_its_declaration() {
        check(
            "b.xwalk",
            ":1 ->",
            false,
            expect![[r#"
                a.xwalk:4:39 `1`
                a.xwalk:6:18 `1`
                b.xwalk:1:18 `1`
            "#]],
        );
        check(
            "b.xwalk",
            ":1 ->",
            true,
            expect![[r#"
                a.xwalk:3:13 `1`
                a.xwalk:4:39 `1`
                a.xwalk:6:18 `1`
                b.xwalk:1:18 `1`
            "#]],
        );
    }

    #[test]
    fn built_in_target() {
        // The references are the workspace's; the declaration is the
        // built-in catalog's (only with include_declaration).
        check(
            "a.xwalk",
            ":1 {}",
            false,
            expect![[r#"
                a.xwalk:6:35 `1`
                b.xwalk:1:50 `1`
            "#]],
        );
        check(
            "a.xwalk",
            ":1 {}",
            true,
            expect![[r#"
                a.xwalk:6:35 `1`
                b.xwalk:1:50 `1`
                builtin:uk-cop-2018.xwalk:32:13 `1`
            "#]],
        );
    }

    #[test]
    fn document_references() {
        check(
            "b.xwalk",
            "vendor-guide ->",
            false,
            expect![[r#"
                a.xwalk:4:26 `vendor-guide`
                a.xwalk:6:5 `vendor-guide`
                b.xwalk:1:5 `vendor-guide`
                b.xwalk:2:5 `vendor-guide`
            "#]],
        );
    }

    #[test]
    fn nothing_outside_a_symbol() {
        check("b.xwalk", "-> uk-cop-2018 {", false, expect![""]);
        check("a.xwalk", "Unique", true, expect![""]);
    }
}

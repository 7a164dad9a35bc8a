//! Go to definition: a reference → the declaration of its document,
//! provision or clause.

use super::{FileRange, Symbol, symbol_at};
use crate::model::{FileId, Workspace};

/// Where the symbol is declared (built-in catalogs included).
pub fn declaration(ws: &Workspace, symbol: &Symbol) -> Option<FileRange> {
    match symbol {
        Symbol::Document(id) => {
            let doc = ws.index.document(id)?;
            Some(FileRange {
                file: doc.decl.file,
                range: doc.id_range.clone(),
            })
        }
        Symbol::Provision { document, id } => {
            let doc = ws.index.document(document)?;
            if let Some(p) = doc.provision(id) {
                return Some(FileRange {
                    file: p.file,
                    range: p.id_range.clone(),
                });
            }
            let c = doc.clause(id)?;
            Some(FileRange {
                file: c.file,
                range: c.id_range.clone(),
            })
        }
    }
}

/// The declaration of what is under `offset`.
pub fn goto_definition(ws: &Workspace, file: FileId, offset: usize) -> Option<FileRange> {
    let occurrence = symbol_at(ws, file, offset)?;
    declaration(ws, &occurrence.symbol)
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    const GUIDE: &str = r#"
        //- a.xwalk
        document vendor-guide {
          title "Vendor guide"
          clause 1 "Passwords" {
            provision 1.1 { text "Unique passwords." }
          }
        }
    "#;

    fn check(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(&format!("{GUIDE}{fixture}"));
        let (file, offset) = fx.position();
        let actual = match goto_definition(&fx.ws, file, offset) {
            Some(d) => fx.show(d.file, &d.range),
            None => "nothing".to_string(),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn provision_in_another_file() {
        check(
            "//- b.xwalk\nmap vendor-guide:1.$01 -> uk-cop-2018:1 {}\n",
            expect!["a.xwalk:4:15 `1.1`"],
        );
    }

    #[test]
    fn clause_and_document() {
        check(
            "//- b.xwalk\nmap vendor-guide:$01 -> uk-cop-2018:1 {}\n",
            expect!["a.xwalk:3:10 `1`"],
        );
        check(
            "//- b.xwalk\nmap $0vendor-guide:1 -> uk-cop-2018:1 {}\n",
            expect!["a.xwalk:1:10 `vendor-guide`"],
        );
    }

    #[test]
    fn built_in_catalog() {
        check(
            "//- b.xwalk\nmap vendor-guide:1.1 -> uk-cop-2018:1$0 {}\n",
            expect!["builtin:uk-cop-2018.xwalk:32:13 `1`"],
        );
        check(
            "//- b.xwalk\nmap vendor-guide:1.1 -> uk-cop-20$018:1 {}\n",
            expect!["builtin:uk-cop-2018.xwalk:26:10 `uk-cop-2018`"],
        );
    }

    #[test]
    fn a_declaration_is_its_own_definition() {
        check(
            "//- b.xwalk\ndocument other {\n  title \"O\"\n  provision $0x {}\n}\n",
            expect!["b.xwalk:3:13 `x`"],
        );
    }

    #[test]
    fn nothing_for_unknown_ids_and_outside_ids() {
        check(
            "//- b.xwalk\nmap vendor-guide:$09 -> uk-cop-2018:1 {}\n",
            expect!["nothing"],
        );
        check(
            "//- b.xwalk\nmap nowhere$0:1 -> uk-cop-2018:1 {}\n",
            expect!["nothing"],
        );
        check(
            "//- b.xwalk\nmap vendor-guide:1.1 -> uk-cop-2018:1 {\n  $0relation equal-to\n}\n",
            expect!["nothing"],
        );
    }
}

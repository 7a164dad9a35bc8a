//! Rename a document or provision id across the workspace.

use super::{FileRange, Symbol, TextEdit, occurrences, symbol_at};
use crate::model::index::is_bare;
use crate::model::schema::is_document_id;
use crate::model::{FileId, Workspace};
use crate::syntax::strings::encode_quoted;

/// Why a rename cannot be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameError(pub String);

/// The range to rename at `offset`: the id under the cursor, when it is
/// declared in the workspace (built-in catalogs cannot be renamed).
pub fn prepare_rename(
    ws: &Workspace,
    file: FileId,
    offset: usize,
) -> Result<(FileRange, Symbol), RenameError> {
    let o =
        symbol_at(ws, file, offset).ok_or_else(|| RenameError("nothing to rename here".into()))?;
    let decl = super::definition::declaration(ws, &o.symbol).ok_or_else(|| {
        RenameError("this id is not declared anywhere, so there is nothing to rename".into())
    })?;
    if ws.file(decl.file).is_builtin() {
        return Err(RenameError(
            "this id belongs to a built-in catalog; declare the document in the workspace to rename it".into(),
        ));
    }
    Ok((
        FileRange {
            file,
            range: o.range,
        },
        o.symbol,
    ))
}

/// The edits renaming what is under `offset` to `new_name`, in every file.
pub fn rename(
    ws: &Workspace,
    file: FileId,
    offset: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    let (_, symbol) = prepare_rename(ws, file, offset)?;
    let new_text = match &symbol {
        Symbol::Document(_) => {
            if !is_document_id(new_name) {
                return Err(RenameError(format!(
                    "`{new_name}` is not a valid document id: use lowercase letters, digits, `.`, `_` and `-`"
                )));
            }
            new_name.to_string()
        }
        Symbol::Provision { .. } => {
            let unquoted = new_name
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(new_name);
            if unquoted.trim().is_empty() {
                return Err(RenameError("an id cannot be empty".into()));
            }
            if is_bare(unquoted) {
                unquoted.to_string()
            } else {
                encode_quoted(unquoted)
            }
        }
    };
    let mut edits = Vec::new();
    for id in ws.file_ids() {
        let f = ws.file(id);
        if f.is_builtin() {
            continue;
        }
        for o in occurrences(&f.parse.ast) {
            if o.symbol == symbol {
                edits.push(TextEdit {
                    file: id,
                    range: o.range,
                    new_text: new_text.clone(),
                });
            }
        }
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    fn check(fixture: &str, new_name: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let (file, offset) = fx.position();
        let actual = match rename(&fx.ws, file, offset, new_name) {
            Ok(edits) => fx.apply(&edits),
            Err(RenameError(e)) => format!("error: {e}"),
        };
        expect.assert_eq(&actual);
    }

    const WORKSPACE: &str = r#"
        //- a.xwalk
        document vendor-guide {
          title "Vendor guide"
          provision 1 { text "Unique passwords." }
          provision 2 { replaces vendor-guide:1 }
        }
        //- b.xwalk
        map vendor-guide:1 -> uk-cop-2018:1 {}
        map vendor-guide -> uk-cop-2018:2 {}
    "#;

    #[test]
    fn provision_in_every_file() {
        let fixture = WORKSPACE.replace("vendor-guide:1 ->", "vendor-guide:$01 ->");
        check(
            &fixture,
            "1a",
            expect![[r#"
                //- a.xwalk
                document vendor-guide {
                  title "Vendor guide"
                  provision 1a { text "Unique passwords." }
                  provision 2 { replaces vendor-guide:1a }
                }
                //- b.xwalk
                map vendor-guide:1a -> uk-cop-2018:1 {}
                map vendor-guide -> uk-cop-2018:2 {}
            "#]],
        );
    }

    #[test]
    fn a_new_id_that_is_not_a_bare_word_is_quoted() {
        let fixture = WORKSPACE.replace("provision 1 {", "provision 1$0 {");
        check(
            &fixture,
            "1 (a)",
            expect![[r#"
                //- a.xwalk
                document vendor-guide {
                  title "Vendor guide"
                  provision "1 (a)" { text "Unique passwords." }
                  provision 2 { replaces vendor-guide:"1 (a)" }
                }
                //- b.xwalk
                map vendor-guide:"1 (a)" -> uk-cop-2018:1 {}
                map vendor-guide -> uk-cop-2018:2 {}
            "#]],
        );
    }

    #[test]
    fn document() {
        let fixture = WORKSPACE.replace("map vendor-guide ->", "map vendor$0-guide ->");
        check(
            &fixture,
            "acme-guide",
            expect![[r#"
                //- a.xwalk
                document acme-guide {
                  title "Vendor guide"
                  provision 1 { text "Unique passwords." }
                  provision 2 { replaces acme-guide:1 }
                }
                //- b.xwalk
                map acme-guide:1 -> uk-cop-2018:1 {}
                map acme-guide -> uk-cop-2018:2 {}
            "#]],
        );
        check(
            &fixture,
            "Acme Guide",
            expect![
                "error: `Acme Guide` is not a valid document id: use lowercase letters, digits, `.`, `_` and `-`"
            ],
        );
    }

    #[test]
    fn refused() {
        let built_in = WORKSPACE.replace("uk-cop-2018:1 {}", "uk-cop-2018:$01 {}");
        check(
            &built_in,
            "one",
            expect![
                "error: this id belongs to a built-in catalog; declare the document in the workspace to rename it"
            ],
        );
        let unknown = WORKSPACE.replace("replaces vendor-guide:1", "replaces other:$01");
        check(
            &unknown,
            "one",
            expect!["error: this id is not declared anywhere, so there is nothing to rename"],
        );
        let keyword = WORKSPACE.replace("map vendor-guide ->", "m$0ap vendor-guide ->");
        check(&keyword, "x", expect!["error: nothing to rename here"]);
        let empty = WORKSPACE.replace("provision 1 {", "provision 1$0 {");
        check(&empty, "\"\"", expect!["error: an id cannot be empty"]);
    }

    #[test]
    fn prepare_rename_gives_the_range_under_the_cursor() {
        let fx = Fixture::parse(&WORKSPACE.replace("map vendor-guide:1", "map vendor-guide:1$0"));
        let (file, offset) = fx.position();
        let (range, symbol) = prepare_rename(&fx.ws, file, offset).unwrap();
        assert_eq!(fx.show(range.file, &range.range), "b.xwalk:1:18 `1`");
        assert_eq!(
            symbol,
            Symbol::Provision {
                document: "vendor-guide".into(),
                id: "1".into()
            }
        );
    }
}

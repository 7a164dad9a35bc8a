//! Which files map from each document: the workspace table [`MappedFrom`],
//! read through [`Workspace::files_mapping_from`].
//!
//! What a provision maps to (hover's "Maps to", its "Lands in" leaving out
//! what is already mapped, the code lens) is read from the files whose
//! `map` blocks have a source in the provision's document, and only
//! those: this table lists them, so that a request does not look through
//! every file's source documents (1,000 binary searches per hover in a
//! workspace of 1,000 files).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::incremental::{Earlier, WorkspaceTable};
use super::{FileId, Workspace};

/// Per document, the files (the built-in catalogs included) with a `map`
/// from it, in file order: each file's [`super::SourceFile::source_documents`]
/// gathered.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MappedFrom {
    files: FxHashMap<String, Vec<FileId>>,
}

impl MappedFrom {
    /// Read from every file of `ws`.
    pub fn build(ws: &Workspace) -> MappedFrom {
        let mut files: FxHashMap<String, Vec<FileId>> = FxHashMap::default();
        for id in ws.file_ids() {
            for doc in ws.file(id).source_documents() {
                match files.get_mut(doc.as_str()) {
                    Some(ids) => ids.push(id),
                    None => {
                        files.insert(doc.to_string(), vec![id]);
                    }
                }
            }
        }
        MappedFrom { files }
    }

    /// The files that map from `document`, in file order.
    pub fn files(&self, document: &str) -> &[FileId] {
        self.files.get(document).map_or(&[], Vec::as_slice)
    }
}

impl WorkspaceTable for MappedFrom {
    type Output = MappedFrom;

    crate::table_slot!();

    /// The earlier version's table when the same files changed none of
    /// their source documents (an edit of a target, an excerpt, a note, or
    /// a source's id keeps it); else read again.
    fn derive(ws: &Workspace, earlier: Option<Earlier<'_, MappedFrom>>) -> Arc<MappedFrom> {
        if let Some(e) = earlier
            && let Some(changed) = e.changed(ws)
            && changed.iter().all(|id| {
                e.files[id.0 as usize].source_documents() == ws.file(*id).source_documents()
            })
        {
            return e.table.clone();
        }
        Arc::new(MappedFrom::build(ws))
    }
}

impl Workspace {
    /// The files (built-in catalogs included) that map from `document`, in
    /// file order (see [`MappedFrom`]).
    pub fn files_mapping_from(&self, document: &str) -> &[FileId] {
        self.table::<MappedFrom>().files(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::incremental::tests::{edit, ws};

    /// The files the direct way: every file whose maps have a source in
    /// `document`.
    fn direct(ws: &Workspace, document: &str) -> Vec<FileId> {
        ws.file_ids()
            .filter(|id| {
                ws.file(*id)
                    .parse
                    .ast
                    .maps
                    .iter()
                    .any(|m| m.source.document().text == document)
            })
            .collect()
    }

    fn id(ws: &Workspace, name: &str) -> FileId {
        ws.file_ids()
            .find(|id| ws.file(*id).name == name)
            .expect("a file of the fixture")
    }

    #[test]
    fn the_files_that_map_from_a_document() {
        let v1 = ws(&[
            "map a:1 -> b:1\nmap c:1 -> b:2\n",
            "map c:2 -> b:1\n",
            "document a {}\n",
        ]);
        assert_eq!(v1.files_mapping_from("a"), [id(&v1, "0.xwalk")]);
        assert_eq!(
            v1.files_mapping_from("c"),
            [id(&v1, "0.xwalk"), id(&v1, "1.xwalk")]
        );
        assert!(v1.files_mapping_from("b").is_empty());
        for doc in ["a", "b", "c", "uk-cop-2018", "uk-psti-2023"] {
            assert_eq!(v1.files_mapping_from(doc), direct(&v1, doc), "{doc}");
        }
    }

    /// An edit that keeps every source document keeps the table; one that
    /// adds or removes a source document reads the files again.
    #[test]
    fn kept_while_no_source_document_changes() {
        let v1 = ws(&["map a:1 -> b:1\n", "map c:2 -> b:1\n"]);
        let before = v1.table::<MappedFrom>().clone();
        let v2 = edit(&v1, 0, "map a:7 -> b:9 { note \"x\" }\n");
        assert!(Arc::ptr_eq(v2.table::<MappedFrom>(), &before));
        let v3 = edit(&v2, 1, "map c:2 -> b:1\nmap a:3 -> b:1\n");
        assert!(!Arc::ptr_eq(v3.table::<MappedFrom>(), &before));
        assert_eq!(
            v3.files_mapping_from("a"),
            [id(&v3, "0.xwalk"), id(&v3, "1.xwalk")]
        );
        let v4 = edit(&v3, 0, "map d:1 -> b:1\n");
        assert_eq!(v4.files_mapping_from("a"), [id(&v4, "1.xwalk")]);
        assert_eq!(v4.files_mapping_from("d"), [id(&v4, "0.xwalk")]);
        for v in [&v1, &v2, &v3, &v4] {
            for doc in ["a", "b", "c", "d"] {
                assert_eq!(v.files_mapping_from(doc), direct(v, doc), "{doc}");
            }
        }
    }
}

//! The tables derived from earlier versions of a file or a workspace,
//! for the layer that derives them to update a table rather than build it
//! anew (see [`super::SourceFile::follow`]).
//!
//! A new version is made before anything is derived from it, and the
//! language server derives in the background, so a version's predecessor
//! may have no table yet and get one later, or never. A lineage keeps the
//! cells of the predecessors in order, most recent first, down to the
//! first that holds a table: whichever of them is filled first serves.

use std::sync::{Arc, OnceLock};

use super::Derived;

/// Where a derived table is or will be.
pub type Cell = Arc<OnceLock<Derived>>;

/// The cells of earlier versions, most recent first.
#[derive(Clone, Debug, Default)]
pub struct Lineage(Option<Arc<Link>>);

#[derive(Debug)]
struct Link {
    cell: Cell,
    earlier: Lineage,
}

impl Lineage {
    /// The lineage of a new version of something whose own cell is `cell`
    /// and whose lineage is `earlier`.
    pub fn after(cell: &Cell, earlier: &Lineage) -> Lineage {
        let earlier = match cell.get() {
            // The latest table: nothing earlier is needed.
            Some(_) => Lineage::default(),
            None => earlier.cut(),
        };
        Lineage(Some(Arc::new(Link {
            cell: cell.clone(),
            earlier,
        })))
    }

    /// The most recent table of the lineage, if one is there by now.
    pub fn table(&self) -> Option<Derived> {
        self.links().find_map(|l| l.cell.get().cloned())
    }

    fn links(&self) -> impl Iterator<Item = &Link> {
        std::iter::successors(self.0.as_deref(), |l| l.earlier.0.as_deref())
    }

    /// This lineage without the cells after its first table (which no one
    /// will read, and which would keep older tables alive).
    fn cut(&self) -> Lineage {
        let Some(filled) = self.links().position(|l| l.cell.get().is_some()) else {
            return self.clone();
        };
        let links: Vec<&Link> = self.links().take(filled + 1).collect();
        if links[filled].earlier.0.is_none() {
            return self.clone();
        }
        links.iter().rev().fold(Lineage::default(), |earlier, l| {
            let earlier = match l.cell.get() {
                Some(_) => Lineage::default(),
                None => earlier,
            };
            Lineage(Some(Arc::new(Link {
                cell: l.cell.clone(),
                earlier,
            })))
        })
    }

    /// How many cells the lineage keeps (for tests).
    #[cfg(test)]
    fn cells(&self) -> usize {
        self.links().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: u32) -> Derived {
        Arc::new(n)
    }

    fn read(l: &Lineage) -> Option<u32> {
        l.table().map(|t| *t.downcast::<u32>().unwrap())
    }

    /// Versions made while a background job derives the table of one of
    /// them find it once it is there, whichever version it was.
    #[test]
    fn a_table_filled_late_is_found() {
        let cells: Vec<Cell> = (0..5).map(|_| Cell::default()).collect();
        let mut lineage = Lineage::default();
        let mut lineages = Vec::new();
        for c in &cells {
            lineages.push(lineage.clone());
            lineage = Lineage::after(c, &lineage);
        }
        assert_eq!(read(&lineage), None);
        cells[1].set(table(1)).unwrap();
        assert_eq!(read(&lineage), Some(1));
        cells[3].set(table(3)).unwrap();
        assert_eq!(read(&lineage), Some(3), "the most recent");
        assert_eq!(read(&lineages[2]), Some(1));
    }

    /// The lineage is cut after its first table, so older tables are not
    /// kept alive by newer versions.
    #[test]
    fn older_tables_are_let_go() {
        let old = Cell::default();
        let mut lineage = Lineage::after(&old, &Lineage::default());
        for _ in 0..3 {
            lineage = Lineage::after(&Cell::default(), &lineage);
        }
        assert_eq!(lineage.cells(), 4);
        old.set(table(0)).unwrap();
        let filled = Cell::default();
        lineage = Lineage::after(&filled, &lineage);
        filled.set(table(1)).unwrap();
        let next = Lineage::after(&Cell::default(), &lineage);
        assert_eq!(next.cells(), 2, "the new cell and the filled one");
        assert_eq!(read(&next), Some(1));
        let held = Arc::strong_count(&old);
        drop(lineage);
        assert!(Arc::strong_count(&old) < held);
    }
}

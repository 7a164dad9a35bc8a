//! Interchange with other formats: importing the DCMS open data into
//! `.xwalk` files, and exporting a workspace as DCMS JSON, CSV, Crosswalk
//! JSON or an OSCAL mapping collection.
//!
//! Pure functions: parsed input in, file contents or JSON values out. No
//! printing and no file system access (the `cli` commands do that).

pub mod csv;
pub mod dcms;
pub mod json;
pub mod oscal;
pub mod rows;

pub use rows::{Export, MappingRow};

//! Interchange with other formats: importing the DCMS open data, OSCAL
//! mapping collections, CISO Assistant mapping libraries and NIST IR 8477
//! (STRM/OLIR) spreadsheets into `.xwalk` files, and exporting a workspace
//! as DCMS JSON, CSV, Crosswalk JSON, an OSCAL mapping collection, a CISO
//! Assistant library, a STRM spreadsheet (CSV, XLSX) or OpenCRE's import
//! CSV. docs/interop.md describes each format and what it cannot carry.
//!
//! Pure functions: parsed input in, file contents or JSON values out. No
//! printing and no file system access (the `cli` commands do that).

pub mod ciso;
pub mod csv;
pub mod dcms;
pub mod fields;
pub mod ingest;
pub mod json;
pub mod opencre;
pub mod oscal;
pub mod oscal_import;
pub mod rows;
pub mod strm;

pub use rows::{Export, MappingRow};

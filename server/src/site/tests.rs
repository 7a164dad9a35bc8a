//! The site of a small fixture: pages, links, determinism; and the
//! analytics behind it (matrix, consensus, changelog) against values
//! worked out by hand, and against the real DCMS data's per-guideline
//! record counts.

//! Hostile input: documents built to exhaust memory or time, a million item lines, NUL in
//! every header and part, and a job that kills its process. Every file is generated here.
//! The test process runs the service code in-process; documents are read in the real
//! `horme parse-document` child with the default limits, so a bomb costs one document and
//! the test process stays up with a bounded peak RSS (see `documents::peak_rss_stays_bounded`).

#[path = "../common/mod.rs"]
mod common;

mod bombs;
mod documents;
mod lines;
mod nul;
mod poison;

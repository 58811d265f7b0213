//! Quotations as stored records: gapless numbering, drafts from the pipeline, the PDF, and
//! the JSON view of DESIGN §3.

pub mod numbering;
pub mod store;

pub use store::{QuotationRecord, load_by_number, load_by_rfp};

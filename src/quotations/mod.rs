//! Quotations as stored records: gapless numbering, drafts from the pipeline, the PDF, the
//! JSON view of DESIGN §3, and the lifecycle from draft to accepted.

pub mod approval;
pub mod buttons;
pub mod document;
pub mod edits;
pub mod events;
pub mod housekeeping;
pub mod lifecycle;
pub mod numbering;
pub mod pending_edits;
pub mod revision;
pub mod status;
pub mod store;

pub use lifecycle::{Actor, LifecycleError, Transition};
pub use revision::Adjustments;
pub use status::Status;
pub use store::{QuotationRecord, load_by_number, load_by_rfp};

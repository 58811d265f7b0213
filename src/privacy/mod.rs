//! A person's data: exported on request (`horme customers export EMAIL`) and erased on
//! request (`horme customers forget EMAIL`), from their mail address. [`subject`] says what
//! counts as theirs.

pub mod export;
pub mod forget;
pub mod subject;

pub use export::{Export, export};
pub use forget::{ForgetReport, forget};
pub use subject::Subject;

#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    #[error("nothing is stored about {0}")]
    NothingStored(String),
    #[error("not now: {}. Run it again when these are done", .0.join("; "))]
    Busy(Vec<String>),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

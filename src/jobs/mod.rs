//! The job queue and the pipeline steps that run on it.

mod extract;
mod match_lines;
mod price;
pub mod queue;
mod render;
pub mod steps;
pub mod worker;

pub use steps::{StepError, run};

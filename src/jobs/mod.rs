//! The job queue and the pipeline steps that run on it.

mod events;
pub mod extract;
pub mod maintenance;
pub mod match_lines;
pub mod price;
pub mod queue;
mod render;
pub mod schedule;
pub mod steps;
pub mod worker;

pub use steps::{StepError, run};

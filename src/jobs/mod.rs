//! The job queue and the pipeline steps that run on it.

mod events;
mod extract;
pub mod maintenance;
mod match_lines;
mod price;
pub mod queue;
mod render;
pub mod schedule;
pub mod steps;
pub mod worker;

pub use steps::{StepError, run};

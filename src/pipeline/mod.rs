//! The pipeline core: text → requirements → matching → pricing → quotation → PDF.
//!
//! Every step is a plain function over plain data so that the job runner, the one-shot CLI,
//! the benchmarks and the tests all call the same code.

pub mod customer;
pub mod matching;
pub mod pricing;
pub mod quotation;
pub mod render;
pub mod requirements;
pub mod signature;
pub mod sources;
pub mod text;

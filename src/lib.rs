//! Horme quote bot: requests for quotation in, priced quotations out.
//!
//! The binary (`src/main.rs`) is a thin command-line front; everything lives here so that the
//! CLI, the HTTP API, the workers and the tests share one code path.

pub mod audit;
pub mod backup;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod customers;
pub mod db;
pub mod discord;
pub mod domain;
pub mod http;
pub mod ingest;
pub mod jobs;
pub mod llm;
pub mod login_status;
pub mod mail;
pub mod outbox;
pub mod pipeline;
pub mod privacy;
pub mod quotations;
pub mod retention;
pub mod slack;
pub mod startup;
pub mod telegram;
pub mod telemetry;
pub mod templates;
pub mod text_hygiene;

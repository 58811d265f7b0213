//! Faults (issue 10, acceptance): the service against a PostgreSQL cluster of the test's own
//! (started on another port, so that the shared one is never restarted) and `horme worker`
//! child processes with the default `[workers]` settings. In every case each request is
//! quoted exactly once (one quotation, numbers without gaps) and all are done within 30 s of
//! recovery; SMTP and LLM faults are retried where they are transient and fail visibly where
//! they are not.
//!
//! Where a step must be caught in flight, a trigger in the test's database (`gate.rs`) holds
//! the request's status change on an advisory lock the test holds: the worker stops there,
//! deterministically, until the test kills it.

#[path = "../common/mod.rs"]
mod common;

mod cluster;
mod db_stop;
mod gate;
mod kill;
mod llm;
mod setup;
mod smtp;

-- Token usage of every request the `llm` extractor made: one row per HTTP exchange that
-- returned usage (a chunk of a document), kept even when a later chunk failed, so that the
-- cost of a request is known whatever its outcome.
create table llm_usage (
    id                bigint generated always as identity primary key,
    rfp_id            uuid not null references rfps (id) on delete cascade,
    job_id            bigint references jobs (id) on delete set null,
    model             text not null,
    prompt_version    text not null,
    chunk_no          integer not null check (chunk_no > 0),
    chunk_count       integer not null check (chunk_count >= chunk_no),
    prompt_tokens     integer not null check (prompt_tokens >= 0),
    completion_tokens integer not null check (completion_tokens >= 0),
    total_tokens      integer not null check (total_tokens >= 0),
    duration_ms       integer not null check (duration_ms >= 0),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);
create index llm_usage_rfp on llm_usage (rfp_id);
create trigger llm_usage_updated_at before update on llm_usage
    for each row execute function set_updated_at();

-- Idempotency-Key of POST /api/rfps (issue 10): a key belongs to the API token that sent it
-- (a fingerprint, never the token) and to the content it first came with; a reuse with other
-- content is refused with 409 instead of silently returning the first request.
create table http_idempotency (
    token_fingerprint text not null,
    key               text not null,
    content_sha256    text not null,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    primary key (token_fingerprint, key)
);
create trigger http_idempotency_updated_at before update on http_idempotency
    for each row execute function set_updated_at();

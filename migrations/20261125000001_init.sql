-- Horme quote bot: initial schema. Append-only: later changes go into new files.

create extension if not exists pg_trgm;

create or replace function set_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at = now();
    return new;
end
$$;

-- The catalog. SKUs are text: leading zeros matter. A null price means "price on request".
create table products (
    sku            text primary key check (btrim(sku) <> ''),
    name           text not null check (btrim(name) <> ''),
    brand          text,
    category       text,
    description    text,
    unit           text not null default 'pc',
    price          numeric(14, 4) check (price is null or price >= 0),
    currency       text not null default 'SGD' check (currency ~ '^[A-Z]{3}$'),
    stock          integer,
    lead_time_days integer check (lead_time_days is null or lead_time_days >= 0),
    active         boolean not null default true,
    -- normalised tokens of the name (the same normaliser as requests), for search and scoring
    search_tokens  text[] not null,
    -- weighted: name A, brand B, category C, description D; built by the importer from the
    -- normalised tokens so that codes such as 302-25 or 100x1.2x16 stay whole
    search_vector  tsvector not null,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
create index products_search_vector on products using gin (search_vector);
create index products_name_trgm on products using gin (lower(name) gin_trgm_ops);
create index products_category on products (category);
create index products_updated_at on products (updated_at);
create trigger products_updated_at before update on products
    for each row execute function set_updated_at();

-- Document frequency of every search term, refreshed after each import: term weights for
-- scoring, and (trigram-indexed) the vocabulary that misspelt request words are mapped onto.
create table search_terms (
    term       text primary key,
    df         integer not null check (df > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index search_terms_trgm on search_terms using gin (term gin_trgm_ops);

-- Quantity discounts (DESIGN §4): scope is a SKU, a category name or '*'.
create table price_tiers (
    id           bigint generated always as identity primary key,
    scope        text not null check (btrim(scope) <> ''),
    min_qty      numeric(14, 3) not null check (min_qty >= 0),
    discount_pct numeric(7, 4) not null check (discount_pct >= 0 and discount_pct <= 100),
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (scope, min_qty)
);
create trigger price_tiers_updated_at before update on price_tiers
    for each row execute function set_updated_at();

-- Customers, recognised by full mail address or by mail domain.
create table customers (
    id           bigint generated always as identity primary key,
    name         text not null,
    email        text unique check (email = lower(email)),
    domain       text unique check (domain = lower(domain)),
    discount_pct numeric(7, 4) not null default 0 check (discount_pct >= 0 and discount_pct <= 100),
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    check (email is not null or domain is not null)
);
create trigger customers_updated_at before update on customers
    for each row execute function set_updated_at();

-- Everything received, stored before it is acknowledged. Deduplicated per channel.
create table inbound_messages (
    id          uuid primary key,
    channel     text not null,
    external_id text not null,
    thread      jsonb not null,
    sender      text not null,
    sender_name text,
    subject     text,
    body_text   text not null default '',
    body_html   text,
    raw         bytea,
    received_at timestamptz not null default now(),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (channel, external_id)
);
create trigger inbound_messages_updated_at before update on inbound_messages
    for each row execute function set_updated_at();

-- Attachments and uploaded files, bytes included.
create table documents (
    id                  uuid primary key,
    inbound_message_id  uuid not null references inbound_messages (id) on delete cascade,
    ordinal             integer not null,
    filename            text not null,
    media_type          text not null,
    size_bytes          bigint not null check (size_bytes >= 0),
    sha256              bytea not null check (length(sha256) = 32),
    content             bytea not null,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    unique (inbound_message_id, ordinal)
);
create trigger documents_updated_at before update on documents
    for each row execute function set_updated_at();

-- One request for quotation going through the pipeline.
create table rfps (
    id                 uuid primary key,
    inbound_message_id uuid not null unique references inbound_messages (id) on delete cascade,
    status             text not null default 'received' check (status in
                           ('received', 'extracting', 'matching', 'pricing', 'rendering', 'done', 'failed')),
    failure_reason     text,
    source_name        text not null,
    customer           jsonb not null default '{}',
    extractor          text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    check ((status = 'failed') = (failure_reason is not null))
);
create index rfps_status on rfps (status);
create trigger rfps_updated_at before update on rfps
    for each row execute function set_updated_at();

-- The items a request asks for, and (after matching) what the catalog offers for each.
create table requirement_lines (
    rfp_id       uuid not null references rfps (id) on delete cascade,
    line_no      integer not null check (line_no > 0),
    description  text not null check (btrim(description) <> ''),
    quantity     numeric(14, 3) not null check (quantity > 0),
    unit         text not null,
    match_status text check (match_status in ('matched', 'needs_review', 'unmatched', 'price_on_request')),
    matched_sku  text,
    confidence   double precision,
    alternatives jsonb not null default '[]',
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (rfp_id, line_no)
);
create trigger requirement_lines_updated_at before update on requirement_lines
    for each row execute function set_updated_at();

-- Gapless quotation numbers per year: the row is locked while a number is taken.
create table quote_counters (
    year       integer primary key,
    last_value bigint not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create trigger quote_counters_updated_at before update on quote_counters
    for each row execute function set_updated_at();

create table quotations (
    id           uuid primary key,
    number       text not null unique,
    base_number  text not null,
    revision     integer not null default 1 check (revision >= 1),
    rfp_id       uuid references rfps (id) on delete set null,
    source       text not null default '',
    status       text not null default 'draft' check (status in
                     ('draft', 'pending_approval', 'approved', 'sent', 'accepted', 'rejected', 'expired', 'failed')),
    customer     jsonb not null default '{}',
    customer_id  bigint references customers (id),
    currency     text not null,
    subtotal     numeric(14, 2) not null,
    tax_rate     numeric(6, 4) not null,
    tax          numeric(14, 2) not null,
    total        numeric(14, 2) not null,
    valid_until  date not null,
    pdf          bytea,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (base_number, revision),
    check (total = subtotal + tax)
);
create unique index quotations_first_revision_per_rfp on quotations (rfp_id) where revision = 1;
create index quotations_status on quotations (status);
create trigger quotations_updated_at before update on quotations
    for each row execute function set_updated_at();

create table quotation_lines (
    quotation_id   uuid not null references quotations (id) on delete cascade,
    line_no        integer not null check (line_no > 0),
    description    text not null,
    quantity       numeric(14, 3) not null check (quantity > 0),
    unit           text not null,
    status         text not null check (status in ('matched', 'needs_review', 'unmatched', 'price_on_request')),
    sku            text,
    product_name   text,
    confidence     double precision,
    alternatives   jsonb not null default '[]',
    list_price     numeric(14, 4),
    discount_pct   numeric(7, 4),
    unit_price     numeric(14, 2),
    line_total     numeric(14, 2),
    lead_time_days integer,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    primary key (quotation_id, line_no),
    check ((status = 'matched') = (line_total is not null))
);
create trigger quotation_lines_updated_at before update on quotation_lines
    for each row execute function set_updated_at();

-- The job queue (DESIGN §7.7): SKIP LOCKED dequeue, a lease instead of a held transaction,
-- exponential backoff, capped attempts, dead jobs kept with their last error.
create table jobs (
    id           bigint generated always as identity primary key,
    kind         text not null,
    payload      jsonb not null default '{}',
    rfp_id       uuid references rfps (id) on delete cascade,
    dedupe_key   text unique,
    status       text not null default 'queued' check (status in ('queued', 'running', 'done', 'dead')),
    priority     smallint not null default 0,
    attempts     integer not null default 0,
    max_attempts integer not null default 5 check (max_attempts >= 1),
    run_at       timestamptz not null default now(),
    locked_until timestamptz,
    lease_token  uuid,
    locked_by    text,
    last_error   text,
    finished_at  timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    check ((status = 'running') = (lease_token is not null))
);
create index jobs_ready on jobs (priority desc, run_at, id) where status = 'queued';
create index jobs_leases on jobs (locked_until) where status = 'running';
create index jobs_rfp on jobs (rfp_id);
create trigger jobs_updated_at before update on jobs
    for each row execute function set_updated_at();

-- Replies waiting to be sent, each exactly once (idempotency key per reply).
create table outbox (
    id              uuid primary key,
    idempotency_key text not null unique,
    channel         text not null,
    thread          jsonb not null,
    kind            text not null,
    subject         text,
    body            text not null,
    quotation_id    uuid references quotations (id) on delete set null,
    attach_pdf      boolean not null default false,
    status          text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    locked_until    timestamptz,
    last_error      text,
    external_id     text,
    sent_at         timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index outbox_due on outbox (next_attempt_at) where status in ('pending', 'sending');
create trigger outbox_updated_at before update on outbox
    for each row execute function set_updated_at();

-- Who did what, when, through which channel.
create table audit_log (
    id         bigint generated always as identity primary key,
    entity     text not null,
    entity_id  text not null,
    action     text not null,
    actor      text not null,
    channel    text not null,
    detail     jsonb not null default '{}',
    created_at timestamptz not null default now()
);
create index audit_log_entity on audit_log (entity, entity_id, created_at);

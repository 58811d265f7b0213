-- Stored search tokens and correction keys are made by the search normaliser; when a newer
-- binary reads sizes or units differently it re-tokenises the catalog and re-keys the
-- corrections once (catalog::search::retokenize), recorded here.
create table search_state (
    id                 boolean primary key default true check (id),
    normaliser_version integer not null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create trigger search_state_updated_at before update on search_state
    for each row execute function set_updated_at();
insert into search_state (normaliser_version) values (1);

-- The description a correction was recorded for, as written, so that its key can be made
-- again by a newer normaliser (corrections recorded before this have only their key).
alter table match_corrections add column description text;

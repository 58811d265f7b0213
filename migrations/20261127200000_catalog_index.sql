-- Catalog search moves into an in-process index per worker (catalog::index), rebuilt from
-- products when the catalog version changes. PostgreSQL stays the source of truth.

-- Bumped by every import and synonym change, in the same transaction as NOTIFY horme_catalog.
create sequence catalog_version;

-- Phrases rewritten to their replacement on both sides of a match ("s/s" = "stainless steel").
create table synonyms (
    id          bigint generated always as identity primary key,
    phrase      text not null unique check (btrim(phrase) <> '' and phrase = lower(phrase)),
    replacement text not null check (btrim(replacement) <> ''),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create trigger synonyms_updated_at before update on synonyms
    for each row execute function set_updated_at();

-- The term frequencies and the trigram vocabulary now live in the index.
drop table search_terms;

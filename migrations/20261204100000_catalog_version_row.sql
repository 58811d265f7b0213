-- The catalog version moves from a sequence into a row. A sequence is not transactional:
-- `nextval` inside an import's or a synonym edit's transaction was visible before that
-- transaction committed, so a worker building its index at that moment could record the new
-- version with the old rows and keep the stale index. A row updated in the same transaction
-- becomes visible with the change it announces, and an index read in one snapshot holds
-- exactly the rows of the version it records.
create table catalog_state (
    singleton boolean primary key default true check (singleton),
    version   bigint  not null check (version >= 0)
);
insert into catalog_state (version)
select case when is_called then last_value else 0 end from catalog_version;
drop sequence catalog_version;

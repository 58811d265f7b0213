-- The quotation lifecycle (DESIGN §5): who decided what and when, revisions, approvers.

-- A revision replaces its predecessor, which keeps its number and its PDF as history.
alter table quotations drop constraint quotations_status_check;
alter table quotations add constraint quotations_status_check check (status in
    ('draft', 'pending_approval', 'approved', 'sent', 'accepted', 'rejected', 'expired', 'failed', 'revised'));

alter table quotations
    add column submitted_at       timestamptz,
    add column decided_at         timestamptz,
    add column decided_by         text,
    add column sent_at            timestamptz,
    add column closed_at          timestamptz,
    add column reason             text,
    add column reminded_at        timestamptz,
    -- an approver's discount on top of the price tiers, in percent (revisions carry it)
    add column extra_discount_pct numeric(7, 4) not null default 0
        check (extra_discount_pct >= 0 and extra_discount_pct < 100),
    add column revised_from       uuid references quotations (id);

create index quotations_pending on quotations (submitted_at) where status = 'pending_approval';
create index quotations_open_validity on quotations (valid_until)
    where status in ('pending_approval', 'approved', 'sent');

-- People allowed to approve quotations, besides those in the configuration. An identity is
-- a lowercase mail address or a chat identity such as 'telegram:12345'.
create table approvers (
    identity   text primary key check (identity = lower(identity) and btrim(identity) <> ''),
    name       text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create trigger approvers_updated_at before update on approvers
    for each row execute function set_updated_at();

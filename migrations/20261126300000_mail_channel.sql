-- The mail channel: where each IMAP poller stands, what became of each received mail, and
-- what the outbox needs for threading, rate limits and exactly-once sending.

-- Per watched mailbox (user@host:port/folder): every message up to last_uid is stored and
-- marked. A different uid_validity means the server renumbered the folder.
create table mail_mailboxes (
    mailbox      text primary key,
    uid_validity bigint not null,
    last_uid     bigint not null default 0 check (last_uid >= 0),
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create trigger mail_mailboxes_updated_at before update on mail_mailboxes
    for each row execute function set_updated_at();

-- One row per received mail (the message itself is in inbound_messages, raw bytes kept):
-- how it was classified and, for replies in one of our threads, the quotation it refers to.
create table mail_inbound (
    inbound_message_id uuid primary key references inbound_messages (id) on delete cascade,
    mailbox            text not null,
    uid                bigint,
    message_id         text not null,
    in_reply_to        text[] not null default '{}',
    refs               text[] not null default '{}',
    kind               text not null check (kind in
                           ('rfp', 'command', 'conversation', 'ignored', 'unparseable', 'too_large')),
    -- why it was ignored, or what the command was
    reason             text,
    rfp_id             uuid references rfps (id) on delete set null,
    quotation_id       uuid references quotations (id) on delete set null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index mail_inbound_kind on mail_inbound (kind, created_at);
create trigger mail_inbound_updated_at before update on mail_inbound
    for each row execute function set_updated_at();

-- Outbox additions: the request a reply belongs to (threading before a quotation exists), the
-- recipient (rate limits), whether the reply is an automatic notice (counted by the limit),
-- and a per-attempt lease token so that only the current sender records the outcome.
alter table outbox add column rfp_id uuid references rfps (id) on delete set null;
alter table outbox add column recipient text check (recipient = lower(recipient));
alter table outbox add column automatic boolean not null default false;
alter table outbox add column lease_token uuid;
create index outbox_external_id on outbox (external_id) where external_id is not null;
create index outbox_recipient_automatic on outbox (recipient, created_at) where automatic;
create index outbox_rfp on outbox (rfp_id);
create index outbox_failed on outbox (created_at) where status = 'failed';

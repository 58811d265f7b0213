-- An approver pressed Change under a draft in chat: their next message in that conversation
-- is read as the changes to the quotation (quotations::pending_edits). One open edit per
-- person and conversation; it lapses after a while.
create table pending_edits (
    channel      text        not null,
    conversation text        not null,
    actor        text        not null,
    number       text        not null,
    opened_at    timestamptz not null default now(),
    primary key (channel, conversation, actor)
);

-- Chat channels on the one reply path (issue 11): outbox rows carry buttons (an inline
-- keyboard under a draft for approval); who may submit from which chat is kept here, besides
-- the configuration. Approvers of a chat channel are rows of `approvers` with a chat identity
-- such as 'telegram:12345' (the platform's user id, never a display name).
alter table outbox add column buttons jsonb not null default '[]';

create table chat_access (
    channel    text not null check (channel = lower(channel) and btrim(channel) <> ''),
    -- 'chat': a chat whose members may submit requests; 'user': one person, in any chat
    scope      text not null check (scope in ('chat', 'user')),
    subject_id text not null check (btrim(subject_id) <> ''),
    note       text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (channel, scope, subject_id)
);
create trigger chat_access_updated_at before update on chat_access
    for each row execute function set_updated_at();

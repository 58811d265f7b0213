-- Who may submit, by workspace too (issue 11): 'workspace' is a Slack workspace (team id) or a
-- Discord server (guild id) whose members may all submit requests.
alter table chat_access drop constraint chat_access_scope_check;
alter table chat_access add constraint chat_access_scope_check check (scope in ('chat', 'user', 'workspace'));

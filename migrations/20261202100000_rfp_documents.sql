-- What became of each attachment of a request (issue 10 item 7): [{name, status: read|skipped, reason?}],
-- written by the extract step, shown in the quotation JSON, the API status and the replies.
alter table rfps add column documents jsonb not null default '[]';

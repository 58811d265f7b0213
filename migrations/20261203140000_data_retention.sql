-- Data safety (issue 12): retention purges the bytes of old, finished requests (raw mail,
-- document contents, rendered PDFs) and keeps the rows accounting needs; `horme customers
-- forget` erases a person's data and anonymises their quotations. Each keeps a mark of when.

-- The raw message (`raw`) was removed by the retention purge.
alter table inbound_messages add column raw_purged_at timestamptz;
-- The document's bytes were removed (content is then empty; size_bytes and sha256 still
-- describe the file that was received).
alter table documents add column purged_at timestamptz;
alter table documents add constraint documents_purged_content_empty
    check (purged_at is null or length(content) = 0);
-- The rendered PDF (`pdf`) was removed by the retention purge.
alter table quotations add column pdf_purged_at timestamptz;

-- The personal data of a message, request or quotation was erased on request.
alter table inbound_messages add column forgotten_at timestamptz;
alter table rfps add column forgotten_at timestamptz;
alter table quotations add column forgotten_at timestamptz;

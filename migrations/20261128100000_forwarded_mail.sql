-- A request one of our colleagues forwarded: the stored sender is the original sender (the
-- customer), and the colleague who passed it on is kept here.
alter table inbound_messages add column forwarded_by text;

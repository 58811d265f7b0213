-- A job taken over from a process that stopped while running it (its lease expired, or the
-- process restarted) counts a takeover; the second one dead-letters the job instead of
-- handing it to a third process (a poisoned document must not crash-loop the service).
alter table jobs add column takeovers integer not null default 0;

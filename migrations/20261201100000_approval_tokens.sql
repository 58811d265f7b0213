-- Approvals that cannot be forged (issue 10): the draft sent to the approvers carries a random
-- token, and only a reply carrying it may approve or reject. Discounts granted by a person
-- are capped: per approver here, else by approval.max_discount_pct.
alter table quotations add column approval_token text;

alter table approvers add column max_discount_pct numeric(5, 2)
    check (max_discount_pct is null or (max_discount_pct >= 0 and max_discount_pct < 100));

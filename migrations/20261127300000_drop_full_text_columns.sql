-- Candidate search runs in the in-process index (catalog::index): nothing queries the
-- full-text vector or the name trigram index any more, and maintaining them made imports
-- twice as slow.
drop index products_search_vector;
drop index products_name_trgm;
alter table products drop column search_vector;

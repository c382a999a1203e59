-- transactional: false
-- A sales rep's grid page (see services/service_layer/customer_grid.py, "_rep_page") at a million customers.
-- Built CONCURRENTLY, outside a transaction, so a live database keeps taking writes.

-- The rep's shared-sibling rule tested a row's chain against an array of the
-- rep's ~1,000 chains one by one (`= ANY` of a run-time array is a linear search),
-- for every row a rep's query touched. `IN (SELECT unnest(...))` becomes a hashed
-- subplan: one lookup per row. Same rows, same roles.
ALTER POLICY sales_rep_read ON cm_customer_hot_proj
    USING (owner_id = (SELECT steward_current_user_id())
           OR (shared AND NOT is_chain AND chain_id IN (SELECT unnest(steward_rep_chains()))));
ALTER POLICY sales_rep_read ON accounts
    USING (owner_id = (SELECT steward_current_user_id())
           OR (coverage_policy = 'CHAIN_SHARED' AND parent_account_id IN (SELECT unnest(steward_rep_chains()))));

-- A rep's own customers and their chains' shared siblings, in name order, with every
-- column a grid filter (the search words too) or the row-level security policy reads:
-- a page's keys come from index entries alone (an index-only scan), however few of
-- the rep's rows match.
CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_owner_cover_idx ON cm_customer_hot_proj (owner_id, name, customer_id)
    INCLUDE (region, city, chain_id, shared, is_chain, sample_status, sample_last_event_at, roi_bucket, roi_value,
             decision_maker_count, season_start, season_end, renewal_date, exclusivity, search);
CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_shared_sibling_idx ON cm_customer_hot_proj (chain_id, name, customer_id)
    INCLUDE (owner_id, region, city, shared, is_chain, sample_status, sample_last_event_at, roi_bucket, roi_value,
             decision_maker_count, season_start, season_end, renewal_date, exclusivity, search)
    WHERE shared AND NOT is_chain;

-- The covering index starts with the same columns.
DROP INDEX CONCURRENTLY IF EXISTS hot_owner_name_idx;

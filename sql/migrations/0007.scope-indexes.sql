-- transactional: false
-- Indexes that let a scoped list walk its own customers in order instead of
-- filtering the whole name index (see services/service_layer/customers.py, "scope branches").
-- Built CONCURRENTLY, outside a transaction, so a live database keeps taking writes.

-- A sales rep's chains (steward_rep_chains) from the index alone.
CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_owner_parent_idx ON accounts (owner_id, parent_account_id);

-- A chain's locations in name order, for chain managers and shared siblings.
CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_chain_name_idx ON cm_customer_hot_proj (chain_id, name, customer_id);

DROP INDEX CONCURRENTLY IF EXISTS hot_chain_idx;
DROP INDEX CONCURRENTLY IF EXISTS accounts_owner_idx;

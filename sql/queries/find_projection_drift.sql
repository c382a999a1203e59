-- The customers among :ids whose hot projection row differs from the truth (or
-- is missing), read in one snapshot and without locking anything. The triggers
-- keep both in step within every transaction, so a snapshot never shows a
-- difference that a concurrent writer is about to mend: what this finds is
-- drift. The daemon's `projections` consumer checks every customer a batch
-- touches with it, and locks and repairs (services/service_layer/projections.repair) only
-- these, normally none: the repair's row locks on the accounts and its upsert
-- cost more than the comparison.
SELECT customer_id FROM hot_projection_drift(:lo, :hi, CAST(:ids AS uuid[]))

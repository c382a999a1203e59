-- transactional: false
-- Every sort key of the grid (services/service_layer/customer_grid.py SORTABLE) with customer_id
-- last, so a keyset page in that order is one index walk: sorting a million
-- customers by ROI value or last sample event took 200-300 ms a page without.
-- Built CONCURRENTLY, outside a transaction, so a live database keeps taking writes.

CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_roi_value_idx ON cm_customer_hot_proj (roi_value, customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_sample_event_idx ON cm_customer_hot_proj (sample_last_event_at, customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_dm_id_idx ON cm_customer_hot_proj (decision_maker_count, customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_renewal_id_idx ON cm_customer_hot_proj (renewal_date, customer_id);
-- A team lead's customers by city: cities belong to regions, so walking the city
-- index for one region passed ~170,000 other regions' rows first (380 ms).
CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_region_city_idx ON cm_customer_hot_proj (region, city, customer_id);
-- The season filter ("overlaps [from, to]") walks season_start <= to and checks the end.
CREATE INDEX CONCURRENTLY IF NOT EXISTS hot_season_start_idx ON cm_customer_hot_proj (season_start, customer_id);

-- Each replaced by its wider twin above.
DROP INDEX CONCURRENTLY IF EXISTS hot_dm_idx;
DROP INDEX CONCURRENTLY IF EXISTS hot_renewal_idx;
DROP INDEX CONCURRENTLY IF EXISTS hot_season_idx;

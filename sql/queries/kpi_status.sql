-- How current the KPI aggregates are: built at all, last brought up to date,
-- and the time of the first relevant event they do not reflect yet.
SELECT s.built_at, s.applied_at, kpi_pending_since(CAST(:types AS text[])) AS pending_since, now() AS now
  FROM (SELECT 1) AS one
  LEFT JOIN kpi_state s ON true

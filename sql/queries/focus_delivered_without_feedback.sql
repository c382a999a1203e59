-- Customers whose latest sample was delivered and still awaits feedback,
-- longest waiting first, in keyset pages after (:after, :after_id), with the
-- due date of the feedback SLA. Walks the projection's sample index; row-level
-- security limits it to the person's customers.
SELECT p.customer_id, p.name, p.city, p.region, u.display_name AS owner_name, p.chain_name,
       p.sample_last_event_at AS date, CAST(p.sla_due AS text) AS detail
  FROM cm_customer_hot_proj p
  LEFT JOIN users u ON u.id = p.owner_id
 WHERE p.sample_status = 'DELIVERED'
   AND (CAST(:after AS timestamptz) IS NULL
        OR (p.sample_last_event_at, p.customer_id) > (:after, :after_id))
   AND (CAST(:region AS text) IS NULL OR p.region = :region)
   AND (CAST(:owner AS uuid) IS NULL OR p.owner_id = :owner)
   AND (CAST(:chain AS uuid) IS NULL OR p.chain_id = :chain)
 ORDER BY p.sample_last_event_at, p.customer_id
 LIMIT :limit

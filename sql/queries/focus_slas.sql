-- Customers whose earliest open SLA falls due in :due_from..:due_to (NULL: no
-- bound), soonest first, in keyset pages after (:after, :after_id). Walks the
-- projection's sla_due index; row-level security limits it to the person's
-- customers. Only the projection is read: the SLAs' own row-level security
-- checks each row against all the accounts a person may read, which for a
-- team lead costs more than the whole list should.
SELECT p.customer_id, p.name, p.city, p.region, u.display_name AS owner_name, p.chain_name,
       p.sla_due AS date, NULL AS detail
  FROM cm_customer_hot_proj p
  LEFT JOIN users u ON u.id = p.owner_id
 WHERE p.sla_due IS NOT NULL
   AND (CAST(:due_from AS date) IS NULL OR p.sla_due >= :due_from)
   AND (CAST(:due_to AS date) IS NULL OR p.sla_due <= :due_to)
   AND (CAST(:after AS date) IS NULL OR (p.sla_due, p.customer_id) > (:after, :after_id))
   AND (CAST(:region AS text) IS NULL OR p.region = :region)
   AND (CAST(:owner AS uuid) IS NULL OR p.owner_id = :owner)
   AND (CAST(:chain AS uuid) IS NULL OR p.chain_id = :chain)
 ORDER BY p.sla_due, p.customer_id
 LIMIT :limit

-- Customers whose supplier contract renews in :day_from..:day_to, soonest
-- first, in keyset pages after (:after, :after_id); detail says whether
-- the contract is exclusive. Walks the projection's renewal index; row-level
-- security limits it to the person's customers.
SELECT p.customer_id, p.name, p.city, p.region, u.display_name AS owner_name, p.chain_name,
       p.renewal_date AS date, CASE WHEN p.exclusivity THEN 'exclusive' END AS detail
  FROM cm_customer_hot_proj p
  LEFT JOIN users u ON u.id = p.owner_id
 WHERE p.renewal_date BETWEEN :day_from AND :day_to
   AND (CAST(:after AS date) IS NULL OR (p.renewal_date, p.customer_id) > (:after, :after_id))
   AND (CAST(:region AS text) IS NULL OR p.region = :region)
   AND (CAST(:owner AS uuid) IS NULL OR p.owner_id = :owner)
   AND (CAST(:chain AS uuid) IS NULL OR p.chain_id = :chain)
 ORDER BY p.renewal_date, p.customer_id
 LIMIT :limit

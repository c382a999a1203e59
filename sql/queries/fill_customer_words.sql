-- Every customer's search words (sql/migrations/0010), into the empty
-- cm_customer_words of the demo's bulk load (services/entrypoints/demo/bulk.py).
INSERT INTO cm_customer_words (word, name, customer_id, region)
SELECT word, name, customer_id, region
  FROM hot_words_truth('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff')

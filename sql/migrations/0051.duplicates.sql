-- Duplicates (issue 14): a merged customer stays as a tombstone pointing to the survivor,
-- so that its id still resolves (inbound events, links, `customers.get`); the grid and the
-- projections leave it out. Pairs a person dismissed as "not a duplicate" are remembered,
-- each pair once (the smaller id first), and no scan offers them again.
ALTER TABLE accounts ADD COLUMN merged_into uuid REFERENCES accounts (id);
CREATE INDEX accounts_merged_into_idx ON accounts (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE duplicate_dismissals (
    customer_a    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    customer_b    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    dismissed_by  uuid REFERENCES users (id),
    dismissed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_a, customer_b),
    CONSTRAINT dismissal_ordered CHECK (customer_a < customer_b)
);

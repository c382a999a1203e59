-- Change sets of imports and merges change more than values: an import creates customers
-- and contacts, a merge moves child rows (samples, activities, SLAs, contact links) to the
-- survivor and leaves the others as tombstones. Each is one item, so that undo can take
-- it back (sql/definitions/15_change_sets.sql hands those items to the undo of their
-- kind: steward_internal.undo_import, steward_internal.undo_merge).
--   created:   a customer the change set created (key 'customer'; after: its master data)
--   contact:   a contact it created or linked (key: the contact id; after: the link)
--   moved:     a child row moved to another customer (key '<table>:<row id>'; before/after: the customer ids)
--   tombstone: a customer merged into a survivor (key 'merged_into'; after: the survivor's id)
ALTER TABLE change_set_items DROP CONSTRAINT change_set_items_target_check;
ALTER TABLE change_set_items ADD CONSTRAINT change_set_items_target_check
    CHECK (target IN ('field', 'master', 'owner', 'created', 'contact', 'moved', 'tombstone'));

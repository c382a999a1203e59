-- Tables below an account are readable with the account, as a correlated EXISTS.
--
-- 0003 wrote this as `customer_id IN (SELECT id FROM accounts)`. A sublink in
-- a row-level security qual is not pulled up into a join, so PostgreSQL ran it
-- as a hashed subplan: every read of one customer's fields, samples or
-- activities first hashed all the accounts the person may read (180,000 for a
-- team lead at a million customers, ~150 ms). As EXISTS it is one primary-key
-- probe per row (the accounts policy applies inside), which is what detail
-- screens and "walk until the page is full" focus lists need.

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['field_values', 'field_history', 'sample_request', 'activities', 'slas',
                             'roi_scenarios', 'event_outbox']
    LOOP
        EXECUTE format('DROP POLICY person_read ON %I', t);
        EXECUTE format('CREATE POLICY person_read ON %I FOR SELECT TO steward_person
                            USING (EXISTS (SELECT 1 FROM accounts a WHERE a.id = %I.customer_id))', t, t);
    END LOOP;
END
$$;

DROP POLICY person_read ON sample_item;
CREATE POLICY person_read ON sample_item FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM sample_request s WHERE s.id = sample_item.sample_id));

DROP POLICY person_read ON sample_status_history;
CREATE POLICY person_read ON sample_status_history FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM sample_request s WHERE s.id = sample_status_history.sample_id));

DROP POLICY person_read ON contact_roles;
CREATE POLICY person_read ON contact_roles FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM accounts a WHERE a.id = contact_roles.account_id));

DROP POLICY person_read ON contacts;
CREATE POLICY person_read ON contacts FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM contact_roles r WHERE r.contact_id = contacts.id));

DROP POLICY person_update ON contacts;
CREATE POLICY person_update ON contacts FOR UPDATE TO steward_person
    USING (EXISTS (SELECT 1 FROM contact_roles r WHERE r.contact_id = contacts.id AND steward_can_write(r.account_id)));

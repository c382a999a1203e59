-- Who may change a customer's owner, enforced by the database.

-- Reassigning a customer is for team leads (within their region) and admins;
-- row-level security alone would let a chain manager change owner_id too.
CREATE FUNCTION accounts_guard_owner_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_role text := steward_user_role();
BEGIN
    IF NEW.owner_id IS DISTINCT FROM OLD.owner_id AND v_role IS NOT NULL THEN
        IF v_role NOT IN ('TEAM_LEAD', 'ADMIN') THEN
            RAISE EXCEPTION 'only team leads and admins may reassign customers'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF v_role = 'TEAM_LEAD' AND NEW.owner_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM users WHERE id = NEW.owner_id AND active AND region = steward_user_region()) THEN
            RAISE EXCEPTION 'a team lead reassigns only to active people of their own region'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER accounts_guard_owner_change
BEFORE UPDATE OF owner_id ON accounts
FOR EACH ROW EXECUTE FUNCTION accounts_guard_owner_change();

REVOKE ALL ON FUNCTION accounts_guard_owner_change() FROM PUBLIC;

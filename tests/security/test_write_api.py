"""The write API called by hand: every function of steward_api with arguments a person
should not get away with, as each role, through plain SQL.

Each case names the refusal it expects (the SQLSTATE the API raises for that rule:
SW403 not allowed, SW404 not there or not visible, SW409 not a move of the workflow,
SW410 a conflict, SW422 not valid), so a case that fails for a typo instead of the rule
fails the test; and every table, sequence and grant is the same afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import psycopg
import pytest

from tests.security import checksums

DEEP = json.dumps(json.loads("[" * 60 + "]" * 60))


@dataclass(frozen=True)
class Case:
    role: str
    what: str
    sql: str
    refusal: str


def _cases() -> list[Case]:
    rep = [
        ("fields of a sibling it may only read", "SELECT steward_api.patch_fields({sibling}, '{{\"covers_per_day\": 5}}')", "SW403"),
        ("a restricted field of its own customer",
         "SELECT steward_api.patch_fields({own}, '{{\"price_agreement\": {{\"price_list\": \"CHAIN\"}}}}')", "SW403"),
        ("covers per day that is not a number",
         "SELECT steward_api.patch_fields({own}, '{{\"covers_per_day\": \"not a number\"}}')", "SW422"),
        ("the derived sample status", "SELECT steward_api.patch_fields({own}, '{{\"sample_status\": \"FEEDBACK_SUCCESS\"}}')", "SW422"),
        ("an ROI bucket the pack does not know",
         "SELECT steward_api.patch_fields({own}, '{{\"roi_potential\": {{\"bucket\": \"HUGE\"}}}}')", "SW422"),
        ("a season that ends before it starts",
         "SELECT steward_api.patch_fields({own}, '{{\"seasonal_menu_cycle\": {{\"season_start\": \"2027-05-01\", "
         "\"season_end\": \"2027-01-01\"}}}}')", "SW422"),
        ("a field value nested 60 deep", "SELECT steward_api.patch_fields({own}, jsonb_build_object('kitchen_notes', '" + DEEP + "'::jsonb))", "SW422"),
        ("an unknown field", "SELECT steward_api.patch_fields({own}, '{{\"evil\": 1}}')", "SW422"),
        ("fields of a customer that does not exist",
         "SELECT steward_api.patch_fields('00000000-0000-4000-8000-00000000dead', '{{\"covers_per_day\": 5}}')", "SW404"),
        ("a packed sample straight to FEEDBACK_SUCCESS", "SELECT steward_api.set_sample_status({sample}, 'FEEDBACK_SUCCESS')", "SW409"),
        ("a status that does not exist", "SELECT steward_api.set_sample_status({sample}, 'LOST')", "SW422"),
        ("a transition dated before the previous one",
         "SELECT steward_api.set_sample_status({sample}, 'SHIPPED', '2001-01-01T00:00:00Z')", "SW422"),
        ("a transition dated in the future",
         "SELECT steward_api.set_sample_status({sample}, 'SHIPPED', now() + interval '1 day')", "SW422"),
        ("a sibling's sample", "SELECT steward_api.set_sample_status({sibling_sample}, 'SHIPPED')", "SW403"),
        ("an activity with an outcome of no kind",
         "SELECT steward_api.create_activity({own}, 'ROI_CONSULTATION', 'x-not-an-outcome', '{{\"commitment_level\": \"LOW\"}}')",
         "SW422"),
        ("savings of 99,999,999 a month",
         "SELECT steward_api.create_activity({own}, 'ROI_CONSULTATION', 'QUALIFIED', "
         "'{{\"commitment_level\": \"HIGH\", \"savings_per_month\": 99999999}}')", "SW422"),
        ("a feedback on another customer's sample",
         "SELECT steward_api.create_activity({own}, 'PRODUCTTEST_FEEDBACK', 'SUCCESS', jsonb_build_object('sample_id', {sibling_sample}))",
         "SW422"),
        ("a feedback on a sample not yet delivered",
         "SELECT steward_api.create_activity({own}, 'PRODUCTTEST_FEEDBACK', 'SUCCESS', jsonb_build_object('sample_id', {sample}))",
         "SW409"),
        ("an activity kind that does not exist", "SELECT steward_api.create_activity({own}, 'BRIBE', 'OK')", "SW422"),
        ("an activity in the future",
         "SELECT steward_api.create_activity({own}, 'DECISION_MAKER_ALIGNMENT', 'ALIGNED', "
         "'{{\"roles\": [\"HEAD_CHEF\"], \"alignment_score\": 90}}', now() + interval '1 day')", "SW422"),
        ("a new location in a foreign chain (joining it to read its siblings)",
         "SELECT steward_api.create_customer('Trojan', 'NORTH', p_parent_account_id => {chain_o})", "SW403"),
        ("a new customer for a colleague", "SELECT steward_api.create_customer('Gift', 'NORTH', p_owner => {rep2_lit})", "SW403"),
        ("a new customer in another region", "SELECT steward_api.create_customer('Far away', 'SOUTH')", "SW403"),
        ("a new chain", "SELECT steward_api.create_customer('My chain', 'NORTH', p_is_chain => true)", "SW403"),
        ("its own customer moved into a foreign chain",
         "SELECT steward_api.update_customer({own_private}, jsonb_build_object('parent_account_id', {chain_o}))", "SW403"),
        ("its own customer's coverage", "SELECT steward_api.update_customer({own}, '{{\"coverage_policy\": \"OWNER_ONLY\"}}')", "SW403"),
        ("its own customer moved to another region", "SELECT steward_api.update_customer({own}, '{{\"region\": \"SOUTH\"}}')", "SW403"),
        ("a sibling's name", "SELECT steward_api.update_customer({sibling}, '{{\"name\": \"mine now\"}}')", "SW403"),
        ("reassigning its own customer", "SELECT steward_api.reassign_customers(ARRAY[{own}], {rep2_lit})", "SW403"),
        ("an admin added", "SELECT steward_api.add_user('sec_api_planted', 'x', 'ADMIN')", "SW403"),
        ("a colleague disabled", "SELECT steward_api.disable_user({rep2_lit})", "SW403"),
        ("chains given to someone", "SELECT steward_api.set_user_chains({rep2_lit}, ARRAY[{chain_o}])", "SW403"),
        ("a sample for a sibling", "SELECT steward_api.request_sample({sibling})", "SW403"),
        ("a sample of a product that does not exist",
         "SELECT steward_api.request_sample({own}, '[{{\"sku\": \"EVIL-1\", \"quantity\": 1}}]')", "SW422"),
        ("a sample of 100,000 units",
         "SELECT steward_api.request_sample({own}, '[{{\"sku\": \"CF-BAS-001\", \"quantity\": 100000}}]')", "SW422"),
        ("a sibling's contactability", "SELECT steward_api.set_contactability({sibling}, 'DO_NOT_CONTACT')", "SW403"),
        ("a contact added to a sibling", "SELECT steward_api.add_contact({sibling}, 'Spy', ARRAY['HEAD_CHEF'])", "SW403"),
        ("a sibling's contact linked to its own customer",
         "SELECT steward_api.link_contact({sibling_contact}, {own}, ARRAY['HEAD_CHEF'])", "SW404"),
        ("a sibling's contact changed", "SELECT steward_api.update_contact({sibling_contact}, '{{\"email\": \"spy@x.example\"}}')", "SW404"),
        ("a sibling's contact unlinked", "SELECT steward_api.unlink_contact({sibling_contact}, {sibling})", "SW403"),
        ("an ROI scenario for a sibling", "SELECT steward_api.create_roi_scenario({sibling}, 'x', 100)", "SW403"),
        ("a sibling's ROI scenario changed", "SELECT steward_api.update_roi_scenario({sibling_scenario}, '{{\"savings_per_month\": 1}}')", "SW403"),
        ("negative savings", "SELECT steward_api.create_roi_scenario({own}, 'x', -5)", "SW422"),
        ("a colleague's shared view deleted", "SELECT steward_api.delete_view({shared_view})", "SW403"),
        ("a colleague's private view deleted", "SELECT steward_api.delete_view({private_view})", "SW404"),
        ("a view that is no view", "SELECT steward_api.save_view('junk', '[1, 2]')", "SW422"),
        ("a customer without a name", "SELECT steward_api.create_customer('   ', 'NORTH')", "SW422"),
        ("a colleague's change set undone", "SELECT steward_api.undo_change_set({other_change_set})", "SW404"),
        ("values written into a colleague's change set",
         "SELECT steward_api.bulk_patch_fields({other_change_set}, ARRAY[{own}], '{{\"covers_per_day\": 1}}')", "SW404"),
        ("a change set pretending to be an undo", "SELECT steward_api.begin_change_set('undo', 'x')", "SW422"),
        ("a sibling's fields restored", "SELECT steward_api.restore_fields({sibling}, now() - interval '1 hour')", "SW403"),
        ("a restore to the future", "SELECT steward_api.restore_fields({own}, now() + interval '1 day')", "SW422"),
        ("a pasted value the schema refuses",
         "SELECT steward_api.write_fields((steward_api.begin_change_set('paste', 'x') ->> 'id')::uuid, "
         "jsonb_build_array(jsonb_build_object('customer_id', {own}, 'key', 'covers_per_day', 'value', 'lots')))", "SW422"),
        ("a pasted derived sample status",
         "SELECT steward_api.write_fields((steward_api.begin_change_set('paste', 'x') ->> 'id')::uuid, "
         "jsonb_build_array(jsonb_build_object('customer_id', {own}, 'key', 'sample_status', 'value', 'FEEDBACK_SUCCESS')))",
         "SW422"),
        # Operations (issue 16): admins only.
        ("a retention dry run", "SELECT steward_api.retention_preview('contacts', '{{\"days\": 730}}')", "SW403"),
        ("a retention run", "SELECT steward_api.retention_begin('contacts', '{{\"days\": 730}}')", "SW403"),
        ("a batch of someone's retention run", "SELECT steward_api.retention_apply(1, 10)", "SW403"),
        ("a contact erased", "SELECT steward_api.privacy_erase({sibling_contact})", "SW403"),
        ("an e-mail erased everywhere", "SELECT steward_api.privacy_erase(p_email => 'chef@example.com')", "SW403"),
        ("a contact's data exported", "SELECT steward_api.privacy_export({sibling_contact})", "SW403"),
        ("the projection's lag", "SELECT steward_api.projection_lag(now() - interval '1 day')", "SW403"),
        ("a legacy move registered", "SELECT steward_api.legacy_register('legacy.kunden', 'nr', '{{}}')", "SW403"),
        ("legacy rows loaded", "SELECT steward_api.legacy_load_rows('legacy.mine', ARRAY['nr'], '[]')", "SW403"),
        ("legacy rows read", "SELECT steward_api.legacy_rows('legacy.kunden')", "SW403"),
        ("a back-fill batch of made-up customers",
         "SELECT steward_api.legacy_backfill_batch('legacy.kunden', '[{{\"key\": \"1\", \"customer\": "
         "{{\"name\": \"Mine\", \"region\": \"NORTH\"}}}}]')", "SW403"),
        ("dual-write switched on", "SELECT steward_api.legacy_switch('legacy.kunden', 'dual_write', true)", "SW403"),
        ("a back-fill undone", "SELECT steward_api.legacy_reset('legacy.kunden')", "SW403"),
    ]
    lead = [
        ("a new customer for a rep of another region",
         "SELECT steward_api.create_customer('Gift', 'NORTH', p_owner => {rep_south_lit})", "SW403"),
        ("a location of another region's chain",
         "SELECT steward_api.create_customer('Stray', 'NORTH', p_parent_account_id => {south_chain})", "SW404"),
        ("a customer moved into another region's chain",
         "SELECT steward_api.update_customer({own}, jsonb_build_object('parent_account_id', {south_chain}))", "SW404"),
        ("a region customer given to another region's rep", "SELECT steward_api.reassign_customers(ARRAY[{own}], {rep_south_lit})", "SW403"),
        ("another region's customer reassigned", "SELECT steward_api.reassign_customers(ARRAY[{other_region}], {rep_lit})", "SW403"),
        ("a customer moved to another region", "SELECT steward_api.update_customer({own}, '{{\"region\": \"SOUTH\"}}')", "SW403"),
        ("a restricted field", "SELECT steward_api.patch_fields({own}, '{{\"price_agreement\": {{\"price_list\": \"CHAIN\"}}}}')", "SW403"),
        ("a people change", "SELECT steward_api.add_user('sec_api_planted', 'x', 'SALES_REP', 'NORTH')", "SW403"),
    ]
    cm = [
        ("a new chain", "SELECT steward_api.create_customer('My chain', 'NORTH', p_is_chain => true)", "SW403"),
        ("a location in a chain it does not manage",
         "SELECT steward_api.create_customer('Stray', 'NORTH', p_parent_account_id => {chain_o})", "SW404"),
        ("a location given to a rep of another region",
         "SELECT steward_api.create_customer('Gift', 'NORTH', p_parent_account_id => {chain_s}, p_owner => {rep_south_lit})",
         "SW403"),
        ("a location moved to a chain it does not manage",
         "SELECT steward_api.update_customer({own}, jsonb_build_object('parent_account_id', {chain_o}))", "SW404"),
        ("a location taken out of its chain", "SELECT steward_api.update_customer({own}, '{{\"parent_account_id\": null}}')", "SW403"),
        ("a location reassigned", "SELECT steward_api.reassign_customers(ARRAY[{own}], {rep2_lit})", "SW403"),
        ("fields of a chain it does not manage", "SELECT steward_api.patch_fields({other_chain}, '{{\"covers_per_day\": 5}}')", "SW403"),
    ]
    admin = [
        ("a packed sample straight to FEEDBACK_SUCCESS", "SELECT steward_api.set_sample_status({sample}, 'FEEDBACK_SUCCESS')", "SW409"),
        ("an invalid value", "SELECT steward_api.patch_fields({own}, '{{\"covers_per_day\": -1}}')", "SW422"),
        ("an activity with an outcome of no kind",
         "SELECT steward_api.create_activity({own}, 'MENU_INTEGRATION', 'DONE', '{{\"season\": \"Q4\"}}')", "SW422"),
        ("the daemon's login taken over", "SELECT steward_api.add_user('steward_daemon', 'x', 'ADMIN')", "SW410"),
        ("itself disabled", "SELECT steward_api.disable_user({admin_lit})", "SW422"),
        ("a chain put into a chain", "SELECT steward_api.update_customer({chain_s}, jsonb_build_object('parent_account_id', {chain_o}))", "SW422"),
        ("a location under a location", "SELECT steward_api.create_customer('Nested', 'NORTH', p_parent_account_id => {own})", "SW422"),
        # Operations: an admin's own login against the floors and the walls of retention,
        # privacy and the legacy move.
        ("contacts anonymised after 30 days", "SELECT steward_api.retention_begin('contacts', '{{\"days\": 30}}')", "SW422"),
        ("everything archived now", "SELECT steward_api.retention_preview('archive', '{{\"days\": 0}}')", "SW422"),
        ("a policy nobody declared", "SELECT steward_api.retention_begin('everything', '{{\"days\": 400}}')", "SW422"),
        ("a retention run that is not theirs", "SELECT steward_api.retention_apply(424242, 10)", "SW404"),
        ("a contact that does not exist erased",
         "SELECT steward_api.privacy_erase('00000000-0000-4000-8000-00000000dead')", "SW404"),
        ("the users table as a legacy table", "SELECT steward_api.legacy_register('public.users', 'login', '{{}}')", "SW422"),
        ("a legacy table in schema public", "SELECT steward_api.legacy_load_rows('public.mine', ARRAY['nr'], '[]')", "SW422"),
        ("a legacy column name that is SQL",
         "SELECT steward_api.legacy_load_rows('legacy.mine', ARRAY['nr text); DROP TABLE public.users; --'], '[]')", "SW422"),
        ("a back-fill of a table that is no move", "SELECT steward_api.legacy_backfill_batch('legacy.nothing', '[]')", "SW404"),
        ("a switch that does not exist", "SELECT steward_api.legacy_switch('legacy.kunden', 'drop_everything', true)", "SW422"),
    ]
    return ([Case("rep", *c) for c in rep] + [Case("lead", *c) for c in lead] + [Case("cm", *c) for c in cm]
            + [Case("admin", *c) for c in admin])


CASES = _cases()


@pytest.fixture(scope="module")
def values(world):
    """The ids the cases aim at, as SQL literals; a chain of region SOUTH added for the team lead."""
    su = world.su
    south = world.owner.customers.create(name="Chain South", region="SOUTH", is_chain=True).id

    def lit(value) -> str:
        return psycopg.sql.Literal(str(value)).as_string(su)

    def uid(value) -> str:
        return f"{lit(value)}::uuid"

    contact = su.execute("SELECT contact_id FROM contact_roles WHERE account_id = %s LIMIT 1",
                         [world.customers["sibling_shared"]]).fetchone()[0]
    scenario = su.execute("SELECT id FROM roi_scenarios WHERE customer_id = %s LIMIT 1",
                          [world.customers["sibling_shared"]]).fetchone()[0]
    rep2 = world.service("rep2")
    try:
        other_change_set = rep2.bulk.apply({"covers_per_day": 3}, customer_ids=[world.customers["sibling_shared"]]).id
    finally:
        rep2.close()
    world.backup = checksums.capture(su)
    return {
        "own": uid(world.customers["own"]), "own_private": uid(world.customers["own_private"]),
        "sibling": uid(world.customers["sibling_shared"]), "other_region": uid(world.customers["other_region"]),
        "other_chain": uid(world.customers["other_chain"]),
        "chain_o": uid(world.chains["O"]), "chain_s": uid(world.chains["S"]), "south_chain": uid(south),
        "sample": uid(world.samples["own"]), "sibling_sample": uid(world.samples["sibling_shared"]),
        "sibling_contact": uid(contact), "sibling_scenario": uid(scenario),
        "shared_view": uid(world.views["rep2_shared"]), "private_view": uid(world.views["rep2_private"]),
        "rep_lit": lit(world.logins["rep"]), "rep2_lit": lit(world.logins["rep2"]),
        "rep_south_lit": lit(world.logins["rep_south"]), "admin_lit": lit(world.logins["admin"]),
        "other_change_set": uid(other_change_set),
    }


@pytest.mark.parametrize("case", CASES, ids=[f"{c.role}: {c.what}" for c in CASES])
def test_the_write_api_refuses_and_changes_nothing(world, values, case):
    statement = case.sql.format(**values)
    before = world.snapshot()
    with world.connect(case.role) as conn:
        with pytest.raises(psycopg.Error) as refused:
            conn.execute(statement)
        conn.rollback()
    after = world.snapshot()
    if after != before:
        world.restore(before, after)
    assert refused.value.sqlstate == case.refusal, (
        f"{case.role}: {case.what} was refused for another reason: {refused.value.sqlstate} {refused.value}")
    checksums.assert_unchanged(before, after, f"{case.role}: {case.what}")


def test_a_bulk_edit_over_customers_not_yours_writes_none_of_them(world, values):
    """A bulk edit is accepted (the change set is the caller's) but skips, and names, every
    customer out of scope: their values stay as they were."""
    def fields() -> list:
        return world.su.execute("SELECT customer_id, field_key, value FROM field_values ORDER BY 1, 2").fetchall()

    before = fields()
    with world.connect("rep") as conn:
        opened = conn.execute("SELECT steward_api.begin_change_set('bulk_edit', 'spree')").fetchone()[0]
        targets = [world.customers[s] for s in ("sibling_shared", "sibling_private", "other_chain", "other_region")]
        result = conn.execute("SELECT steward_api.bulk_patch_fields(%s, %s, '{\"covers_per_day\": 9}')",
                              [opened["id"], targets]).fetchone()[0]
        conn.commit()
    assert result["changed"] == 0 and len(result["refused"]) == len(targets)
    assert fields() == before


@pytest.mark.parametrize("role", ["rep", "lead", "cm", "admin"])
def test_a_refused_call_leaves_no_lock_behind(world, values, role):
    """The rule is checked before the lock: a refused call in a transaction left open must
    not keep someone else's customer locked (FOR NO KEY UPDATE) for everyone else."""
    target = {"rep": "sibling", "lead": "other_region", "cm": "other_chain", "admin": None}[role]
    if target is None:
        pytest.skip("an admin may write every customer")
    with world.connect(role) as conn:
        with pytest.raises(psycopg.Error):
            conn.execute(f"SELECT steward_api.patch_fields({values[target]}, '{{\"covers_per_day\": 5}}')")
        # The transaction stays open (aborted) while someone else writes the customer.
        with psycopg.connect(world.url, options="-c lock_timeout=2s") as other:
            other.execute(f"SELECT 1 FROM accounts WHERE id = {values[target]} FOR NO KEY UPDATE")
        conn.rollback()


def test_every_definer_and_trigger_function_pins_its_search_path(world):
    """A SECURITY DEFINER function or a trigger runs with rights the caller lacks; with the
    caller's search_path, a temp table or function of theirs could stand in for ours."""
    loose = world.su.execute(
        "SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname IN ('public', 'steward_api', 'steward_internal', 'steward_pack') "
        "  AND (p.prosecdef OR p.prorettype = 'trigger'::regtype) "
        "  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false) ORDER BY 1").fetchall()
    assert loose == []


def test_a_bulk_preview_reveals_nothing_of_customers_not_yours(world, values):
    targets = [world.customers[s] for s in ("sibling_shared", "sibling_private", "other_chain", "other_region")]
    with world.connect("rep") as conn:
        answer = conn.execute("SELECT steward_api.bulk_preview(%s, ARRAY['roi_potential', 'covers_per_day'])",
                              [targets]).fetchone()[0]
    assert answer == {"writable": 0, "values": []}


def test_a_person_cannot_switch_the_derived_data_off(world, values):
    """The triggers that keep the projection and the audit history step aside only for a bulk
    write the owner's functions start (public.bulk_writes); the setting they test first is
    anyone's to SET, the table nobody's to write."""
    before = world.snapshot()
    with world.connect("admin") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO public.bulk_writes (txid) VALUES (pg_current_xact_id())")
        conn.rollback()
        for statement in ("SELECT steward_internal.begin_bulk_write()",
                          "SELECT steward_internal.anonymise_contacts(ARRAY[" + values["sibling_contact"] + "], true, '{}')",
                          "UPDATE public.retention_runs SET counts = '{}'",
                          "UPDATE public.field_history SET new_value = '1'",
                          "DELETE FROM public.privacy_requests"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
    with world.connect("rep") as conn:
        conn.execute("SELECT set_config('steward.bulk_txid', pg_current_xact_id()::text, true)")
        conn.execute(f"SELECT steward_api.patch_fields({values['own']}, '{{\"roi_potential\": {{\"bucket\": \"HIGH\"}}}}')")
        roi, history = conn.execute(
            f"SELECT p.roi_bucket, (SELECT count(*) FROM field_history h WHERE h.customer_id = p.customer_id "
            f"AND h.new_value ->> 'bucket' = 'HIGH') FROM cm_customer_hot_proj p WHERE p.customer_id = {values['own']}"
        ).fetchone()
        conn.rollback()
    assert (roi, history) == ("HIGH", 1)      # projection and history kept, as for any write
    # (The rolled-back write drew numbers from two sequences; nothing else may differ.)
    unsequenced = lambda snap: {k: v for k, v in snap.items() if not k.startswith("sequence ")}  # noqa: E731
    checksums.assert_unchanged(unsequenced(before), unsequenced(world.snapshot()), "a person setting steward.bulk_txid")

"""Access through HTTP: each token acts as exactly its person, as that person's own login would."""

from __future__ import annotations

import concurrent.futures
import uuid

import httpx
import sqlalchemy as sa

from tests.http.conftest import make_token


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def test_a_rep_reads_only_the_reps_customers(http, world):
    assert _ids(http.get("/customers", headers=world.auth("rep1"))) == set(world.customers["rep1"])
    assert _ids(http.get("/customers", headers=world.auth("rep2"))) == set(world.customers["rep2"])
    assert _ids(http.get("/customers", headers=world.auth("lead"))) == set(world.customers["lead"])
    everyone = _ids(http.get("/customers?limit=500", headers=world.auth("admin")))
    assert everyone == {c for ids in world.customers.values() for c in ids}
    other = world.customers["rep2"][0]
    for path in (f"/customers/{other}/fields", f"/customers/{other}/samples", f"/customers/{other}/activities"):
        response = http.get(path, headers=world.auth("rep1"))
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
    # Nor write to it: the same refusal as for the rep's own login.
    response = http.patch(f"/customers/{other}/fields", headers=world.auth("rep1"), json={"kitchen_notes": "mine now"})
    assert response.status_code == 404
    response = http.post("/samples", headers=world.auth("rep1"), json={"customerId": other})
    assert response.status_code == 404


def test_a_team_lead_reads_the_region_and_a_rep_of_another_region_nothing_of_it(http, world):
    mine = world.customers["lead"][0]
    assert http.get(f"/customers/{mine}/fields", headers=world.auth("lead")).status_code == 200
    assert http.get(f"/customers/{mine}/fields", headers=world.auth("rep1")).status_code == 404


def test_no_token_a_forged_one_or_another_scheme_is_401(http, world):
    for headers in ({}, {"Authorization": "Bearer stw_" + "0" * 64}, {"Authorization": "Basic dXNlcjpwdw=="},
                    {"Authorization": "Bearer " + world.tokens["rep1"] + "x"},
                    {"Authorization": "Bearer " + world.tokens["rep1"].upper()}):
        response = http.get("/customers", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["title"] == "Not signed in"


def test_headers_and_parameters_cannot_name_another_person(http, world):
    forged = {**world.auth("rep1"), "X-Steward-User": world.ids["admin"].hex, "X-Forwarded-User": "admin",
              "X-Remote-User": "admin", "Cookie": "steward.token=" + world.tokens["admin"]}
    assert _ids(http.get("/customers", headers=forged, params={"owner": str(world.ids["rep2"]),
                                                                 "user": "admin"})) == set()
    assert _ids(http.get("/customers", headers=forged)) == set(world.customers["rep1"])


def test_a_revoked_token_is_refused_at_once_though_the_server_remembered_its_person(http, world, owner_engine):
    token = make_token(owner_engine, "rep1")
    headers = {"Authorization": f"Bearer {token}"}
    assert http.get("/customers", headers=headers).status_code == 200   # now remembered for a few seconds
    with owner_engine.begin() as conn:
        conn.execute(sa.text("SELECT steward_api.revoke_token((SELECT id FROM api_tokens "
                             "WHERE token_hash = sha256(convert_to(:t, 'UTF8'))))"), {"t": token})
    response = http.get("/customers", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_expired_token_is_refused(http, world, owner_engine):
    token = make_token(owner_engine, "rep1", expires="1 hour")
    headers = {"Authorization": f"Bearer {token}"}
    assert http.get("/customers", headers=headers).status_code == 200
    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE api_tokens SET expires_at = now() - interval '1 second' "
                             "WHERE token_hash = sha256(convert_to(:t, 'UTF8'))"), {"t": token})
    assert http.get("/customers", headers=headers).status_code == 401


def test_a_disabled_persons_token_is_refused(http, world, owner_engine):
    from tests.conftest import SESSION
    from tests.logins import ensure_person

    name = f"t_h_gone_{SESSION}"
    ensure_person(owner_engine, name, role="SALES_REP", region="NORTH")
    with owner_engine.begin() as conn:
        token = conn.execute(sa.text("SELECT steward_api.create_token(:l, 'write') ->> 'token'"), {"l": name}).scalar()
    headers = {"Authorization": f"Bearer {token}"}
    assert http.get("/customers", headers=headers).status_code == 200
    with owner_engine.begin() as conn:
        conn.execute(sa.text("SELECT steward_api.disable_user(:l)"), {"l": name})
    assert http.get("/customers", headers=headers).status_code == 401


def test_a_read_token_cannot_write(http, world, sql_count):
    headers = {"Authorization": f"Bearer {world.read_token}"}
    mine = world.customers["rep1"][0]
    assert http.get(f"/customers/{mine}/fields", headers=headers).status_code == 200
    events = sql_count("event_outbox")
    for method, path, body in (("PATCH", f"/customers/{mine}/fields", {"kitchen_notes": "x"}),
                               ("POST", "/samples", {"customerId": mine}),
                               ("POST", "/activities", {"customerId": mine, "kind": "ROI_CONSULTATION",
                                                        "commitmentLevel": "HIGH", "outcome": "QUALIFIED"})):
        response = http.request(method, path, headers=headers, json=body)
        assert response.status_code == 403, (path, response.text)
        assert "may only read" in response.json()["detail"]
    assert sql_count("event_outbox") == events


def test_a_module_account_only_posts_events(http, world):
    headers = world.auth("leads_module")
    assert http.get("/customers", headers=headers).status_code == 403
    assert http.patch(f"/customers/{world.customers['rep1'][0]}/fields", headers=headers,
                      json={"kitchen_notes": "x"}).status_code in (403, 404)
    event = {"type": "email.bounce", "version": "1.0", "id": str(uuid.uuid4()), "time": "2026-03-02T10:00:00+01:00",
             "source": "crm.marketing", "data": {"email": "chef@kantine.example", "bounceType": "HARD"}}
    assert http.post("/events", headers=headers, json=event).status_code == 202
    # People other than admins and modules do not post events.
    event["id"] = str(uuid.uuid4())
    assert http.post("/events", headers=world.auth("rep1"), json=event).status_code == 403


def test_only_admins_replay(http, world):
    body = {"consumer": "kpis", "time": "2020-01-01T00:00:00+00:00"}
    assert http.post("/events/replay", headers=world.auth("lead"), json=body).status_code == 403
    response = http.post("/events/replay", headers=world.auth("admin"), json={"consumer": "leads", "position": 1})
    assert response.status_code == 200, response.text
    assert response.json()["consumer"] == "leads"


def test_concurrent_requests_of_different_people_never_cross(base_url, world):
    """Three connections in the server's pool, six people's requests at once: each answer is its person's."""
    expected = {name: set(world.customers.get(name, ())) for name in ("rep1", "rep2", "lead")}
    expected["admin"] = {c for ids in world.customers.values() for c in ids}
    expected["module"] = None
    people = ["rep1", "rep2", "lead", "admin", "rep1", "rep2"]

    def run(i: int) -> list[str]:
        crossed = []
        name = people[i % len(people)]
        with httpx.Client(base_url=base_url, timeout=30, headers=world.auth(name)) as client:
            for n in range(40):
                if n % 4 == 3:
                    # A refused write in between: its failed transaction must not leak either.
                    other = world.customers["lead"][0] if name != "lead" else world.customers["rep1"][0]
                    client.patch(f"/customers/{other}/fields", json={"kitchen_notes": "x"})
                got = _ids(client.get("/customers", params={"limit": 500}))
                if got != expected[name]:
                    crossed.append(f"{name}: {sorted(got ^ expected[name])}")
        return crossed

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        crossed = [c for result in pool.map(run, range(12)) for c in result]
    assert crossed == []

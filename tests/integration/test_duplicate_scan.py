"""The duplicate scan on demo data with planted duplicates (typos, case, umlauts, legal forms,
phone formats): recall and precision measured and printed; namesakes in other cities are
never paired; dismissed pairs are not offered again; a rep scans only their own customers."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

import services
from services.errors import NotFound
from services.entrypoints import demo
from services.rules import duplicates as rules
from services.rules import calendar
from tests.conftest import SESSION
from tests.logins import ensure_person

CUSTOMERS = 3000
PLANTED = 80
RECALL_FLOOR = 0.9
PRECISION_FLOOR = 0.9          # among pairs that involve a planted duplicate
REP = f"t_rep_{SESSION}"


def _typo(name: str, rng: random.Random) -> str:
    word = max(name.split(), key=len)
    i = rng.randrange(1, len(word) - 2)
    variants = (word[:i] + word[i + 1] + word[i] + word[i + 2:],      # two letters swapped
                word[:i] + word[i + 1:],                               # one dropped
                word[:i] + word[i] + word[i:])                         # one doubled
    return name.replace(word, rng.choice(variants), 1)


def _umlauts(name: str) -> str:
    return (name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
            .replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue"))


def _phone_format(phone: str) -> str:
    digits = phone.replace("+49", "").split()
    return f"0{digits[0]}/{''.join(digits[1:])}" if len(digits) > 1 else phone


def _plant(svc, owner_engine, rng: random.Random) -> list[tuple[str, str, str]]:
    """PLANTED duplicates of random single-site customers (without a namesake in their city), each
    varied one way; (original, copy, how)."""
    with owner_engine.connect() as conn:
        rows = conn.execute(sa.text("""
            SELECT a.id, a.name, a.city, a.region, a.owner_id, c.email, c.phone
              FROM accounts a
              LEFT JOIN LATERAL (SELECT c.email, c.phone FROM contact_roles r JOIN contacts c ON c.id = r.contact_id
                                  WHERE r.account_id = a.id ORDER BY c.id LIMIT 1) c ON true
             WHERE NOT a.is_chain AND a.parent_account_id IS NULL
               -- no namesake in the same city: which of two "Gasthaus Lamm, Berlin" a copy is of, nobody can tell
               AND NOT EXISTS (SELECT 1 FROM accounts o WHERE o.id <> a.id AND o.city = a.city
                                  AND lower(o.name) = lower(a.name))
             ORDER BY a.id""")).all()
    planted = []
    ways = ("case_and_legal_form", "umlauts", "typo", "phone_format", "email_case", "typo_and_legal_form")
    for n, row in enumerate(rng.sample(rows, PLANTED)):
        how = ways[n % len(ways)]
        name, email, phone = row.name, None, None
        if how == "case_and_legal_form":
            name = rng.choice((name.upper(), name.lower())) + rng.choice((" GmbH", " GmbH & Co. KG", " e.K.", " UG"))
        elif how == "umlauts":
            name = _umlauts(name) if _umlauts(name) != name else name.lower()
        elif how == "typo":
            name = _typo(name, rng)
        elif how == "phone_format":
            name = _typo(name, rng) + " OHG"
            phone = _phone_format(row.phone) if row.phone else None
        elif how == "email_case":
            name = f"{name} am Markt"
            email = row.email.upper() if row.email else None
        else:
            name = _typo(name, rng).lower() + " GbR"
        if how in ("phone_format", "email_case") and not (phone or email):
            name = _umlauts(row.name) + " AG"          # no contact data to vary: a legal form instead
        copy = svc.customers.create(name=name, region=row.region, city=row.city, owner=row.owner_id)
        if phone or email:
            svc.customers.add_contact(copy.id, "Inhaber", ["OWNER"], email=email, phone=phone)
        planted.append((str(row.id), str(copy.id), how))
    return planted


@pytest.fixture
def planted(svc, owner_engine):
    demo.load(owner_engine, CUSTOMERS, seed=5, today=calendar.today())
    return _plant(svc, owner_engine, random.Random(14))


def test_the_scan_finds_planted_duplicates_with_recall_and_precision_measured(svc, planted, owner_engine):
    scan = svc.duplicates.scan()
    found = {frozenset((str(p.a), str(p.b))): p for p in scan.pairs}
    truth = {frozenset((a, b)): how for a, b, how in planted}
    copies = {b for _, b, _ in planted}
    hits = truth.keys() & found.keys()
    involving = {k for k in found if k & copies}
    recall = len(hits) / len(truth)
    precision = len(hits) / len(involving)
    overall = len(hits) / len(found)
    missed = sorted(truth[k] for k in truth.keys() - found.keys())
    print(f"\nplanted {len(truth)} duplicates into {CUSTOMERS} demo customers: recall {recall:.3f}, "
          f"precision {precision:.3f} (pairs with a planted copy), {overall:.3f} over all {len(found)} pairs "
          f"(the rest: demo namesakes in one city without telling contacts); missed by kind: {missed}")
    assert recall >= RECALL_FLOOR
    assert precision >= PRECISION_FLOOR
    assert scan.scanned == CUSTOMERS + PLANTED
    assert all(g.pairs and g.score >= rules.MIN_SCORE for g in scan.groups)
    assert [g.score for g in scan.groups] == sorted((g.score for g in scan.groups), reverse=True)


def test_namesakes_in_different_cities_are_never_paired(svc, planted, owner_engine):
    with owner_engine.connect() as conn:
        namesakes = conn.execute(sa.text("""
            SELECT a.id::text, b.id::text FROM accounts a JOIN accounts b
                ON lower(a.name) = lower(b.name) AND a.id < b.id AND a.city IS DISTINCT FROM b.city""")).all()
    assert len(namesakes) > 20, "the demo has namesakes in different cities"
    found = {frozenset((str(p.a), str(p.b))) for p in svc.duplicates.scan().pairs}
    assert not found & {frozenset(n) for n in namesakes}


def test_a_dismissed_pair_is_not_offered_again_and_a_rep_scans_only_theirs(svc, planted, owner_engine, clean_db):
    first = svc.duplicates.scan(rules=["name_city", "fuzzy_name"])
    pair = first.pairs[0]
    svc.duplicates.dismiss(pair.b, pair.a)
    svc.duplicates.dismiss(pair.a, pair.b)                   # twice: remembered once
    again = {(p.a, p.b) for p in svc.duplicates.scan(rules=["name_city", "fuzzy_name"]).pairs}
    assert (pair.a, pair.b) not in again and len(again) == len(first.pairs) - 1

    ensure_person(owner_engine, REP, role="SALES_REP", region="NORTH")
    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE accounts SET owner_id = (SELECT id FROM users WHERE login = :l) "
                             "WHERE id IN (SELECT id FROM accounts ORDER BY id LIMIT 200)"), {"l": REP})
    with services.connect(url=clean_db, user=REP) as rep:
        mine = rep.duplicates.scan()
        with rep.engine.connect() as conn:   # what row-level security lets the rep read: theirs and chain-shared
            theirs = set(conn.execute(sa.text("SELECT id FROM accounts")).scalars())
        assert mine.scanned == len(theirs) < CUSTOMERS
        assert all(c.id in theirs for g in mine.groups for c in g.customers)
        not_theirs = [p for p in first.pairs if p.a not in theirs and p.b not in theirs][-1]
        with pytest.raises(NotFound):
            rep.duplicates.dismiss(not_theirs.a, not_theirs.b)

"""`steward events ingest` survives any line: each is accepted, skipped as already received, or
dead-lettered with its reason and line number, whatever bytes it holds; no line after a bad one
is lost (inbox.receive(), migration 0020)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import uuid

import psycopg
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from services.entrypoints.cli import app
from services.service_layer.events import inbox
from services.service_layer.events.dead_letters import redrive
from services.service_layer.events.envelopes import MAX_BYTES
from services.service_layer.events.ingest import ingest, read_lines
from tests.events.conftest import STEWARD, envelope
from tests.logins import drop_logins


def bounce(i: int, *, event_id: str | None = None, bounce_type: str = "HARD") -> dict:
    return envelope("email.bounce", {"email": f"chef{i}@kantine.example", "bounceType": bounce_type},
                    event_id=event_id)


def good(i: int) -> bytes:
    return json.dumps(bounce(i)).encode()


def deep(depth: int) -> bytes:
    return b'{"type": "email.bounce", "data": ' + b"[" * depth + b"]" * depth + b"}"


# A hostile line, what its dead letter's reason says, and what its raw text keeps.
HOSTILE = {
    "NUL escape": (json.dumps(bounce(0)).replace("chef0", "chef\\u0000").encode(),
                   "data.email contains a NUL character", "chef\\u0000@"),
    "surrogate escape": (json.dumps(bounce(0)).replace("chef0", "chef\\ud800").encode(),
                         "data.email is not valid text (a lone surrogate \\ud800", "chef\\ud800@"),
    "NUL in a key": (b'{"type": "email.bounce", "data": {"e\\u0000mail": "x"}}', "data.e\\x00mail contains a NUL", "e\\u0000mail"),
    "raw NUL, not JSON": (b"hello\x00world", "not valid JSON", "hello\\x00world"),
    "raw NUL inside JSON": (b'{"type": "email.bounce\x00"}', "not valid JSON (Invalid control character", "bounce\\x00"),
    "nested 100,000 deep": (deep(100_000), "nested deeper than 32 levels", "[[[["),
    "nested 40 deep": (deep(40), "data is nested deeper than 32 levels", "[[[["),
    "invalid UTF-8": (b'{"type": "email.bounce", "data": {"email": "\xff\xfe"}}', "not valid UTF-8 (byte 0xff at position 45)",
                      '"\\xff\\xfe"'),
    "NaN": (json.dumps({**bounce(0), "data": {"email": "a@b.example", "bounceType": "HARD", "score": float("nan")}}).encode(),
            "data.score must be a finite number", "NaN"),
    "huge exponent": (b'{"type": "email.bounce", "data": {"x": 1e999}}', "data.x must be a finite number", "1e999"),
    "overlong": (b'{"type": "email.bounce", "data": {"x": "' + b"y" * (MAX_BYTES + 10) + b'"}}',
                 "longer than 1,048,576 bytes", "yyyy"),
    "huge integer": (b'{"type": "email.bounce", "data": {"x": ' + b"9" * 5000 + b"}}", "not valid JSON", "9999"),
}


def letters(owner_engine) -> dict[str, tuple[str, str | None]]:
    """Dead letters by origin: (reason, raw)."""
    with owner_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT origin, reason, raw FROM event_dead_letters ORDER BY id")).all()
    return {r.origin: (r.reason, r.raw) for r in rows}


def count(owner_engine, sql: str) -> int:
    with owner_engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar_one()


def ingest_bytes(engine, tmp_path, lines: list[bytes], name: str = "inbound.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    with path.open("rb") as stream:
        return ingest(engine, read_lines(stream), name)


def test_each_hostile_line_is_dead_lettered_with_its_reason_and_its_neighbours_are_accepted(
        clean_db, owner_engine, tmp_path):
    lines = [good(0)]
    for n, (line, _, _) in enumerate(HOSTILE.values(), 1):
        lines += [line, good(n)]
    report = ingest_bytes(owner_engine, tmp_path, lines)

    assert (report.accepted, report.dead, report.duplicates) == (len(HOSTILE) + 1, len(HOSTILE), 0)
    assert [r.line for r in report.results if r.outcome == inbox.ACCEPTED] == list(range(1, len(lines) + 1, 2))
    kept = letters(owner_engine)
    for number, (name, (_, reason, raw)) in enumerate(HOSTILE.items(), 1):
        line = 2 * number
        result = report.results[line - 1]
        assert (result.line, result.outcome) == (line, inbox.DEAD), name
        assert reason in result.reason, (name, result.reason)
        stored_reason, stored_raw = kept[f"inbound.jsonl:{line}"]
        assert stored_reason == result.reason
        assert raw in stored_raw, (name, stored_raw[:200])
        assert "\x00" not in stored_raw and len(stored_raw) <= inbox.RAW_KEPT
    assert count(owner_engine, "SELECT count(*) FROM event_inbox WHERE state = 'pending'") == len(HOSTILE) + 1


@pytest.mark.parametrize("bad_at", [300, 551])
def test_550_good_lines_and_one_bad_one(clean_db, owner_engine, tmp_path, bad_at):
    lines = [good(i) for i in range(550)]
    lines.insert(bad_at - 1, HOSTILE["NUL escape"][0])
    report = ingest_bytes(owner_engine, tmp_path, lines)
    assert (report.accepted, report.dead, report.duplicates) == (550, 1, 0)
    (dead,) = [r for r in report.results if r.outcome == inbox.DEAD]
    assert dead.line == bad_at and "NUL" in dead.reason
    assert count(owner_engine, "SELECT count(*) FROM event_inbox WHERE state = 'pending'") == 550
    assert list(letters(owner_engine)) == [f"inbound.jsonl:{bad_at}"]


def test_the_same_file_twice_is_received_once(clean_db, owner_engine, tmp_path):
    lines = [good(i) for i in range(3)]
    lines.insert(1, b"")
    first = ingest_bytes(owner_engine, tmp_path, lines)
    assert (first.accepted, first.dead, first.duplicates) == (3, 0, 0)
    again = ingest_bytes(owner_engine, tmp_path, lines)
    assert (again.accepted, again.dead, again.duplicates) == (0, 0, 3)
    assert [(r.line, r.outcome) for r in again.results] == [(1, "duplicate"), (3, "duplicate"), (4, "duplicate")]
    assert [r.event_id for r in again.results] == [r.event_id for r in first.results]
    assert count(owner_engine, "SELECT count(*) FROM event_inbox") == 3
    # Done rows count as received too, and so does a copy in another form of the same id.
    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE event_inbox SET state = 'done'"))
    shouting = json.loads(lines[0])
    shouting["id"] = "{" + shouting["id"].upper() + "}"
    assert ingest_bytes(owner_engine, tmp_path, [json.dumps(shouting).encode()]).duplicates == 1
    assert count(owner_engine, "SELECT count(*) FROM event_inbox") == 3
    assert count(owner_engine, "SELECT count(*) FROM event_dead_letters") == 0


def test_a_corrected_resend_of_a_dead_lettered_event_is_accepted_and_the_old_letter_not_redriven(
        clean_db, owner_engine, tmp_path):
    event_id = str(uuid.uuid4())
    broken = json.dumps(bounce(1, event_id=event_id, bounce_type="MAYBE")).encode()
    assert ingest_bytes(owner_engine, tmp_path, [broken]).dead == 1
    fixed = json.dumps(bounce(1, event_id=event_id)).encode()
    assert ingest_bytes(owner_engine, tmp_path, [fixed]).accepted == 1
    # Once received, any copy is "already received", even a broken one.
    assert ingest_bytes(owner_engine, tmp_path, [broken]).duplicates == 1

    with owner_engine.begin() as conn:
        letter = conn.execute(sa.text("SELECT id FROM event_dead_letters")).scalar_one()
        report = redrive(conn)
    assert (report.inbound, report.already_received) == (0, (letter,))
    assert count(owner_engine, "SELECT count(*) FROM event_inbox WHERE state = 'pending'") == 1
    assert count(owner_engine, "SELECT count(*) FROM event_dead_letters WHERE state = 'dead'") == 1


def test_two_letters_of_one_event_are_redriven_once(clean_db, owner_engine, tmp_path):
    broken = json.dumps(bounce(1, bounce_type="MAYBE")).encode()
    assert ingest_bytes(owner_engine, tmp_path, [broken, broken]).dead == 2
    with owner_engine.begin() as conn:
        report = redrive(conn)
    assert report.inbound == 1 and len(report.already_received) == 1
    assert count(owner_engine, "SELECT count(*) FROM event_inbox WHERE state = 'pending'") == 1


def test_two_receivers_of_one_id_at_the_same_moment_queue_it_once(clean_db, owner_engine):
    line = good(7)
    outcomes: list[str] = []
    with owner_engine.connect() as first:
        with first.begin():
            outcomes.append(inbox.receive(first, line, "first").outcome)

            def second() -> None:
                with owner_engine.begin() as conn:
                    outcomes.append(inbox.receive(conn, line, "second").outcome)

            racer = threading.Thread(target=second)
            racer.start()
            racer.join(1.0)
            assert racer.is_alive()  # waits on the first receiver's uncommitted row
        racer.join(30)
    assert outcomes == ["accepted", "duplicate"]
    assert count(owner_engine, "SELECT count(*) FROM event_inbox") == 1


def test_parsed_envelopes_get_the_same_checks(clean_db, owner_engine):
    """What POST /events will hand over: a parsed body."""
    hostile = {**bounce(1), "data": {"email": "a\x00@b.example", "bounceType": "HARD"}}
    loop: list = []
    loop.append(loop)
    with owner_engine.begin() as conn:
        assert inbox.receive(conn, bounce(2), "http").outcome == "accepted"
        assert inbox.receive(conn, bounce(3), "http\x00\ud800").outcome == "accepted"
        got = inbox.receive(conn, hostile, "http")
        assert (got.outcome, got.reason) == ("dead", "data.email contains a NUL character")
        assert inbox.receive(conn, loop, "http").reason == "0 is nested deeper than 32 levels"
        assert inbox.receive(conn, [1, 2], "http").reason == "an event must be a JSON object, not a list"
    with owner_engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT raw FROM event_dead_letters WHERE reason LIKE '%NUL%'")).scalar_one()
    assert "a\\u0000@b.example" in raw
    assert count(owner_engine, "SELECT count(*) FROM event_inbox WHERE origin = 'http\\x00\\ud800'") == 1


def test_other_modules_inserting_a_resend_themselves(clean_db, owner_engine):
    """docs/DAEMON.md: a module's plain INSERT of a second copy is refused, ON CONFLICT DO NOTHING skips it."""
    login = f"module_{uuid.uuid4().hex[:6]}"
    with owner_engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{login}" LOGIN IN ROLE steward_inbox_writer')
        # A Steward database lets in only its own logins; an admin admits a module's.
        conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{owner_engine.url.database}" TO "{login}"')
    try:
        dsn = sa.make_url(clean_db).set(drivername="postgresql", username=login, password=None)
        body = json.dumps(bounce(1))
        with psycopg.connect(dsn.render_as_string(hide_password=False), autocommit=True) as module:
            module.execute("INSERT INTO event_inbox (envelope) VALUES (%s)", [body])
            module.execute("INSERT INTO event_inbox (envelope) VALUES (%s) ON CONFLICT DO NOTHING", [body])
            with pytest.raises(psycopg.errors.UniqueViolation):
                module.execute("INSERT INTO event_inbox (envelope) VALUES (%s)", [body])
        assert count(owner_engine, "SELECT count(*) FROM event_inbox") == 1
    finally:
        drop_logins(clean_db, [login])


def test_the_command_reports_every_line_with_plurals_and_no_traceback(clean_db, owner_engine, tmp_path):
    file = tmp_path / "inbound.jsonl"
    hostile = [line for line, _, _ in HOSTILE.values()]
    first = good(1)
    file.write_bytes(b"\n".join([first, *hostile, b"", first, good(2), b'{"type": "\\u001b[2J"}']) + b"\n")

    result = CliRunner().invoke(app, ["--database-url", clean_db, "events", "ingest", str(file)])
    out = " ".join(result.output.split())
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "Traceback" not in out
    assert f"line 1: accepted email.bounce {json.loads(first)['id']}" in out
    assert "line 2: dead letter — data.email contains a NUL character" in out
    assert "line 7: dead letter — the event is nested deeper than 32 levels" in out
    assert "line 8: dead letter — data is nested deeper than 32 levels" in out
    assert f"line {len(hostile) + 3}: already received, skipped — email.bounce" in out
    assert "\x1b" not in result.output, repr(result.output[result.output.index("\x1b") - 200:][:300])
    assert "unknown event type '\\x1b[2J'" in out
    total = len(hostile) + 4
    assert (f"inbound.jsonl: {total} lines — 2 accepted, {len(hostile) + 1} dead-lettered, 1 already received."
            in out)

    single = tmp_path / "one.jsonl"
    single.write_bytes(good(5))  # no line end at all
    result = CliRunner().invoke(app, ["--database-url", clean_db, "events", "ingest", str(single)])
    assert "one.jsonl: 1 line — 1 accepted, 0 dead-lettered, 0 already received." in " ".join(result.output.split())


def test_the_real_command_with_an_undecodable_file_name(clean_db, tmp_path):
    name = os.fsencode(tmp_path) + b"/inbound-\xff.jsonl"
    with open(name, "wb") as f:
        f.write(b"\n".join([good(1), b"\xff\xfe\x00", deep(100_000)]) + b"\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
    done = subprocess.run([STEWARD.encode(), b"--database-url", clean_db.encode(), b"events", b"ingest", name],
                          env=env, capture_output=True, timeout=120)
    out = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode == 0, out
    assert "Traceback" not in out
    assert "line 2: dead letter — not valid UTF-8 (byte 0xff at position 1)" in " ".join(out.split())
    assert "inbound-\\udcff.jsonl: 3 lines — 1 accepted, 2 dead-lettered, 0 already received." in " ".join(out.split())

"""The live catalog grants exactly what tests/security/privileges.txt lists.

A migration that gives a role a right (or takes one away) fails this test until
someone has reviewed the change and regenerated the file (the command is printed).
"""

from __future__ import annotations

import difflib

import psycopg

from tests.security.privileges import REGENERATE, REVIEWED, ROLES, privileges, reviewed


def test_privileges_match_the_reviewed_list(database):
    with psycopg.connect(database) as conn:
        live = privileges(conn)
    expected = reviewed()
    if live != expected:
        diff = "\n".join(difflib.unified_diff(expected, live, f"{REVIEWED.name} (reviewed)", "the migrated database",
                                              lineterm="", n=0))
        raise AssertionError(f"the grants differ from the reviewed list:\n{diff}\n\n"
                             f"If the change is intended, review it and regenerate the list:\n  {REGENERATE}")


def test_the_reviewed_list_covers_every_role():
    """Each role of the list appears in it (a role renamed or forgotten would vanish silently)."""
    named = {line.rsplit(" ", 1)[-1] for line in reviewed() if not line.endswith(("row-level-security", "forced"))}
    assert set(ROLES) - {"PUBLIC"} <= named, sorted(set(ROLES) - named)
    assert reviewed() == sorted(reviewed())

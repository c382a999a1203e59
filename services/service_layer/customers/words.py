"""The customer grid's full-text pages in name order, walked word by word.

A search matches a customer when every word of it starts a word of the name or
city. With a common word ("gasthaus" starts 45,000 names at a million
customers, all under G) neither index of the projection gives a page quickly:
the name index passes everything sorting before G, the GIN index hands over
every match to be sorted. cm_customer_words (sql/migrations/0010) holds each
customer's words with the name, in name order per word. Every match has a word
starting with the search's longest word, so a page is the union of one ordered
walk per such word (a handful: "gasthaus" → gasthaus, gasthausgruppe), each
checking the customer's projection row by primary key against all filters —
the full search included — and stopping once the page is full.

Row-level security holds throughout: a person reads a customer's words only
where they read its projection row, and the page's rows come from the projection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from services import paths

# More words than this start with the search word (a search of one or two
# letters): the walks would cost more than the projection's own indexes.
MOST_WORDS = 32

_words = sa.table("cm_customer_words", sa.column("word", sa.Text), sa.column("name", sa.Text),
                  sa.column("customer_id", postgresql.UUID(as_uuid=True)))


def words_to_walk(conn, search: str) -> tuple[str, ...] | None:
    """The words whose walks hold every match of `search`; None when walking them does not pay."""
    found = conn.execute(sa.text(paths.query("find_search_words")), {"text": search, "most": MOST_WORDS + 1}).one()
    if found.prefix is None or len(found.words) > MOST_WORDS:
        return None
    return tuple(found.words)


def page_keys(table: sa.Table, words: Sequence[str], conditions: Sequence[Any], *, after: tuple[Any, Any] | None,
              descending: bool, limit: int) -> sa.Subquery:
    """The (customer_id, name) of the page's customers among those having one of `words`."""
    walked = sa.func.unnest(sa.literal(list(words), postgresql.ARRAY(sa.Text))).table_valued("word").render_derived("walked")
    w = _words.alias("w")
    # OFFSET 0 keeps the probe per walked row: pulled up into a join, the planner
    # would match all of a word's rows (25,000 for "gasthaus") and sort them.
    passes = (sa.select(sa.literal(1).label("passes"))
              .select_from(table)
              .where(table.c.customer_id == w.c.customer_id, *conditions)
              .correlate_except(table)
              .offset(0)
              .lateral("passes"))
    key = sa.tuple_(w.c.name, w.c.customer_id)
    bound = [] if after is None else [key < after if descending else key > after]
    walk = (sa.select(w.c.customer_id, w.c.name)
            .select_from(w.join(passes, sa.true()))
            .where(w.c.word == walked.c.word, *bound)
            .order_by(*_ordered((w.c.name, w.c.customer_id), descending))
            .limit(limit)
            .lateral("walk"))
    # A customer with two of the words ("Kantine Kantinenküche") is walked twice.
    return (sa.select(walk.c.customer_id, walk.c.name)
            .select_from(walked.join(walk, sa.true()))
            .distinct()
            .order_by(*_ordered((walk.c.name, walk.c.customer_id), descending))
            .limit(limit)
            .subquery("page_keys"))


def _ordered(columns, descending: bool) -> list[Any]:
    return [c.desc() for c in columns] if descending else list(columns)

"""Table shapes for queries built with SQLAlchemy Core (the DDL lives in sql/migrations)."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID

metadata = sa.MetaData()

def _core_projection_columns() -> list[sa.Column]:
    return [
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.Text), sa.Column("city", sa.Text), sa.Column("region", sa.Text),
        sa.Column("owner_id", UUID(as_uuid=True)), sa.Column("chain_id", UUID(as_uuid=True)),
        sa.Column("chain_name", sa.Text), sa.Column("is_chain", sa.Boolean), sa.Column("shared", sa.Boolean),
        sa.Column("sla_due", sa.Date), sa.Column("search", TSVECTOR),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    ]


# The projection's own columns: what every query that needs no hot field reads.
hot_proj = sa.Table("cm_customer_hot_proj", metadata, *_core_projection_columns())

_TYPES = {"text": sa.Text, "integer": sa.Integer, "boolean": sa.Boolean, "date": sa.Date,
          "timestamptz": lambda: sa.DateTime(timezone=True)}


def column_type(sql_type: str) -> sa.types.TypeEngine:
    """The SQLAlchemy type of a hot column's SQL type (services.pack.COLUMN_TYPES)."""
    if sql_type.startswith("numeric"):
        precision, scale = (int(n) for n in sql_type[len("numeric("):-1].split(","))
        return sa.Numeric(precision, scale)
    return _TYPES[sql_type]()


@cache
def hot_projection(columns: tuple[tuple[str, str], ...]) -> sa.Table:
    """The projection with the pack's hot columns, (name, SQL type) each, as the catalog declares them."""
    return sa.Table("cm_customer_hot_proj", sa.MetaData(), *_core_projection_columns(),
                    *(sa.Column(name, column_type(type_)) for name, type_ in columns))

accounts = sa.Table(
    "accounts", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("name", sa.Text), sa.Column("city", sa.Text), sa.Column("region", sa.Text),
    sa.Column("owner_id", UUID(as_uuid=True)), sa.Column("is_chain", sa.Boolean),
    sa.Column("parent_account_id", UUID(as_uuid=True)), sa.Column("coverage_policy", sa.Text),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("login", sa.Text), sa.Column("display_name", sa.Text),
    sa.Column("role", sa.Text), sa.Column("region", sa.Text), sa.Column("active", sa.Boolean),
)

activities = sa.Table(
    "activities", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("customer_id", UUID(as_uuid=True)), sa.Column("kind", sa.Text),
    sa.Column("occurred_at", sa.DateTime(timezone=True)), sa.Column("outcome", sa.Text),
    sa.Column("note", sa.Text), sa.Column("data", JSONB),
    sa.Column("sample_id", UUID(as_uuid=True)), sa.Column("roi_scenario_id", UUID(as_uuid=True)),
    sa.Column("created_by", UUID(as_uuid=True)), sa.Column("created_at", sa.DateTime(timezone=True)),
)

slas = sa.Table(
    "slas", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("customer_id", UUID(as_uuid=True)), sa.Column("kind", sa.Text), sa.Column("rule", sa.Text),
    sa.Column("sample_id", UUID(as_uuid=True)), sa.Column("opened_by_activity_id", UUID(as_uuid=True)),
    sa.Column("met_by_activity_id", UUID(as_uuid=True)), sa.Column("opened_at", sa.DateTime(timezone=True)),
    sa.Column("due_date", sa.Date), sa.Column("status", sa.Text), sa.Column("closed_at", sa.DateTime(timezone=True)),
)

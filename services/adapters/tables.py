"""Table shapes for queries built with SQLAlchemy Core (the DDL lives in sql/migrations)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID

metadata = sa.MetaData()

hot_proj = sa.Table(
    "cm_customer_hot_proj", metadata,
    sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("name", sa.Text), sa.Column("city", sa.Text), sa.Column("region", sa.Text),
    sa.Column("owner_id", UUID(as_uuid=True)), sa.Column("chain_id", UUID(as_uuid=True)),
    sa.Column("chain_name", sa.Text), sa.Column("is_chain", sa.Boolean), sa.Column("shared", sa.Boolean),
    sa.Column("sample_status", sa.Text), sa.Column("sample_last_event_at", sa.DateTime(timezone=True)),
    sa.Column("roi_bucket", sa.Text), sa.Column("roi_value", sa.Numeric(12, 2)),
    sa.Column("decision_maker_count", sa.Integer), sa.Column("has_exec_alignment", sa.Boolean),
    sa.Column("season_start", sa.Date), sa.Column("season_end", sa.Date),
    sa.Column("renewal_date", sa.Date), sa.Column("exclusivity", sa.Boolean),
    sa.Column("sla_due", sa.Date), sa.Column("search", TSVECTOR),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
)

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

"""`svc.kpis`: the cockpit's numbers and focus lists, as the logged-in person may see them."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services.service_layer import paging
from services.service_layer.access import ADMIN, TEAM_LEAD
from services.service_layer.coerce import as_int, as_uuid, one_of
from services.service_layer.context import Context
from services.adapters.database import translated_errors
from services.errors import Conflict, NotFound, ValidationError
from services.service_layer.kpis import aggregates, reports
from services.service_layer.kpis.charts import Drill, RoiPipeline, SampleSuccess, SlaAdherence
from services.service_layer.kpis.focus import FocusList, FocusRow, focus_page
from services.service_layer.kpis.period import GRAINS, period_of
from services.service_layer.kpis.reports import NOBODY
from services.service_layer.paging import Page
from services.rules import calendar
from services.rules.sla import DUE_SOON_BUSINESS_DAYS

# auto: the aggregates once built and current (within MAX_LAG), else the base
# tables. aggregates: the region totals where they serve (an admin or team lead,
# no owner or chain filter, lines per region), else the per-slice aggregates.
# slices, regions, base: that one. All give the same numbers.
SOURCES = ("auto", "aggregates", "slices", "regions", "base")
# Who reads whole regions, and so may read the region totals.
_WHOLE_REGIONS = (ADMIN, TEAM_LEAD)
# With source="auto", aggregates further behind than this are passed over for
# the base tables: slower, but the database stays the truth when the daemon stalls.
MAX_LAG = timedelta(minutes=5)
# Lines a success-rate chart can show; an admin's "by chain" would have thousands.
TOP_GROUPS = 12


class KpiService:
    """Every report is one query plus a look at how current the aggregates are; the
    numbers count only customers the person may read (row-level security).

    `source` chooses where the numbers come from (see SOURCES); the results
    say which it was, and as of when. Nothing here writes, except `rebuild`.
    """

    def __init__(self, ctx: Context, *, max_lag: timedelta = MAX_LAG):
        self._ctx = ctx
        self._max_lag = max_lag

    # ------------------------------------------------------------- charts

    def status(self) -> aggregates.AggregateStatus:
        with self._read() as conn:
            return aggregates.status(conn)

    def sample_success(self, period_from: Any = None, period_to: Any = None, *, grain: str = "week",
                       by: str = "region", region: Any = None, owner: Any = None, chain_id: Any = None,
                       top: int | None = TOP_GROUPS, source: str = "auto") -> SampleSuccess:
        """Feedbacks SUCCESS / all feedbacks per week or month and region, owner or chain,
        by the day of the feedback, with n and a 95 % band. Default period: the last 90 days.
        Only the `top` groups with the most feedbacks get lines (None: all); `groups` says how many there are."""
        one_of(grain, "grain", GRAINS)
        one_of(by, "by", reports.GROUPINGS)
        if top is not None:
            top = as_int(top, "top", minimum=1, maximum=100_000)
        period = period_of(period_from, period_to, today=calendar.today())
        with self._read() as conn:
            scope = self._scope(conn, region, owner, chain_id)
            chosen, as_of = self._source(conn, source, scope, by=by)
            return reports.sample_success(conn, self._ctx.catalog, scope, period, grain=grain, by=by, top=top,
                                          source=chosen, as_of=as_of)

    def roi_pipeline(self, period_from: Any = None, period_to: Any = None, *, region: Any = None,
                     owner: Any = None, chain_id: Any = None, source: str = "auto") -> RoiPipeline:
        """Customers and €/month per ROI bucket now (every bucket, zero where empty), and the
        consultations per commitment level in the period (default: the last 90 days)."""
        period = period_of(period_from, period_to, today=calendar.today())
        with self._read() as conn:
            scope = self._scope(conn, region, owner, chain_id)
            chosen, as_of = self._source(conn, source, scope)
            return reports.roi_pipeline(conn, self._ctx.catalog, scope, period, source=chosen, as_of=as_of)

    def sla_adherence(self, period_from: Any = None, period_to: Any = None, *, region: Any = None,
                      owner: Any = None, chain_id: Any = None, source: str = "auto") -> SlaAdherence:
        """SLAs due in the period per activity kind: met on time, late, open, overdue."""
        today = calendar.today()
        period = period_of(period_from, period_to, today=today)
        with self._read() as conn:
            scope = self._scope(conn, region, owner, chain_id)
            chosen, as_of = self._source(conn, source, scope)
            return reports.sla_adherence(conn, self._ctx.catalog, scope, period, today=today, source=chosen,
                                         as_of=as_of)

    # --------------------------------------------------------- drill-down

    def customers_behind(self, drill: Drill, *, limit: int = 10_000) -> tuple[uuid.UUID, ...]:
        """The ids of the customers behind a chart's number (at most `limit`), from the base tables."""
        if not isinstance(drill, Drill):
            raise ValidationError("Pass the drill of a chart's point or bar.", errors={"drill": "not a drill"})
        limit = as_int(limit, "limit", minimum=1, maximum=100_000)
        with self._read() as conn:
            return reports.customers_behind(conn, drill, limit=limit)

    def grid_filter(self, drill: Drill, *, limit: int = 10_000) -> dict[str, Any]:
        """Keyword arguments for svc.customers.list() that show the customers behind a number:
        an ROI bucket filters on the bucket, a success rate's point on the feedbacks it counted
        (`feedbacks`: their days and, if the point is one outcome's, that outcome), every other
        number on the ids behind it."""
        if not isinstance(drill, Drill):
            raise ValidationError("Pass the drill of a chart's point or bar.", errors={"drill": "not a drill"})
        scope = {"region": drill.region, "owner": drill.owner_id, "chain_id": drill.chain_id}
        if drill.report == "roi":
            # The filter of the pack's pipeline bucket column ([kpi] pipeline.bucket), by its `in` filter.
            column = self._ctx.catalog.kpis.pipeline_bucket
            bucket = next((f.name for f in self._ctx.catalog.filters.values() if f.column == column and f.op == "in"),
                          column)
            found = {bucket: drill.value, **scope}
            return {k: v for k, v in found.items() if v is not None}
        if drill.report == "sample_success" and drill.period is not None and NOBODY not in scope.values():
            feedbacks = {"from": drill.period.first.isoformat(), "to": drill.period.last.isoformat()}
            if drill.value is not None:
                feedbacks["outcome"] = drill.value
            return {k: v for k, v in {"feedbacks": feedbacks, **scope}.items() if v is not None}
        return {"customer_ids": list(self.customers_behind(drill, limit=limit))}

    # -------------------------------------------------------- focus lists

    def focus_overdue_slas(self, *, region: Any = None, owner: Any = None, chain_id: Any = None, limit: int = 50,
                           cursor: str | None = None) -> Page[FocusRow]:
        """Customers with an open SLA past its due date, longest overdue first."""
        today = calendar.today()
        window = {"due_from": None, "due_to": today - timedelta(days=1)}
        return self._focus(FocusList("focus_slas", window), region, owner, chain_id, limit, cursor, today)

    def focus_due_soon_slas(self, *, region: Any = None, owner: Any = None, chain_id: Any = None, limit: int = 50,
                            cursor: str | None = None) -> Page[FocusRow]:
        """Customers whose earliest open SLA falls due within DUE_SOON_BUSINESS_DAYS business days."""
        today = calendar.today()
        window = {"due_from": today, "due_to": calendar.add_business_days(today, DUE_SOON_BUSINESS_DAYS)}
        return self._focus(FocusList("focus_slas", window), region, owner, chain_id, limit, cursor, today)

    def focus_delivered_without_feedback(self, *, region: Any = None, owner: Any = None, chain_id: Any = None,
                                         limit: int = 50, cursor: str | None = None) -> Page[FocusRow]:
        """Customers whose latest sample was delivered and has no feedback yet, longest waiting first."""
        focus = FocusList("focus_delivered_without_feedback", {})
        return self._focus(focus, region, owner, chain_id, limit, cursor, calendar.today())

    def focus_renewals(self, days: int = 90, *, region: Any = None, owner: Any = None, chain_id: Any = None,
                       limit: int = 50, cursor: str | None = None) -> Page[FocusRow]:
        """Customers whose supplier contract renews within `days` days, soonest first."""
        return self._window_focus("focus_renewals", days, region, owner, chain_id, limit, cursor)

    def focus_season_openings(self, days: int = 60, *, region: Any = None, owner: Any = None, chain_id: Any = None,
                              limit: int = 50, cursor: str | None = None) -> Page[FocusRow]:
        """Customers whose season window opens within `days` days, soonest first."""
        return self._window_focus("focus_season_openings", days, region, owner, chain_id, limit, cursor)

    # -------------------------------------------------------------- admin

    def rebuild(self, progress=None) -> aggregates.RebuildReport:
        """Build the aggregates anew from the base tables in short transactions (about a minute
        per million customers; the reports read the base tables meanwhile). Needs the schema
        owner or the daemon's login. Commits batch by batch."""
        with translated_errors():
            return aggregates.rebuild_all(self._ctx.engine, progress)

    # ------------------------------------------------------------ helpers

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        # The cockpit may be a moment behind: from the replica when there is one. JIT off: it
        # compiles for longer than these queries run (a person's sessions have it off from the
        # login, services.service_layer.facade.PERSON_SESSION; others turn it off here).
        settings = None if self._ctx.session.get("jit") == "off" else {"jit": "off"}
        with self._ctx.read_replica(settings=settings) as conn:
            yield conn

    def _window_focus(self, query: str, days: Any, region: Any, owner: Any, chain_id: Any, limit: int,
                      cursor: str | None) -> Page[FocusRow]:
        days = as_int(days, "days", minimum=0, maximum=3660)
        today = calendar.today()
        window = {"day_from": today, "day_to": today + timedelta(days=days)}
        return self._focus(FocusList(query, window), region, owner, chain_id, limit, cursor, today)

    def _focus(self, focus: FocusList, region: Any, owner: Any, chain_id: Any, limit: int, cursor: str | None,
               today: date) -> Page[FocusRow]:
        limit = paging.check_limit(limit)
        with self._read() as conn:
            scope = self._scope(conn, region, owner, chain_id)
            return focus_page(conn, focus, scope, today=today, limit=limit, cursor=cursor)

    def _scope(self, conn: Connection, region: Any, owner: Any, chain_id: Any) -> reports.Scope:
        if region is not None:
            one_of(region, "region", self._ctx.catalog.regions)
        return reports.Scope(region, self._owner_id(conn, owner) if owner is not None else None,
                             as_uuid(chain_id, "chain_id") if chain_id is not None else None)

    def _owner_id(self, conn: Connection, owner: Any) -> uuid.UUID:
        if isinstance(owner, uuid.UUID):
            return owner
        if not isinstance(owner, str) or not owner:
            raise ValidationError("The owner must be a user id or login.", errors={"owner": "must be a user id or login"})
        try:
            return uuid.UUID(owner)
        except ValueError:
            pass
        found = conn.execute(sa.text("SELECT id FROM users WHERE login = :l"), {"l": owner}).scalar()
        if found is None:
            raise NotFound(f"There is no user '{owner}'.", errors={"owner": "unknown user"})
        return found

    def _source(self, conn: Connection, requested: Any, scope: reports.Scope, *, by: str = "region") -> tuple[str, datetime]:
        """slices, regions or base, and as of when."""
        one_of(requested, "source", SOURCES)
        state = aggregates.status(conn)
        if requested == "base" or (requested == "auto" and not (state.present and state.lag <= self._max_lag)):
            return "base", state.now
        if not state.present:
            raise Conflict("The KPI aggregates have not been built yet; an admin runs `steward kpis rebuild`.")
        whole_regions = (self._ctx.actor.role in _WHOLE_REGIONS and scope.owner_id is None and scope.chain_id is None
                         and by == "region")
        if requested == "regions" and not whole_regions:
            raise ValidationError("Region totals serve admins and team leads, without an owner or chain filter.",
                                  errors={"source": "region totals do not apply here"})
        return ("regions" if whole_regions and requested != "slices" else "slices"), state.as_of

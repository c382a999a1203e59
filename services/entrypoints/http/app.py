"""The ASGI application of `steward serve`: the source's HTTP contracts on the service layer.

Every route calls the same service facade as the desktop, acting as the person of the
request's API token (identity.py), so every rule, error and event is the desktop's. Errors
are RFC 7807 problem details (StewardError.to_problem()). What the pack declares (the
customer list's filters, the activity kinds and their fields, the field catalog) is read
from the catalog when the app is made, so the routes and the OpenAPI document follow the pack.
"""


import hashlib
import inspect
import json
import logging
import uuid
from datetime import date, datetime
from typing import Any, Literal, Optional

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.entrypoints.http import schemas as s
from services.entrypoints.http.identity import Identity, ServedContext
from services.entrypoints.http.limits import Guard, RateLimiter
from services.entrypoints.http.server import Server
from services.errors import (Forbidden, PreconditionFailed, StewardError, TooManyRequests, Unauthenticated,
                             ValidationError)
from services.rules.inputs import shown
from services.service_layer.access import ADMIN
from services.service_layer.customers.filters import sort_keys

log = logging.getLogger("steward.http")

API_VERSION = "1.0.0"
_bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth", bearerFormat="stw_… (personal API token)",
                     description="A personal API token (`steward tokens create`).")
_UUID = {"type": "string", "format": "uuid"}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_ERRORS = {
    "401": "No valid API token", "403": "Not allowed for this person", "413": "Request too large",
    "422": "Invalid input", "429": "Too many requests with this token", "503": "Database unavailable",
}


def create_app(server: Server) -> FastAPI:
    """The app for one worker process (its Server: engine, catalog, token checks)."""
    catalog = server.catalog
    limiter = RateLimiter(server.options.rate_per_second, server.options.burst)
    app = FastAPI(title="Steward — customer management API", version=API_VERSION,
                  description="The customer-management module's contracts for other modules (samples, activities, "
                              "fields, customers, cockpit, events). JSON in camelCase; errors as RFC 7807 problem "
                              "details (application/problem+json). Authenticate with a personal API token: "
                              "`Authorization: Bearer stw_…`.",
                  docs_url="/docs", redoc_url=None)
    app.state.server = server

    # ------------------------------------------------------------ identity

    def authenticated(request: Request,
                      credentials: Optional[HTTPAuthorizationCredentials] = Depends(_bearer)) -> Identity:
        header = request.headers.get("authorization")
        identity = server.auth.identify(header)
        request.state.person = identity.actor.login
        limiter.take(hashlib.sha256(identity.token.encode()).digest())
        return identity

    def served(identity: Identity):
        return server.steward(identity)

    # -------------------------------------------------------------- errors

    def problem(error: StewardError, headers: dict[str, str] | None = None) -> JSONResponse:
        headers = dict(headers or {})
        if error.status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="steward"'
        if isinstance(error, TooManyRequests):
            headers["Retry-After"] = str(error.extra.get("retry_after", 1))
        if isinstance(error, PreconditionFailed) and error.current_etag:
            headers["ETag"] = error.current_etag
        return JSONResponse(error.to_problem(), status_code=error.status, media_type=s.PROBLEM_MEDIA_TYPE,
                            headers=headers)

    @app.exception_handler(StewardError)
    async def steward_error(request: Request, exc: StewardError):
        if isinstance(exc, Unauthenticated):
            identity_forget(request)
        return problem(exc)

    def identity_forget(request: Request) -> None:
        header = request.headers.get("authorization") or ""
        token = header.partition(" ")[2].strip()
        if token:
            server.auth.forget(Identity(token, None))  # type: ignore[arg-type]

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        errors: dict[str, str] = {}
        for e in exc.errors():
            loc = [str(p) for p in e.get("loc", ())]
            where = ".".join(loc[1:]) if len(loc) > 1 else (loc[0] if loc else "request")
            errors.setdefault(shown(where, 200), shown(str(e.get("msg", "invalid")), 300))
        return problem(ValidationError("The request does not fit this operation.", errors=errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        error = StewardError(str(exc.detail))
        error.status = exc.status_code
        error.title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Request refused")
        error.slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http")
        return problem(error, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        error = StewardError("The server failed to answer this request; it has been logged.")
        return problem(error)

    # -------------------------------------------------------------- health

    @app.get("/health", tags=["operations"], response_model=s.Health, summary="Database reachable, schema current",
             responses={503: {"model": s.Health, "description": "Not ready"}})
    def health():
        report = server.health()
        return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

    # ------------------------------------------------------------- samples

    def sample_json(sample) -> dict[str, Any]:
        out = s.jsonable(sample)
        out["allowedNext"] = list(sample.allowed_next)
        return out

    @app.post("/samples", tags=["samples"], status_code=201, response_model=s.SampleOut,
              summary="Request a sample (Cook&Fresh®)")
    def request_sample(body: s.SampleRequestIn, identity: Identity = Depends(authenticated)):
        svc = served(identity)
        sample = svc.samples.request(
            body.customer_id, [{"sku": i.sku, "quantity": i.quantity} for i in body.items] if body.items else None,
            delivery_date=body.delivery_date, kit_id=body.kit_id, delivery_address=body.delivery_address,
            contact_email=body.contact_email, notes=body.notes)
        return JSONResponse(sample_json(sample), status_code=201, headers={"Location": f"/samples/{sample.id}"})

    @app.get("/samples/{id}", tags=["samples"], response_model=s.SampleOut, summary="One sample")
    def get_sample(id: uuid.UUID = Path(...), identity: Identity = Depends(authenticated)):
        return JSONResponse(sample_json(served(identity).samples.get(id)))

    status_model = s.status_change_model(catalog)

    @app.patch("/samples/{id}/status", tags=["samples"], response_model=s.SampleOut,
               summary="Move a sample along its workflow",
               responses={409: {"model": s.Problem, "description": "Not allowed from the current status; the "
                                "problem names `current` and `allowed`"}})
    def set_sample_status(body: status_model, id: uuid.UUID = Path(...),  # type: ignore[valid-type]
                          identity: Identity = Depends(authenticated)):
        sample = served(identity).samples.set_status(id, body.new_status, body.event_at)
        return JSONResponse(sample_json(sample))

    @app.get("/customers/{id}/samples", tags=["samples"], response_model=s.SampleList,
             summary="A customer's samples, newest first")
    def customer_samples(id: uuid.UUID = Path(...), identity: Identity = Depends(authenticated)):
        return JSONResponse({"items": [sample_json(x) for x in served(identity).samples.list(id)]})

    # ---------------------------------------------------------- activities

    names = s.activity_names(catalog)             # kind → API name → pack key
    api_names = {kind: {key: name for name, key in m.items()} for kind, m in names.items()}
    base_in = {"customerId", "kind", "occurredAt", "note", "outcome"}
    reserved = {"customer_id", "kind", "occurred_at", "note", "outcome"}

    def activity_json(a) -> dict[str, Any]:
        out = {"id": str(a.id), "customerId": str(a.customer_id), "kind": a.kind,
               "occurredAt": a.occurred_at.isoformat(), "outcome": a.outcome, "note": a.note,
               "createdByName": a.created_by_name, "createdAt": a.created_at.isoformat(),
               "slaDue": a.sla_due.isoformat() if a.sla_due else None, "slaStatus": a.sla_status,
               "slaBadge": a.sla_badge}
        own = api_names.get(a.kind, {})
        for key, value in (a.data or {}).items():
            out.setdefault(own.get(key) or s.camel(key), value)
        return out

    def create_activity_sync(identity: Identity, body: Any):
        if not isinstance(body, dict):
            raise ValidationError("An activity is a JSON object.", errors={"body": "must be an object"})
        kind = body.get("kind")
        if not isinstance(kind, str) or kind not in names:
            raise ValidationError("Name the activity's kind.", errors={"kind": f"one of {', '.join(names)}"})
        fields: dict[str, Any] = {}
        for name, value in body.items():
            if name in base_in:
                continue
            key = names[kind].get(name) or s.snake(name)
            if key in reserved or not key.isidentifier():
                raise ValidationError(f"'{shown(name, 60)}' is not a field of a {kind} activity.",
                                      errors={shown(name, 60): "is not a field of this form"})
            fields[key] = value
        try:
            activity = served(identity).activities.create(
                body.get("customerId"), kind, outcome=body.get("outcome"), occurred_at=body.get("occurredAt"),
                note=body.get("note"), **fields)
        except ValidationError as exc:
            own = api_names[kind]
            exc.errors = {_renamed(k, own): v for k, v in exc.errors.items()}
            raise
        return activity_json(activity)

    @app.post("/activities", tags=["activities"], status_code=201, response_model=s.ActivityOut,
              summary="Log a typed activity",
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": {"$ref": "#/components/schemas/ActivityIn"}}}}})
    async def create_activity(request: Request, identity: Identity = Depends(authenticated)):
        body = _json(await request.body())
        out = await run_in_threadpool(create_activity_sync, identity, body)
        return JSONResponse(out, status_code=201, headers={"Location": f"/activities/{out['id']}"})

    @app.get("/activities/{id}", tags=["activities"], response_model=s.ActivityOut, summary="One activity")
    def get_activity(id: uuid.UUID = Path(...), identity: Identity = Depends(authenticated)):
        return JSONResponse(activity_json(served(identity).activities.get(id)))

    kinds = tuple(catalog.kinds) or ("NONE",)

    @app.get("/customers/{id}/activities", tags=["activities"], response_model=s.ActivityPage,
             summary="A customer's activities, newest first (filter, scroll)")
    def customer_activities(
        id: uuid.UUID = Path(...),
        kind: Optional[list[Literal[kinds]]] = Query(None, description="Only these kinds"),  # type: ignore[valid-type]
        from_: Optional[datetime | date] = Query(None, alias="from", description="From this time (a date: its start)"),
        to: Optional[datetime | date] = Query(None, description="Before this time (a date: up to its end)"),
        q: Optional[str] = Query(None, max_length=200, description="Text in the note, the fields or the outcome"),
        limit: int = Query(50, ge=1, le=500),
        cursor: Optional[str] = Query(None, max_length=2000, description="nextCursor of the page before"),
        identity: Identity = Depends(authenticated),
    ):
        page = served(identity).activities.list(id, kind=kind, from_=from_, to=to, q=q, limit=limit, cursor=cursor)
        return JSONResponse({"items": [activity_json(a) for a in page.items], "nextCursor": page.next_cursor})

    # -------------------------------------------------------------- fields

    def fields_response(fieldset) -> JSONResponse:
        body = {"customerId": str(fieldset.customer_id), "version": fieldset.version, "etag": fieldset.etag,
                "fields": s.jsonable(fieldset.values)}
        return JSONResponse(body, headers={"ETag": fieldset.etag})

    @app.get("/customers/{id}/fields", tags=["fields"], response_model=s.FieldsOut,
             summary="All of a customer's dynamic fields, with their ETag",
             responses={200: {"headers": {"ETag": {"schema": {"type": "string"},
                                                   "description": "Send it back as If-Match"}}}})
    def get_fields(id: uuid.UUID = Path(...), identity: Identity = Depends(authenticated)):
        return fields_response(served(identity).fields.get(id))

    def patch_fields_sync(identity: Identity, cid: uuid.UUID, body: Any, if_match: str | None):
        if not isinstance(body, dict):
            raise ValidationError("The fields to change are a JSON object.", errors={"body": "must be an object"})
        return served(identity).fields.patch(cid, body, if_match=if_match)

    @app.patch("/customers/{id}/fields", tags=["fields"], response_model=s.FieldsOut,
               summary="Write some dynamic fields (JSON merge patch)",
               responses={200: {"headers": {"ETag": {"schema": {"type": "string"}}}},
                          412: {"model": s.Problem, "description": "The If-Match ETag is stale; the problem holds "
                                                                   "the current one (current_etag)"}},
               openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                   "schema": s.fields_patch_schema(catalog)}}}})
    async def patch_fields(request: Request, id: uuid.UUID = Path(...),
                           if_match: Optional[str] = Header(None, alias="If-Match", max_length=100,
                                                            description="The ETag you read; refused with 412 when "
                                                                        "stale"),
                           identity: Identity = Depends(authenticated)):
        body = _json(await request.body())
        fieldset = await run_in_threadpool(patch_fields_sync, identity, id, body, if_match)
        return fields_response(fieldset)

    # ----------------------------------------------------------- customers

    list_customers = _customer_list_route(catalog, authenticated, served)
    app.get("/customers", tags=["customers"], response_model=s.CustomerPage,
            summary="The customer list: the pack's hot-field filters, keyset pages")(list_customers)

    # ------------------------------------------------------------- cockpit

    @app.get("/cockpit/summary", tags=["cockpit"], response_model=s.CockpitSummary,
             summary="The cockpit's KPIs (as `steward kpis`)")
    def cockpit_summary(
        period: str = Query("last-90d", max_length=40, description="FROM..TO, last-Nd, 2026-Q4, 2026-09 or 2026"),
        by: Literal["region", "owner", "chain"] = Query("region"),
        grain: Literal["week", "month"] = Query("month"),
        top: int = Query(12, ge=0, le=1000, description="Lines of the success rate (0: all)"),
        region: Optional[str] = Query(None, max_length=40),
        owner: Optional[str] = Query(None, max_length=100, description="Login or id"),
        chain_id: Optional[uuid.UUID] = Query(None, alias="chainId"),
        source: Literal["auto", "aggregates", "slices", "regions", "base"] = Query("auto"),
        identity: Identity = Depends(authenticated),
    ):
        from services.rules import calendar
        from services.service_layer.kpis.period import parse_period

        span = parse_period(period, today=calendar.today())
        svc = served(identity)
        filters = {"region": region.upper() if region else None, "owner": owner, "chain_id": chain_id,
                   "source": source}
        success = svc.kpis.sample_success(span.first, span.last, grain=grain, by=by, top=top or None, **filters)
        pipeline = svc.kpis.roi_pipeline(span.first, span.last, **filters)
        slas = svc.kpis.sla_adherence(span.first, span.last, **filters)
        return JSONResponse({
            "period": {"from": span.first.isoformat(), "to": span.last.isoformat()},
            "by": by, "grain": grain, "source": success.source, "asOf": success.as_of.isoformat(),
            "groups": success.groups,
            "sampleSuccess": [{"period": p.period.isoformat(), "key": p.key, "label": p.label, "success": p.success,
                               "neutral": p.neutral, "fail": p.fail, "n": p.n, "low": p.low, "high": p.high}
                              for p in success.points],
            "roiPipeline": [{"bucket": b.bucket, "customers": b.customers, "valuePerMonth": float(b.value_per_month)}
                            for b in pipeline.buckets],
            "commitmentLevels": [{"level": c.level, "consultations": c.consultations,
                                  "savingsPerMonth": float(c.savings_per_month)} for c in pipeline.commitments],
            "slaAdherence": [{"kind": k.kind, "label": k.label, "onTime": k.on_time, "late": k.late, "open": k.open,
                              "overdue": k.overdue} for k in slas.kinds],
        })

    # -------------------------------------------------------------- events

    def receive_sync(identity: Identity, raw: bytes) -> tuple[int, dict[str, Any]]:
        from services.service_layer.events import inbox

        ctx = ServedContext(server.engine, identity, catalog)
        with ctx.write() as uow:
            received = inbox.receive(uow.conn, raw, f"http:{identity.actor.login}", refuse=True)
        accepted = received.outcome == inbox.ACCEPTED
        return (202 if accepted else 200), {"status": "accepted" if accepted else "already received",
                                            "eventId": received.event_id, "type": received.type}

    @app.post("/events", tags=["events"], status_code=202, response_model=s.EventReceived,
              summary="Send an inbound event (lead.converted, email.bounce, …)",
              description="Stored in the inbox for the daemon: 202. Idempotent by the envelope's id: a repeat answers "
                          "200 \"already received\". A malformed envelope: 422 with the reason, nothing stored. "
                          "Admins and module accounts only.",
              responses={200: {"model": s.EventReceived, "description": "Already received"}},
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                  "type": "object", "required": ["type", "version", "id", "data"],
                  "properties": {"type": {"type": "string", "examples": ["lead.converted", "email.bounce"]},
                                 "version": {"type": "string", "examples": ["1.0"]},
                                 "id": _UUID, "time": {"type": "string", "format": "date-time"},
                                 "source": {"type": "string"}, "correlationId": {"type": "string"},
                                 "actor": {"type": "object"}, "data": {"type": "object"}}}}}}})
    async def post_event(request: Request, identity: Identity = Depends(authenticated)):
        raw = await request.body()
        status, body = await run_in_threadpool(receive_sync, identity, raw)
        return JSONResponse(body, status_code=status)

    def replay_sync(identity: Identity, body: s.ReplayIn) -> dict[str, Any]:
        from services.service_layer.events.replay import replay

        if identity.actor.role != ADMIN:
            raise Forbidden("Only admins replay events.")
        if (body.position is None) == (body.time is None):
            raise ValidationError("Give a position or a time to replay from.",
                                  errors={"position": "give this or time", "time": "give this or position"})
        point = body.position if body.position is not None else (
            body.time if body.time.tzinfo else body.time.astimezone())
        ctx = ServedContext(server.engine, identity, catalog)
        with ctx.write() as uow:
            result = replay(uow.conn, body.consumer, point)

        def checkpoint(pair):
            return {"txid": int(pair[0]), "position": int(pair[1])} if pair else None

        return {"consumer": result.consumer, "previous": checkpoint(result.previous),
                "checkpoint": checkpoint(result.checkpoint), "events": result.events}

    @app.post("/events/replay", tags=["events"], response_model=s.ReplayOut,
              summary="Let a consumer read again from a position or a time (admins)")
    def replay_events(body: s.ReplayIn, identity: Identity = Depends(authenticated)):
        return JSONResponse(replay_sync(identity, body))

    # ------------------------------------------------------------- OpenAPI

    extra_components = s.activity_components(catalog)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = document.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        schemas.update(extra_components)
        schemas["Problem"] = s.Problem.model_json_schema()
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        for path, operations in document.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for code, description in _ERRORS.items():
                    if path == "/health" and code != "503":
                        continue
                    responses[code] = {"description": description,
                                       "content": {s.PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}}
                for code in ("404", "409", "412"):
                    if code in responses or ("{id}" in path and code == "404"):
                        description = responses.get(code, {}).get("description") or "Refused"
                        responses[code] = {"description": description,
                                           "content": {s.PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}}
                if path != "/health":
                    responses["default"] = {"description": "Any other refusal",
                                            "content": {s.PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}}
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(_GuardMiddleware, max_body=server.options.max_body_bytes)
    return app


class _GuardMiddleware(Guard):
    def __init__(self, app, max_body: int):
        super().__init__(app, max_body=max_body)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValidationError(f"The request body is not JSON: {shown(str(exc), 200)}",
                              errors={"body": "not JSON"}) from None


def _renamed(key: str, own: dict[str, str]) -> str:
    head, dot, rest = key.partition(".")
    return own.get(head, head) + dot + rest


def _customer_list_route(catalog, authenticated, served):
    """GET /customers with a query parameter per filter of the catalog (svc.customers.filters()),
    made when the app starts: a filter the pack adds is a parameter, without an edit here."""
    params: list[inspect.Parameter] = []
    filter_names: list[str] = []

    def add(name: str, annotation: Any, query: Any) -> None:
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=query, annotation=annotation))

    for f in catalog.filters.values():
        kind = "numeric" if f.type.startswith("numeric") else f.type
        description = f.label
        if f.op == "in":
            values = tuple(f.choices)
            item = Literal[values] if values else str  # type: ignore[valid-type]
            add(f.name, Optional[list[item]], Query(None, description=f"{description} (one or more)"))
        elif kind == "date":
            add(f.name, Optional[date], Query(None, description=description))
        elif kind == "timestamptz":
            add(f.name, Optional[datetime], Query(None, description=description))
        elif kind == "boolean":
            add(f.name, Optional[bool], Query(None, description=description))
        elif kind == "integer":
            add(f.name, Optional[int], Query(None, description=description, ge=f.minimum, le=2**31 - 1))
        elif kind == "numeric":
            add(f.name, Optional[float], Query(None, description=description, ge=-1e12, le=1e12))
        else:
            add(f.name, Optional[str], Query(None, description=description, max_length=200))
        filter_names.append(f.name)
    regions = tuple(catalog.regions) or ("NONE",)
    add("q", Optional[str], Query(None, max_length=200, description="Words of the name or city (prefixes)"))
    add("region", Optional[list[Literal[regions]]], Query(None))  # type: ignore[valid-type]
    add("owner", Optional[str], Query(None, max_length=100, description="The owner's login or id"))
    add("chain_id", Optional[uuid.UUID], Query(None, alias="chainId", description="Locations of this chain"))
    sorts = tuple(k for key in sort_keys(catalog) for k in (key, f"-{key}"))
    add("sort", Literal[sorts], Query("name", description="A column; -column descending"))  # type: ignore[valid-type]
    add("limit", int, Query(50, ge=1, le=500))
    add("cursor", Optional[str], Query(None, max_length=2000, description="nextCursor of the page before"))
    params.append(inspect.Parameter("identity", inspect.Parameter.KEYWORD_ONLY, default=Depends(authenticated),
                                    annotation=Identity))
    own = {"q", "region", "owner", "chain_id"}

    def list_customers(**arguments: Any):
        identity = arguments.pop("identity")
        sort, limit, cursor = arguments.pop("sort"), arguments.pop("limit"), arguments.pop("cursor")
        filters = {k: v for k, v in arguments.items() if v is not None and (k in own or k in catalog.filters)}
        page = served(identity).customers.list(sort=sort, limit=limit, cursor=cursor, **filters)
        items = [{"id": str(r.id), "name": r.name, "city": r.city, "region": r.region,
                  "ownerId": str(r.owner_id) if r.owner_id else None, "ownerName": r.owner_name,
                  "chainId": str(r.chain_id) if r.chain_id else None, "chainName": r.chain_name,
                  "isChain": r.is_chain, "slaDue": r.sla_due.isoformat() if r.sla_due else None,
                  "slaBadge": r.sla_badge, "hot": s.jsonable(dict(r.hot))} for r in page.items]
        return JSONResponse({"items": items, "nextCursor": page.next_cursor})

    list_customers.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    list_customers.__doc__ = ("Filters: " + ", ".join(filter_names) + " (the pack's), and q, region, owner, chainId. "
                              "Keyset pages: pass nextCursor as cursor.")
    return list_customers

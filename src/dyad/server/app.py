"""The web layer of `dyad serve`: the views of `queries.py` as a JSON API under /api, and the
dashboard's static files at /.

Safe by default: the store's view is opened read-only (one cursor per request), every filter is
validated and bound as a SQL parameter, pages and request bodies are bounded, errors are
JSON without tracebacks, no CORS headers unless origins are given, and the one write-like
endpoint (POST /api/code) needs a bearer token and is off without one.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import secrets
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from swagger_ui_bundle import swagger_ui_path

from dyad import __version__
from dyad.errors import DyadError
from dyad.export.formats import COLUMN_NAMES, unflatten
from dyad.model import MODALITIES
from dyad.server import queries
from dyad.store.view import View

STATIC = Path(__file__).parent / "static"
MAX_BODY = 1_000_000  # bytes of a request body
HEADERS = [  # sent with every response: no MIME sniffing, no framing by other sites
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]

DESCRIPTION = """Read-only access to a dyad store: events, actors, time series, networks,
places and documents, with the same filters everywhere. Codes are prefixes (`RUS` matches
`RUS` and `RUSGOV`); `actor` and `country` match either side of the dyad.

`POST /api/code` codes a text and returns its events **without storing them**: the server
never writes the store. It needs `Authorization: Bearer <token>` (`dyad serve --token` or
`DYAD_TOKEN`) and is disabled (403) when no token is configured."""


class BodyTooLarge(StarletteHTTPException):
    def __init__(self):
        super().__init__(413, f"request body over {MAX_BODY} bytes")


class Guard:
    """ASGI middleware: refuses request bodies over MAX_BODY (by Content-Length, or counted
    as a chunked body arrives) and adds the security headers to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > MAX_BODY:
            status = 413 if length.isdigit() else 400
            detail = BodyTooLarge().detail if status == 413 else "bad Content-Length"
            refusal = JSONResponse({"detail": detail}, status)
            return await refusal(scope, receive, send_with_headers)
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY:
                raise BodyTooLarge()  # raised inside the route: the handlers make it JSON
            return message

        await self.app(scope, limited_receive, send_with_headers)


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, max_length=200, description="Defaults to a hash of the text.")
    text: str = Field(min_length=1, max_length=MAX_BODY)
    date: dt.date | None = Field(None, description="Publication date, YYYY-MM-DD.")


def create_app(
    db_path: str | Path, token: str | None = None, cors_origins: Sequence[str] = ()
) -> FastAPI:
    """The API over the store at `db_path`. `token` enables POST /api/code; `cors_origins`
    lets pages from those origins call the API (none by default)."""
    # The view the writer publishes, not the store: a `dyad code` writing the store meanwhile
    # neither blocks the server nor is blocked by it, and its kill changes nothing here.
    view = View(db_path)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        view.close()

    # /docs from swagger-ui-bundle's files, not a CDN: the server must work offline.
    app = FastAPI(
        title="dyad",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
    )
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="dyad API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )

    app.add_middleware(Guard)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    _handle_errors(app)

    def cursor():
        cur = view.cursor()  # one per request, per thread; it reads one view throughout
        try:
            yield cur
        finally:
            cur.close()

    @app.get("/api/events", tags=["events"])
    def events(
        f: queries.Filters = Depends(filters),
        limit: int = Query(50, ge=1, le=queries.MAX_PAGE),
        offset: int = Query(0, ge=0, le=10**9),
        order: Literal["asc", "desc"] = Query("asc", description="By event date."),
        cur=Depends(cursor),
    ):
        """A page of event records (the JSONL record shape) and the total that match."""
        return _json(queries.events(cur, f, limit, offset, order))

    @app.get("/api/events.csv", tags=["events"])
    def events_csv(f: queries.Filters = Depends(filters)):
        """Every matching event as CSV (the flat columns of the store), streamed."""
        return _download(_csv_lines(queries.event_rows(view, f)), "events.csv", "text/csv")

    @app.get("/api/events.jsonl", tags=["events"])
    def events_jsonl(f: queries.Filters = Depends(filters)):
        """Every matching event as JSON lines (the JSONL record), streamed."""
        lines = (
            json.dumps(unflatten(dict(zip(COLUMN_NAMES, row, strict=True))), ensure_ascii=False)
            + "\n"
            for row in queries.event_rows(view, f)
        )
        return _download(lines, "events.jsonl", "application/x-ndjson")

    @app.get("/api/actors", tags=["aggregates"])
    def actors(
        f: queries.Filters = Depends(filters),
        prefix: str | None = Query(None, max_length=40, description="Codes starting with it."),
        limit: int = Query(100, ge=1, le=queries.MAX_PAGE),
        offset: int = Query(0, ge=0, le=10**9),
        cur=Depends(cursor),
    ):
        """Actor codes in the matching events, counted as source and as target."""
        return _json(queries.actors(cur, f, prefix, limit, offset))

    @app.get("/api/series", tags=["aggregates"])
    def series(
        f: queries.Filters = Depends(filters),
        period: Literal["day", "week", "month"] = "month",
        cur=Depends(cursor),
    ):
        """Events and summed Goldstein per period (weeks start on Monday) and QuadClass."""
        return _json({"period": period, "series": queries.series(cur, f, period)})

    @app.get("/api/network", tags=["aggregates"])
    def network(
        f: queries.Filters = Depends(filters),
        level: Literal["actor", "country"] = "actor",
        min_count: int = Query(1, ge=1, le=10**9),
        limit: int = Query(200, ge=1, le=2000),
        cur=Depends(cursor),
    ):
        """Directed edges source -> target with event counts and mean Goldstein."""
        edges = queries.network(cur, f, level, min_count, limit)
        return _json({"level": level, "edges": edges})

    @app.get("/api/locations", tags=["aggregates"])
    def locations(
        f: queries.Filters = Depends(filters),
        limit: int = Query(500, ge=1, le=2000),
        cur=Depends(cursor),
    ):
        """Places of the matching events with counts and mean Goldstein."""
        return _json({"locations": queries.locations(cur, f, limit)})

    @app.get("/api/documents/{doc_id:path}", tags=["documents"])
    def document(doc_id: str, cur=Depends(cursor)):
        """A document's text, sentences and events; offsets point into `text`."""
        # The id is only ever a bound parameter: no file is read, whatever it looks like.
        found = queries.document(cur, doc_id)
        if found is None:
            raise HTTPException(404, "no such document")
        return _json(found)

    lock = threading.Lock()  # one spaCy pipeline, not safe to share between threads

    @app.post("/api/code", tags=["coding"])
    def code(
        body: CodeRequest,
        credentials: HTTPAuthorizationCredentials | None = Depends(HTTPBearer(auto_error=False)),
    ):
        """Code a text and return its events. Nothing is stored: the server is read-only."""
        if token is None:
            raise HTTPException(403, "coding is disabled: start dyad serve with --token")
        given = credentials.credentials.encode() if credentials else b""
        if not secrets.compare_digest(given, token.encode()):
            raise HTTPException(
                401, "a valid bearer token is needed", {"WWW-Authenticate": "Bearer"}
            )
        from dyad import default_pipeline

        meta = {} if body.id is None else {"id": body.id}
        with lock:
            found = default_pipeline().code_text(body.text, body.date, **meta)
        return {"stored": False, "events": [e.to_dict() for e in found]}

    if STATIC.is_dir():  # the dashboard; mounted last so that /api and /docs come first
        app.mount("/", StaticFiles(directory=STATIC, html=True), name="dashboard")
    return app


def filters(
    since: dt.date | None = Query(None, description="First event date (inclusive)."),
    until: dt.date | None = Query(None, description="Last event date (inclusive)."),
    actor: str | None = Query(None, max_length=40, description="Code or prefix, either side."),
    source: str | None = Query(None, max_length=40, description="Source code or prefix."),
    target: str | None = Query(None, max_length=40, description="Target code or prefix."),
    country: str | None = Query(None, max_length=3, description="ISO3, either side."),
    cameo: str | None = Query(None, max_length=4, description="CAMEO code or root, e.g. 04."),
    quad_class: int | None = Query(None, ge=1, le=4),
    plover: str | None = Query(None, max_length=40, description="PLOVER type, e.g. CONSULT."),
    modality: Literal[MODALITIES] | None = None,  # type: ignore[valid-type]
    q: str | None = Query(None, max_length=queries.MAX_Q, description="Text in the sentence."),
) -> queries.Filters:
    return queries.Filters(
        since, until, actor, source, target, country, cameo, quad_class, plover, modality, q
    )


def _json(content) -> Response:
    """JSON straight from the query's rows: FastAPI's generic encoder would take longer than
    the query on a page of 500 events (dates are the only values json cannot write)."""
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(body, media_type="application/json")


def _csv_lines(rows: Iterator[tuple]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    for row in rows:
        # a list column (issues) as PETRARCH writes it, not as Python's repr
        writer.writerow([";".join(v) if isinstance(v, list) else v for v in row])
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _download(lines: Iterator[str], filename: str, media_type: str) -> StreamingResponse:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(lines, media_type=media_type, headers=headers)


def _handle_errors(app: FastAPI) -> None:
    """Every error as {"detail": ...} JSON, never a traceback."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        # Only where and what: pydantic's extra fields would echo the input back.
        errors = [{"loc": e["loc"], "msg": e["msg"]} for e in exc.errors()]
        return JSONResponse({"detail": errors}, 422)

    @app.exception_handler(DyadError)
    async def bad_request(_request: Request, exc: DyadError):
        return JSONResponse({"detail": exc.reason, "code": exc.code}, 400)

    @app.exception_handler(Exception)
    async def crashed(_request: Request, _exc: Exception):
        return JSONResponse({"detail": "internal server error"}, 500)

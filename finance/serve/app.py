"""The dashboard's routes: the page, its static files and the JSON API the page itself uses.

``GET /``                               the page (overview, SKUs, import), in ``?lang=``
``GET /api/months``                     the months the ledger holds
``GET /api/months/YYYY-MM/overview``    headline figures, P&L by shop, trend, alerts, exceptions
``GET /api/months/YYYY-MM/margins``     exactly ``finance export margins --format json``
``GET /api/months/YYYY-MM/explain``     ``?sku=&platform=&shop=``: the SKU's parts by category;
                                        with ``&category=``: the statement rows behind it
``GET /api/inbox``                      files waiting in inbox/
``POST /api/inbox``                     multipart field ``file``: one statement, imported as if
                                        dropped into inbox/
``GET /api/rejected``                   rejected/ with each file's reason
``GET /api/files``                      the imported files, newest first

Every ``/api/`` answer takes ``?lang=zh-CN|en`` (default: the workspace's language). Errors are
``{"error": "..."}`` with a 4xx status: 404 for a month or SKU the ledger does not hold, 400 for
a bad request, 413 for an upload over the limit.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from finance import i18n, pipeline
from finance.errors import FinanceError
from finance.serve import data, upload
from finance.serve.cache import Cache
from finance.serve.security import Guard, TooLarge
from finance.workspace import Workspace

HERE = Path(str(files("finance.serve")))
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

NOT_FOUND = {"no_data_for_month", "unknown_sku"}
"""Errors answered with 404: the ledger holds no such month or SKU."""

log = logging.getLogger("finance.serve")


def _lang(request: Request, ws: Workspace) -> str:
    lang = request.query_params.get("lang", "")
    return lang if lang in i18n.LANGS else ws.language


def page_words() -> dict[str, dict[str, str]]:
    """Every word the page's script shows, per language: the ``[serve]`` section, the
    categories and the margins columns."""
    out: dict[str, dict[str, str]] = {}
    for code in i18n.LANGS:
        words: dict[str, str] = {}
        for name in ("categories", "columns", "serve"):
            words |= {k: v[code] for k, v in i18n.section(name).items()}
        out[code] = words
    return out


def create_app(ws: Workspace, *, token: str | None = None, host: str = "127.0.0.1") -> Any:
    """The dashboard over ``ws``'s ledger, wrapped in its ``Guard`` (see ``security``)."""
    store = pipeline.open_store(ws)
    cache = Cache(ws, store)
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined
    )
    words = page_words()

    def fail(error: FinanceError, lang: str) -> JSONResponse:
        status = 404 if error.key in NOT_FOUND else 400
        return JSONResponse({"error": error.render(lang), "key": error.key}, status_code=status)

    async def call(request: Request, work: Any) -> Response:
        lang = _lang(request, ws)
        try:
            return await run_in_threadpool(work, lang)
        except FinanceError as error:
            return fail(error, lang)

    async def page(request: Request) -> Response:
        lang = _lang(request, ws)
        html = env.get_template("index.html").render(
            lang=lang,
            words=words[lang],
            boot={
                "lang": lang,
                "workspace": ws.root.resolve().name,
                "langs": list(i18n.LANGS),
                "words": words[lang],
                "platforms": {k: v[lang] for k, v in i18n.section("platforms").items()},
            },
        )
        return HTMLResponse(html)

    async def months(request: Request) -> Response:
        return await call(request, lambda lang: JSONResponse({"months": data.months(store)}))

    async def overview(request: Request) -> Response:
        month = request.path_params["month"]

        def work(lang: str) -> Response:
            answer = cache.get(
                ("overview", month, lang), lambda: data.overview(ws, store, month, lang)
            )
            return JSONResponse(answer)

        return await call(request, work)

    def _result(month: str) -> Any:
        return cache.get(("result", month), lambda: data.result(ws, store, month))

    async def margins(request: Request) -> Response:
        month = request.path_params["month"]

        def work(lang: str) -> Response:
            text = cache.get(("margins", month), lambda: data.margins(_result(month)))
            return Response(text, media_type="application/json")

        return await call(request, work)

    async def explain(request: Request) -> Response:
        month = request.path_params["month"]
        query = request.query_params
        if "sku" not in query:
            return JSONResponse({"error": i18n.both("serve_sku_missing")}, status_code=400)
        where = {"platform": query.get("platform"), "shop": query.get("shop")}

        def work(lang: str) -> Response:
            result = _result(month)
            if query.get("category"):
                return JSONResponse(
                    data.sku_rows(result, query["sku"], query["category"], **where, lang=lang)
                )
            return JSONResponse(data.sku_categories(result, query["sku"], **where, lang=lang))

        return await call(request, work)

    async def inbox(request: Request) -> Response:
        lang = _lang(request, ws)
        if request.method == "GET":
            return JSONResponse({"files": await run_in_threadpool(upload.waiting, ws)})
        try:
            form = await request.form(max_files=1, max_fields=4)
        except TooLarge:
            limit = f"{upload.max_upload_bytes(ws) / (1 << 20):g} MB"
            message = i18n.text("serve_upload_too_large", lang, limit=limit)
            return JSONResponse({"error": message}, status_code=413)
        except Exception as error:  # a malformed multipart body
            message = i18n.text("serve_upload_bad", lang, reason=str(error))
            return JSONResponse({"error": message}, status_code=400)
        try:
            sent = form.get("file")
            if not isinstance(sent, UploadFile):
                return JSONResponse(
                    {"error": i18n.text("serve_upload_no_file", lang)}, status_code=400
                )
            try:
                received = await run_in_threadpool(
                    upload.receive, ws, store, sent.filename, sent.file, lang=lang
                )
            except FinanceError as error:  # the store failed: nothing was imported
                return JSONResponse({"error": error.render(lang)}, status_code=500)
        finally:
            await form.close()
        return JSONResponse(received.json())

    async def rejected(request: Request) -> Response:
        lang = _lang(request, ws)
        return JSONResponse({"files": await run_in_threadpool(upload.rejected, ws, lang)})

    async def imported(request: Request) -> Response:
        from finance.status import imported_files

        def work(lang: str) -> Response:
            frame = imported_files(store).sort("id", descending=True).head(200)
            rows = [
                {k: (None if v is None else str(v)) for k, v in row.items()}
                for row in frame.iter_rows(named=True)
            ]
            return JSONResponse({"files": rows})

        return await call(request, work)

    async def server_error(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        lang = _lang(request, ws)
        message = i18n.text("serve_failed", lang, reason=f"{type(error).__name__}: {error}")
        return JSONResponse({"error": message}, status_code=500)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/api/months", months),
            Route("/api/months/{month}/overview", overview),
            Route("/api/months/{month}/margins", margins),
            Route("/api/months/{month}/explain", explain),
            Route("/api/inbox", inbox, methods=["GET", "POST"]),
            Route("/api/rejected", rejected),
            Route("/api/files", imported),
            Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
        ],
        exception_handlers={Exception: server_error},
        lifespan=lifespan,
    )
    # the multipart envelope (boundaries, part headers) on top of the file itself
    limit = upload.max_upload_bytes(ws) + (64 << 10)
    return Guard(app, token=token, bind_host=host, max_body=limit)

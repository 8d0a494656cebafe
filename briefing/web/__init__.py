"""``briefing serve``: the briefings in a browser, with search, actor pages, the calendar and a feed.

    security.py  the access token, the safety headers (CSP: no script, nothing remote), CSRF, files of reports/ only
    queries.py   read-only SQL over the store: search (FTS5), actors, events
    routes.py    one handler per page, each rendering a template of templates/web/
    linking.py   a stored briefing's HTML with links to the actor, story, article and event pages
    markup.py    an article's text with its key points marked and its actors and dates linked
    feeds.py     the Atom feed of briefings
    watch.py     a watchlist's Atom feed and iCalendar subscription

Starlette (small, maintained, ASGI) routes the requests and uvicorn serves them. The pages are
rendered on the server from Jinja2 templates (autoescaped) and need no JavaScript.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from briefing.config import Settings
from briefing.render.templating import environment
from briefing.store import Store
from briefing.web import routes, watch
from briefing.web.security import Csrf, Guard, UnsafeBind, check_bind

__all__ = ["UnsafeBind", "beside", "create_app", "make_server", "serve"]

ROUTES = [
    Route("/", routes.archive),
    Route("/briefing/{id:int}", routes.briefing_page),
    Route("/reports/{path:path}", routes.reports_file),
    Route("/search", routes.search),
    Route("/actor", routes.actor),
    Route("/actors", routes.actors),
    Route("/story/{id}", routes.story),
    Route("/article/{id}", routes.article),
    Route("/event", routes.event),
    Route("/calendar", routes.calendar),
    Route("/calendar.ics", routes.calendar_ics_file),
    Route("/feed.atom", routes.feed),
    Route("/watchlist/{name}/feed.atom", watch.watchlist_feed),
    Route("/watchlist/{name}/calendar.ics", watch.watchlist_ics),
    Route("/status", routes.status),
    Route("/generate", routes.generate, methods=["POST"]),
]
"""Every page, by path."""


def create_app(settings: Settings) -> Guard:
    """The web application (wrapped in its guard): migrates the store once, then only reads it."""
    with Store(settings.state_path):
        pass  # creates and migrates the state file; every request then reads it read-only
    app = Starlette(routes=ROUTES, exception_handlers={404: _missing, 405: _not_allowed})
    app.state.context = routes.Context(
        settings=settings, env=environment(settings.templates_path), csrf=Csrf(), generating=threading.Lock()
    )
    return Guard(app, settings.serve.token)


async def _missing(request: Request, exc: Exception) -> Response:
    return routes.not_found(request)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return Response("405: method not allowed\n", status_code=405)


def make_server(settings: Settings, host: str | None = None, port: int | None = None) -> uvicorn.Server:
    """A uvicorn server of the app, not started; refuses a non-loopback ``host`` without a token."""
    host = host or settings.serve.host
    port = settings.serve.port if port is None else port
    check_bind(host, settings.serve.token)
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
    return uvicorn.Server(config)


def serve(
    settings: Settings, host: str | None = None, port: int | None = None, started: Callable[[str], None] | None = None
) -> None:
    """Serve until Ctrl-C or SIGTERM (uvicorn handles both)."""
    server = make_server(settings, host, port)
    if started is not None:
        started(f"http://{server.config.host}:{server.config.port}/")
    server.run()


@contextlib.contextmanager
def beside(settings: Settings) -> Iterator[str | None]:
    """The web view in a thread of this process while the block runs (``briefing run`` with ``serve.enabled``).

    Yields its address, or None when ``serve.enabled`` is off. Raises :class:`UnsafeBind` for a
    non-loopback host without a token, and :class:`OSError` when it cannot listen (the port taken).
    """
    if not settings.serve.enabled:
        yield None
        return
    server = make_server(settings)
    thread = threading.Thread(target=server.run, name="briefing-serve", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise OSError(f"the web view could not listen on {settings.serve.host}:{settings.serve.port}")
        time.sleep(0.02)
    try:
        yield f"http://{settings.serve.host}:{settings.serve.port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

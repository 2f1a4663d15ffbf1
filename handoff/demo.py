"""The website widget demo: a small shop page embedding rasa-webchat (GET /demo).

The widget bundle comes from npm (handoff/widget/package-lock.json, installed by
scripts/ensure_webchat.sh) and is served from this service, not from a CDN. The page
tells the widget where Rasa's socket.io channel is: WIDGET_SOCKET_URL, or by default
the page's own host with the port of RASA_URL.
"""
from __future__ import annotations

import html
from pathlib import Path
from string import Template
from urllib.parse import urlparse

from aiohttp import web

from handoff.state import SETTINGS

WIDGET = Path(__file__).parent / "widget"
BUNDLE = WIDGET / "node_modules" / "rasa-webchat" / "lib" / "index.js"
ASSETS = {"demo.js": "application/javascript", "demo.css": "text/css"}
NOT_INSTALLED = (
    "The website widget is not installed. Run `bash scripts/ensure_webchat.sh` "
    "(`make run` does it too) and reload this page."
)


def socket_url(request: web.Request) -> str:
    """Where the visitor's browser reaches Rasa's socket.io channel."""
    settings = request.app[SETTINGS]
    if settings.widget_socket_url:
        return settings.widget_socket_url
    rasa = urlparse(settings.rasa_url)
    port = rasa.port or (443 if rasa.scheme == "https" else 80)
    try:
        host = urlparse(f"//{request.host}").hostname
    except ValueError:
        host = None
    host = host or rasa.hostname or "127.0.0.1"
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{request.scheme}://{host}:{port}"


def _origins(url: str) -> str:
    parsed = urlparse(url)
    websocket = "wss" if parsed.scheme == "https" else "ws"
    return f"{parsed.scheme}://{parsed.netloc} {websocket}://{parsed.netloc}"


async def demo_page(request: web.Request) -> web.Response:
    if not BUNDLE.is_file():
        return web.Response(status=503, text=NOT_INSTALLED + "\n", headers={"Cache-Control": "no-store"})
    url = socket_url(request)
    page = Template((WIDGET / "demo.html").read_text(encoding="utf-8"))
    return web.Response(
        text=page.substitute(socket_url=html.escape(url, quote=True)),
        content_type="text/html",
        headers={
            "Cache-Control": "no-store",
            # The widget injects its own styles and talks to Rasa on another origin.
            "Content-Security-Policy": (
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                f"connect-src 'self' {_origins(url)}; frame-ancestors 'none'"
            ),
        },
    )


async def webchat_bundle(_: web.Request) -> web.StreamResponse:
    if not BUNDLE.is_file():
        return web.Response(status=404, text=NOT_INSTALLED + "\n")
    return web.FileResponse(BUNDLE, headers={"Content-Type": "application/javascript"})


async def asset(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    return web.FileResponse(WIDGET / name, headers={"Content-Type": ASSETS[name]})


def setup_demo_routes(app: web.Application) -> None:
    app.router.add_get("/demo", demo_page)
    app.router.add_get("/demo/webchat.js", webchat_bundle)
    app.router.add_get(r"/demo/{name:demo\.(?:js|css)}", asset)

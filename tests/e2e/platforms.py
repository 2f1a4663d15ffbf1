"""Loopback stand-ins for Telegram's Bot API and Meta's Graph API, and real webhook payloads.

Each stand-in is a real aiohttp server on 127.0.0.1 (own thread, own event loop, free
port) that answers like the platform and records every request, so tests see exactly
what Rapport sent. Waiting is on a condition variable, never on a sleep.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import web

_ids = itertools.count(int(time.time()) % 1_000_000 * 1000)


@dataclass(frozen=True)
class Recorded:
    method: str  # Bot API method ("sendMessage") or Graph path ("me/messages")
    query: dict[str, str]
    body: dict[str, Any]


class StandIn:
    """An aiohttp app served from a background thread; records what it receives."""

    def __init__(self) -> None:
        self.url = ""
        self.requests: list[Recorded] = []
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def record(self, method: str, query: dict[str, str], body: dict[str, Any]) -> None:
        with self._changed:
            self.requests.append(Recorded(method, query, body))
            self._changed.notify_all()

    def start(self) -> StandIn:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            self.routes(app)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self.url = f"http://127.0.0.1:{port}"
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        assert ready.wait(10), "stand-in server did not start"
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def matching(self, predicate: Callable[[Recorded], bool]) -> list[Recorded]:
        with self._changed:
            return [r for r in self.requests if predicate(r)]

    def wait_for(self, predicate: Callable[[Recorded], bool], count: int = 1, timeout: float = 60) -> list[Recorded]:
        """The first ``count`` recorded requests that satisfy ``predicate``, once they arrived."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [r for r in self.requests if predicate(r)]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} matching requests, got {len(found)}: {self.requests[-5:]}")
                self._changed.wait(left)


class TelegramApi(StandIn):
    """``POST /bot<token>/<method>`` like https://api.telegram.org."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/bot{token}/{method}", self.call)

    async def call(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        body = await request.json()
        self.record(request.match_info["method"], dict(request.query), body)
        result: Any = True
        if request.match_info["method"] in ("sendMessage", "sendPhoto"):
            result = {"message_id": next(_ids), "chat": {"id": body.get("chat_id")}, "date": int(time.time())}
        return web.json_response({"ok": True, "result": result})

    def sent_to(self, chat_id: int | str, method: str = "sendMessage") -> Callable[[Recorded], bool]:
        return lambda r: r.method == method and str(r.body.get("chat_id")) == str(chat_id)


class GraphApi(StandIn):
    """``POST /me/messages`` (Send API) and ``GET /<psid>`` (user profile) like graph.facebook.com."""

    def __init__(self, page_access_token: str) -> None:
        super().__init__()
        self.page_access_token = page_access_token
        self.profiles: dict[str, dict[str, Any]] = {}

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/me/messages", self.send)
        app.router.add_get("/{psid}", self.profile)

    def _authorised(self, request: web.Request) -> bool:
        return request.query.get("access_token") == self.page_access_token

    async def send(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"error": {"message": "Invalid OAuth access token.", "code": 190}}, status=400)
        body = await request.json()
        self.record("me/messages", dict(request.query), body)
        return web.json_response({"recipient_id": body["recipient"]["id"], "message_id": f"m_{next(_ids)}"})

    async def profile(self, request: web.Request) -> web.Response:
        psid = request.match_info["psid"]
        self.record(f"profile/{psid}", dict(request.query), {})
        if not self._authorised(request) or psid not in self.profiles:
            return web.json_response({"error": {"message": "Unsupported get request.", "code": 100}}, status=400)
        return web.json_response({"id": psid, **self.profiles[psid]})

    def sent_to(self, psid: str) -> Callable[[Recorded], bool]:
        return lambda r: r.method == "me/messages" and r.body["recipient"]["id"] == psid


@dataclass
class Platforms:
    """Both stand-ins with fresh secrets, and the environment that points Rapport at them."""

    telegram: TelegramApi
    graph: GraphApi
    telegram_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    app_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    verify_token: str = field(default_factory=lambda: secrets.token_urlsafe(12))

    @classmethod
    def start(cls) -> Platforms:
        telegram = TelegramApi(f"{next(_ids)}:{secrets.token_urlsafe(20)}")
        graph = GraphApi(secrets.token_urlsafe(32))
        telegram.start()
        try:
            graph.start()
        except Exception:
            telegram.stop()
            raise
        return cls(telegram, graph)

    def stop(self) -> None:
        self.telegram.stop()
        self.graph.stop()

    def env(self) -> dict[str, str]:
        return {
            "TELEGRAM_API_URL": self.telegram.url,
            "TELEGRAM_TOKEN": self.telegram.token,
            "TELEGRAM_SECRET_TOKEN": self.telegram_secret,
            "MESSENGER_API_URL": self.graph.url,
            "MESSENGER_PAGE_ACCESS_TOKEN": self.graph.page_access_token,
            "MESSENGER_APP_SECRET": self.app_secret,
            "MESSENGER_VERIFY_TOKEN": self.verify_token,
        }

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()


# Payloads as the platforms post them.

def new_id() -> int:
    return next(_ids)


def unique_surname(stem: str, number: int, letters: str) -> str:
    """A surname only one test uses, in letters (profile names with digits are not names)."""
    return stem + "".join(letters[int(d)] for d in str(number))


def telegram_user(user_id: int, language_code: str | None = "en", first_name: str = "Maria",
                  last_name: str | None = "Papadopoulou") -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if language_code:
        user["language_code"] = language_code
    return user


def telegram_message(chat_id: int, user: dict[str, Any], **content: Any) -> dict[str, Any]:
    """An Update with a private-chat message; ``content`` is text=..., sticker=..., photo=..."""
    return {"update_id": new_id(), "message": {
        "message_id": new_id() % 100_000, "from": user, "date": int(time.time()),
        "chat": {"id": chat_id, "first_name": user.get("first_name"), "type": "private"}, **content,
    }}


def telegram_text(chat_id: int, text: str, language_code: str | None = "en") -> dict[str, Any]:
    return telegram_message(chat_id, telegram_user(chat_id, language_code), text=text)


def telegram_sticker(chat_id: int, language_code: str | None = "en") -> dict[str, Any]:
    return telegram_message(chat_id, telegram_user(chat_id, language_code), sticker={
        "file_id": "CAACAgIAAxkBAAEB", "file_unique_id": "AgADxwADVp29Cg", "type": "regular",
        "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": "👍", "file_size": 16384,
    })


def telegram_photo(chat_id: int, language_code: str | None = "en", caption: str | None = None) -> dict[str, Any]:
    photo = [{"file_id": "AgACAgIAAxkBAAIC", "file_unique_id": "AQADxr0xG", "file_size": 1290, "width": 90,
              "height": 67}]
    extra = {"caption": caption} if caption else {}
    return telegram_message(chat_id, telegram_user(chat_id, language_code), photo=photo, **extra)


def telegram_document(chat_id: int, caption: str | None = None, **more: Any) -> dict[str, Any]:
    """A file sent as a document; ``more`` adds fields (an animation also carries its document)."""
    document = {"file_id": "BQACAgIAAxkBAAIE", "file_unique_id": "AgADdQ", "file_name": "invoice.pdf",
                "mime_type": "application/pdf", "file_size": 48213}
    extra = {"caption": caption} if caption else {}
    return telegram_message(chat_id, telegram_user(chat_id), document=document, **extra, **more)


def telegram_callback(chat_id: int, data: str, language_code: str | None = "en") -> dict[str, Any]:
    user = telegram_user(chat_id, language_code)
    return {"update_id": new_id(), "callback_query": {
        "id": str(new_id()), "from": user, "chat_instance": "-8412790112", "data": data,
        "message": {"message_id": new_id() % 100_000, "date": int(time.time()),
                    "from": {"id": 1, "is_bot": True, "first_name": "Rapport"},
                    "chat": {"id": chat_id, "type": "private"}, "text": "Was this helpful?"},
    }}


def telegram_edited(chat_id: int, text: str) -> dict[str, Any]:
    update = telegram_text(chat_id, text)
    update["edited_message"] = {**update.pop("message"), "edit_date": int(time.time())}
    return update


def messenger_body(*messaging: dict[str, Any], page_id: str = "108000000000001") -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": page_id, "time": int(time.time() * 1000), "messaging": list(messaging)}]}


def messenger_event(psid: str, page_id: str = "108000000000001", **content: Any) -> dict[str, Any]:
    return {"sender": {"id": psid}, "recipient": {"id": page_id}, "timestamp": int(time.time() * 1000), **content}


def messenger_text(psid: str, text: str) -> dict[str, Any]:
    return messenger_event(psid, message={"mid": f"m_{new_id()}", "text": text})


def messenger_quick_reply(psid: str, title: str, payload: str) -> dict[str, Any]:
    return messenger_event(psid, message={"mid": f"m_{new_id()}", "text": title, "quick_reply": {"payload": payload}})


def messenger_postback(psid: str, title: str, payload: str) -> dict[str, Any]:
    return messenger_event(psid, postback={"mid": f"m_{new_id()}", "title": title, "payload": payload})


def messenger_sticker(psid: str, sticker_id: int = 369239263222822) -> dict[str, Any]:
    """A sticker; the default is the like button's (a thumbs up)."""
    return messenger_event(psid, message={"mid": f"m_{new_id()}", "sticker_id": sticker_id, "attachments": [
        {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239266556155_759568595_n.png",
                                      "sticker_id": sticker_id}}]})


def messenger_attachments(psid: str, *types: str, text: str | None = None) -> dict[str, Any]:
    """A message with attachments of these types ("image", "file", "fallback"...) and, as
    with a shared link, text when given."""
    url = "https://scontent.xx.fbcdn.net/v/t1.15752-9/{}_n.jpg"
    attachments = [{"type": kind, "payload": {"url": url.format(new_id())}} for kind in types]
    message: dict[str, Any] = {"mid": f"m_{new_id()}", "attachments": attachments}
    if text is not None:
        message["text"] = text
    return messenger_event(psid, message=message)


def messenger_echo(psid: str, text: str, page_id: str = "108000000000001") -> dict[str, Any]:
    return {"sender": {"id": page_id}, "recipient": {"id": psid}, "timestamp": int(time.time() * 1000),
            "message": {"is_echo": True, "app_id": 1517776481860111, "mid": f"m_{new_id()}", "text": text}}


def messenger_delivery(psid: str) -> dict[str, Any]:
    return messenger_event(psid, delivery={"mids": [f"m_{new_id()}"], "watermark": int(time.time() * 1000)})


def messenger_read(psid: str) -> dict[str, Any]:
    return messenger_event(psid, read={"watermark": int(time.time() * 1000)})


def dumps(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")

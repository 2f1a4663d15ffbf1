"""`make run`: train if stale, then start Redis, the action server and the Rasa server.

Ctrl-C (or SIGTERM) stops every process this command started, newest first. If one of
them dies, the others are stopped too and the command exits with an error.
"""
from __future__ import annotations

import os
import secrets
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from scripts.model import ensure_model
from scripts.stack import ROOT, Stack, StackError

VAR_DIR = ROOT / "var"


def load_dotenv(path: Path = ROOT / ".env") -> None:
    """KEY=value lines from .env, for variables not already set in the environment."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


@dataclass(frozen=True)
class RunSettings:
    redis_url: str | None
    rasa_port: int
    actions_port: int
    handoff_port: int
    rasa_token: str

    @classmethod
    def from_env(cls) -> RunSettings:
        def port(name: str, default: int) -> int:
            raw = os.environ.get(name, str(default))
            if not raw.isdigit() or not 0 < int(raw) < 65536:
                raise StackError(f"{name} must be a TCP port number, got '{raw}'.")
            return int(raw)

        return cls(
            redis_url=os.environ.get("REDIS_URL") or None,
            rasa_port=port("RASA_PORT", 5005),
            actions_port=port("ACTIONS_PORT", 5055),
            handoff_port=port("HANDOFF_PORT", 5080),
            rasa_token=os.environ.get("RASA_TOKEN") or _stored_token(),
        )


def _stored_token() -> str:
    """A generated Rasa API token, kept in var/rasa_token so it survives restarts."""
    path = VAR_DIR / "rasa_token"
    if path.exists() and not path.read_text().startswith("-"):
        return path.read_text().strip()
    VAR_DIR.mkdir(exist_ok=True)
    token = secrets.token_hex(24)  # never starts with "-", which the CLI would take for an option
    path.write_text(token)
    path.chmod(0o600)
    return token


def main() -> int:
    load_dotenv()
    try:
        settings = RunSettings.from_env()
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("[1/5] Model", flush=True)
    model = ensure_model()
    stack = Stack(log_dir=VAR_DIR / "log", echo=os.environ.get("RAPPORT_QUIET") != "1")
    stopping = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        print("[2/5] Redis", flush=True)
        if settings.redis_url:
            target = stack.use_redis(settings.redis_url)
            print(f"      using REDIS_URL ({target.host}:{target.port})", flush=True)
        else:
            target = stack.start_redis(VAR_DIR / "redis")
            (VAR_DIR / "redis_url").write_text(target.url)  # for `python -m handoff admin`
            print(f"      started redis-server on 127.0.0.1:{target.port}, data in var/redis", flush=True)
        print("[3/5] Action server", flush=True)
        stack.start_actions(settings.actions_port)
        print("[4/5] Rasa server (loading the model takes a minute)", flush=True)
        stack.use_nlg(settings.handoff_port, settings.rasa_token, os.environ.get("NLG_URL") or None)
        rasa_url = stack.start_rasa(model, settings.rasa_port, settings.rasa_token)
        print("[5/5] Handoff service (agent console)", flush=True)
        console_url = stack.start_handoff(settings.handoff_port, rasa_url, settings.rasa_token)
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        stack.stop()
        return 1
    token_hint = "RASA_TOKEN" if os.environ.get("RASA_TOKEN") else "var/rasa_token"
    print(
        f"\nRapport is running.\n"
        f"  Talk to it:   curl -s {rasa_url}/webhooks/rest/webhook -H 'Content-Type: application/json' "
        f"-d '{{\"sender\": \"me\", \"message\": \"Γεια σας\"}}'\n"
        f"  HTTP API:     {rasa_url} (token in {token_hint})\n"
        f"  Console:      {console_url}  (first agent: see README, 'Agents and the console')\n"
        f"  Website demo: {console_url}/demo  (the chat widget)\n"
        f"  Webhooks:     {rasa_url}/webhooks/telegram/webhook, {rasa_url}/webhooks/messenger/webhook\n"
        f"  Logs:         var/log/\n"
        f"Press Ctrl-C to stop.\n",
        flush=True,
    )
    while not stopping.wait(1.0):
        dead = stack.dead()
        if dead:
            print(f"error: {dead[0].name} stopped unexpectedly:\n{dead[0].tail()}", file=sys.stderr)
            stack.stop()
            return 1
    print("\nStopping...", flush=True)
    stack.stop()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start and stop Rapport's processes: Redis, the action server and the Rasa server.

`make run` (scripts/run.py) and the end-to-end tests both use this module, so the tests
start the product exactly the way an operator does.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# Read by credentials.yml; empty means the channel is not configured (it answers 503).
CHANNEL_VARIABLES = (
    "TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_URL",
    "MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN", "MESSENGER_API_URL",
)


def rasa_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a rasa subprocess: the project importable, no telemetry, quiet TF."""
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning,ignore::UserWarning")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    # Language packs for translation: every process reads the same folder (bot/translation).
    env.setdefault("ARGOS_PACKAGES_DIR", str(ROOT / "var" / "argos" / "packages"))
    for name in CHANNEL_VARIABLES:  # credentials.yml reads them; Rasa refuses to start if one is unset
        env.setdefault(name, "")
    return env


class StackError(RuntimeError):
    """A process could not be started; the message says what to do."""


@dataclass(frozen=True)
class RedisTarget:
    host: str
    port: int
    db: int = 0
    password: str = ""

    @classmethod
    def from_url(cls, url: str) -> RedisTarget:
        parsed = urlparse(url)
        if parsed.scheme not in ("redis", ""):
            raise StackError(f"REDIS_URL must be redis://host:port/db, got scheme '{parsed.scheme}'.")
        db = parsed.path.strip("/") or "0"
        if not db.isdigit():
            raise StackError(f"REDIS_URL database must be a number, got '{db}'.")
        return cls(parsed.hostname or "127.0.0.1", parsed.port or 6379, int(db), parsed.password or "")

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}{self.host}:{self.port}/{self.db}"

    def env(self) -> dict[str, str]:
        """The variables endpoints.yml reads."""
        return {
            "REDIS_URL": self.url,
            "REDIS_HOST": self.host,
            "REDIS_PORT": str(self.port),
            "REDIS_DB": str(self.db),
            "REDIS_PASSWORD": self.password,
        }


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path | None = None

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 20.0) -> None:
        if not self.alive():
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def tail(self, lines: int = 40) -> str:
        if self.log_path and self.log_path.exists():
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def free_port(preferred: int | None = None, host: str = "127.0.0.1") -> int:
    """The preferred port when it is free, else the next free one above it, else any."""
    if preferred:
        for port in range(preferred, preferred + 50):
            if port_is_free(port, host):
                return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def redis_server_binary() -> str:
    found = os.environ.get("REDIS_SERVER_BIN") or shutil.which("redis-server")
    if not found:
        raise StackError(
            "No redis-server found. Install one (Debian/Ubuntu: sudo apt-get install redis-server; "
            "macOS: brew install redis) or point REDIS_URL at a running Redis."
        )
    return found


def wait_until(check: Callable[[], bool], what: str, timeout: float, process: Process | None = None) -> None:
    """Poll a readiness check until it passes, the process dies, or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and not process.alive():
            raise StackError(f"{process.name} exited while starting:\n{process.tail()}")
        if check():
            return
        time.sleep(0.2)
    tail = f"\n{process.tail()}" if process else ""
    raise StackError(f"{what} was not ready after {timeout:.0f} s.{tail}")


def http_ok(url: str, headers: dict[str, str] | None = None) -> bool:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=2) as reply:
            return 200 <= reply.status < 300
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def redis_ping(target: RedisTarget) -> bool:
    import redis

    client = redis.Redis(host=target.host, port=target.port, db=target.db,
                         password=target.password or None, socket_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _pump(stream: IO[bytes], sinks: list[IO[str]], prefix: str) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace")
        for sink in sinks:
            sink.write(prefix + line if sink is sys.stdout else line)
            sink.flush()


@dataclass
class Stack:
    """The processes of one Rapport deployment on this machine."""

    log_dir: Path
    echo: bool = False  # also print the processes' output, prefixed with their name
    env: dict[str, str] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)

    def _spawn(self, name: str, args: list[str], extra_env: dict[str, str] | None = None) -> Process:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{name}.log"
        env = rasa_env({**self.env, **(extra_env or {})})
        popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed with the pump
        sinks: list[IO[str]] = [log] + ([sys.stdout] if self.echo else [])
        thread = threading.Thread(target=self._pump_and_close, args=(popen, sinks, log, name), daemon=True)
        thread.start()
        process = Process(name, popen, log_path)
        self.processes.append(process)
        return process

    @staticmethod
    def _pump_and_close(popen: subprocess.Popen, sinks: list[IO[str]], log: IO[str], name: str) -> None:
        try:
            _pump(popen.stdout, sinks, f"[{name}] ")
        finally:
            log.close()

    def start_redis(self, data_dir: Path, preferred_port: int = 6379) -> RedisTarget:
        """A private redis-server with append-only persistence in data_dir."""
        binary = redis_server_binary()
        data_dir.mkdir(parents=True, exist_ok=True)
        port = free_port(preferred_port)
        process = self._spawn("redis", [
            binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
            "--daemonize", "no", "--protected-mode", "yes",
        ])
        target = RedisTarget("127.0.0.1", port)
        wait_until(lambda: redis_ping(target), "Redis", 30, process)
        self.env.update(target.env())
        return target

    def use_redis(self, url: str) -> RedisTarget:
        target = RedisTarget.from_url(url)
        if not redis_ping(target):
            raise StackError(f"Redis at {target.host}:{target.port} does not answer (REDIS_URL).")
        self.env.update(target.env())
        return target

    def start_actions(self, port: int) -> str:
        process = self._spawn("actions", [
            str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port),
        ], extra_env={"RAPPORT_WARM_KB": "1"})  # build the search index at start (actions/kb.py)
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: http_ok(f"{url}/health"), "The action server", 180, process)
        self.env["ACTION_SERVER_URL"] = f"{url}/webhook"
        return url

    def use_nlg(self, handoff_port: int, token: str, url: str | None = None) -> str:
        """Rasa renders every response through the handoff service's NLG endpoint
        (endpoints.yml, ``nlg``): its URL is fixed before Rasa starts, and Rasa sends the
        API token with each request."""
        url = url or f"http://127.0.0.1:{handoff_port}/nlg"
        self.env.update({"NLG_URL": url, "RASA_TOKEN": token})
        return url

    def start_rasa(self, model: Path, port: int, token: str) -> str:
        if "ACTION_SERVER_URL" not in self.env:
            raise StackError("Start the action server before the Rasa server.")
        if "NLG_URL" not in self.env:
            raise StackError("Choose the handoff service's port (use_nlg) before starting the Rasa server.")
        process = self._spawn("rasa", [
            str(VENV_BIN / "rasa"), "run", "--enable-api", "--auth-token", token,
            "--model", str(model), "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
            "--port", str(port), "--interface", "127.0.0.1", "--cors", "*",
        ])
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: http_ok(f"{url}/status?token={token}"), "The Rasa server", 300, process)
        return url

    def start_handoff(self, port: int, rasa_url: str, token: str) -> str:
        """The handoff service: agent console, JSON API, live updates."""
        process = self._spawn("handoff", [str(VENV_BIN / "python"), "-m", "handoff"], {
            "HANDOFF_PORT": str(port), "RASA_URL": rasa_url, "RASA_TOKEN": token,
        })
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: http_ok(f"{url}/health"), "The handoff service", 60, process)
        return url

    def kill(self, name: str) -> None:
        """SIGKILL a process, as a crash would: no clean shutdown."""
        for process in list(self.processes):
            if process.name == name:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()
                self.processes.remove(process)

    def stop(self, name: str | None = None) -> None:
        """Stop one process by name, or all of them, newest first."""
        for process in reversed(list(self.processes)):
            if name is None or process.name == name:
                process.stop()
                self.processes.remove(process)

    def dead(self) -> list[Process]:
        return [p for p in self.processes if not p.alive()]

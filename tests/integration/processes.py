"""Real processes for the integration tests: a private redis-server and Celery
workers. Each runs in its own process group, so one ``killpg`` ends it together
with everything it forked (the prefork pool's children)."""
from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlencode

import environ

#: HUZHOU_REDIS_SERVER names another binary (or a missing one, to try the fallback to the shared REDIS_URL).
REDIS_SERVER = Path(os.environ.get("HUZHOU_REDIS_SERVER", "/usr/bin/redis-server"))
BASE_DIR = Path(__file__).resolve().parents[2]


class Timeout(AssertionError):
    pass


def wait_until(condition: Callable[[], object], *, timeout: float, interval: float = 0.1, what: str) -> object:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Timeout(f"still waiting after {timeout:.0f} s: {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict, *, application_name: str = "") -> str:
    """DATABASE_URL for another process to reach the database Django is connected to
    (the test database pytest-django created), checked by parsing it back."""
    host, options = settings_dict.get("HOST") or "", dict(settings_dict.get("OPTIONS") or {})
    if application_name:
        options["application_name"] = application_name  # names its sessions in pg_stat_activity
    if host.startswith("/"):  # a Unix socket folder (the embedded PostgreSQL) goes in the query
        options.setdefault("host", host)
        host = ""
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    auth = f"{quote(user, safe='')}:{quote(password, safe='')}@" if password else (f"{quote(user, safe='')}@" if user else "")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    query = urlencode({k: v for k, v in options.items() if isinstance(v, (str, int))})
    url = f"postgres://{auth}{host}{port}/{quote(settings_dict['NAME'], safe='')}" + (f"?{query}" if query else "")
    parsed = environ.Env.db_url_config(url)
    assert (parsed["NAME"], parsed["USER"], parsed["PASSWORD"], parsed["HOST"] or parsed.get("OPTIONS", {}).get("host"),
            str(parsed["PORT"] or "")) == (
        settings_dict["NAME"], user, password, host or options.get("host"), str(settings_dict.get("PORT") or "")
    ), url
    return url


def _group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group (from /proc; none known without it)."""
    members = []
    for entry in (Path("/proc").iterdir() if Path("/proc").is_dir() else ()):
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _new_group_dying_with_parent() -> None:
    """In the child before exec: lead a new process group; on Linux, get SIGKILL if the
    test process dies without its teardown (so no worker outlives a killed test run)."""
    os.setsid()
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class GroupProcess:
    """A subprocess started as the leader of a new process group, its output in a file."""

    def __init__(self, args: list[str], *, log_path: Path, env: dict | None = None):
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.process = subprocess.Popen(args, env=env, cwd=BASE_DIR, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, preexec_fn=_new_group_dying_with_parent)
        self.pgid = self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def members(self) -> list[int]:
        return _group_members(self.pgid)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group (leader and children), wait for the leader, close the log."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        if self.process.poll() is None:  # a graceful signal was ignored
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # Children the leader left behind are gone with SIGKILL; wait for the kernel to reap them.
        wait_until(lambda: not self.members(), timeout=10, interval=0.05, what=f"process group {self.pgid} to end")
        self._log.close()


class RedisServer:
    """A private redis-server on a free port, which a test may stop and start again."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: GroupProcess | None = None

    def start(self) -> None:
        self.process = GroupProcess(
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", str(self.folder)],
            log_path=self.folder / "redis.log")
        wait_until(self.ping, timeout=10, interval=0.05, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process = None

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
        except redis.exceptions.ConnectionError:
            return False


class Worker(GroupProcess):
    """``celery -A huzhou_rule worker`` on one queue, prefork with one child, logging at INFO."""

    def __init__(self, *, env: dict, queue: str, log_path: Path):
        self.name = f"integration-{uuid.uuid4().hex[:8]}@%h"
        super().__init__(
            [sys.executable, "-m", "celery", "-A", "huzhou_rule", "worker", "--concurrency", "1", "--pool", "prefork",
             "-Q", queue, "-n", self.name, "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
            log_path=log_path, env=env)

    def wait_ready(self, timeout: float = 30) -> None:
        def ready():
            if not self.alive():
                raise AssertionError(f"the worker exited ({self.process.returncode}):\n{self.log()[-4000:]}")
            return " ready." in self.log()

        try:
            wait_until(ready, timeout=timeout, what="the worker to be ready")
        except Timeout as error:
            raise Timeout(f"{error}; its log:\n{self.log()[-4000:]}") from None

    def wait_task(self, task_id: str, timeout: float = 60) -> str:
        """Wait for the task to finish in this worker; its log line (with the return value)."""
        def finished():
            for line in self.log().splitlines():
                if f"[{task_id}]" in line and (" succeeded in " in line or " raised " in line or " failed" in line):
                    return line
            if not self.alive():
                raise AssertionError(f"the worker exited ({self.process.returncode}):\n{self.log()[-4000:]}")
            return None

        line = wait_until(finished, timeout=timeout, what=f"task {task_id} to finish")
        assert " succeeded in " in line, f"{line}\n{self.log()[-4000:]}"
        return line


def redis_forget(url: str, *, queue: str, worker_names: list[str]) -> None:
    """Remove from a shared Redis what a test run left there: its queue and bindings, the
    message a killed worker left unacknowledged, the workers' remote-control bindings."""
    import json

    import redis

    client = redis.Redis.from_url(url)
    for tag, payload in client.hgetall("unacked").items():
        with contextlib.suppress(ValueError, TypeError):
            if json.loads(payload)[2] == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    hostname = socket.gethostname()
    for name in worker_names:
        member = "\x06\x16".join(["", "", f"{name.replace('%h', hostname)}.celery.pidbox"])  # kombu's binding row
        client.srem("_kombu.binding.celery.pidbox", member)

"""Secrets audit: every ``reelscale`` command run with sentinel keys, every output searched.

Stand-in Radarr, Claude, TMDB and an SMTP server (aiosmtpd) on 127.0.0.1 accept sentinel keys
(random letters no real output contains). Each command runs as a child process in a scratch
folder; afterwards its stdout and stderr, and every file in the folder (the database and its WAL,
kept alive by a reader connection held open, backups, ``--profile`` files, Kometa files, the
export, the batch-size report), are searched for each secret: whole, its first and middle 12
characters, and its base64 form. ``config check`` shows a secret's last 4 characters, which is
why shorter pieces are not searched. Failing commands (wrong keys, a service that is down) are
part of the list: an exception message is where a key in a URL would show.

Also checked: the Radarr key never travels in a query string (the stand-in logs every request's
query, secrets redacted to ``***``, so any secret parameter name is a finding), every stand-in
listens on 127.0.0.1 only (``/proc/net/tcp``), and the files that can hold secrets are mode 0600.
"""

from __future__ import annotations

import base64
import contextlib
import os
import random
import sqlite3
import stat
import string
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.harness.reliability.commands import Result, reelscale
from benchmarks.harness.reliability.secrets_commands import commands

LETTERS = "".join(c for c in string.ascii_letters if c.lower() not in "abcdef")  # never hex
SMTP_USER = "reelscale"
PRIVATE_FILES = ("db", "backup", "profile", "kometa")


def sentinel(rng: random.Random, prefix: str = "", length: int = 40) -> str:
    return prefix + "".join(rng.choice(LETTERS) for _ in range(length))


@dataclass(frozen=True, slots=True)
class Secrets:
    anthropic: str
    radarr: str
    tmdb_key: str
    tmdb_token: str
    smtp: str
    wrong: dict  # env name -> a wrong sentinel, planted by the failing commands
    url_password: str = ""  # the password inside RADARR_URL (http://user:pass@host)

    @classmethod
    def make(cls, rng: random.Random) -> Secrets:
        wrong = {
            "ANTHROPIC_API_KEY": sentinel(rng, "sk-ant-api03-"),
            "RADARR_API_KEY": sentinel(rng, length=32),
            "TMDB_API_KEY": sentinel(rng, length=32),
            "SMTP_PASSWORD": sentinel(rng, length=24),
        }
        return cls(
            sentinel(rng, "sk-ant-api03-"),
            sentinel(rng, length=32),
            sentinel(rng, length=32),
            sentinel(rng, "eyJ", 60),
            sentinel(rng, length=24),
            wrong,
            sentinel(rng, length=24),
        )

    def all(self) -> list[str]:
        good = [self.anthropic, self.radarr, self.tmdb_key, self.tmdb_token, self.smtp]
        good += [self.url_password] if self.url_password else []
        return good + list(self.wrong.values())

    def needles(self) -> list[tuple[str, bytes]]:
        """``(what, bytes)`` searched for: each secret, pieces of it and its base64 form."""
        found = []
        for i, secret in enumerate(self.all()):
            middle = len(secret) // 2 - 6
            for what, text in (
                ("whole", secret),
                ("head", secret[:12] if not secret.startswith(("sk-", "eyJ")) else secret[13:25]),
                ("middle", secret[middle : middle + 12]),
            ):
                found.append((f"secret {i} {what}", text.encode()))
            found.append((f"secret {i} base64", base64.b64encode(secret.encode())[4:24]))
        return found


@dataclass(slots=True)
class Audit:
    commands: int = 0
    failures: list[str] = field(default_factory=list)
    hits: list[str] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # name -> bytes searched
    modes: dict[str, str] = field(default_factory=dict)  # private file -> its mode
    query_secrets: int = 0
    radarr_requests: int = 0
    bound: dict[str, str] = field(default_factory=dict)  # stand-in -> listening address
    ran: list[str] = field(default_factory=list)

    def search(self, where: str, data: bytes, needles) -> None:
        for what, needle in needles:
            if needle in data:
                self.hits.append(f"{what} in {where}")


@contextlib.contextmanager
def smtp_server(password: str) -> Iterator[int]:
    """An aiosmtpd server on 127.0.0.1 accepting ``SMTP_USER``/``password``; yields its port."""
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    def check(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == SMTP_USER.encode()
        return AuthResult(success=ok and data.password == password.encode(), handled=False)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(
        Inbox(), hostname="127.0.0.1", port=port, authenticator=check, auth_require_tls=False
    )
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def listening(port: int) -> list[str]:
    """The local addresses listening on ``port``, from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as fh:
            for line in list(fh)[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if state == "0A" and int(hex_port, 16) == port:
                    found.append(_address(address))
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:
        return ".".join(str(b) for b in reversed(bytes.fromhex(hex_address)))
    return "ipv6:" + hex_address


def audit(size: int = 30, *, full: bool = True, seed: int = 0, folder: Path | None = None) -> Audit:
    """Run the commands against fresh stand-ins with sentinel keys; return what was found."""
    from benchmarks.harness.reliability.world import make_world
    from synthetic.servers.traffic import set_time_scale

    rng = random.Random(seed)
    secrets = Secrets.make(rng)
    result = Audit()
    previous = set_time_scale(0)
    with tempfile.TemporaryDirectory(prefix="reelscale-secrets-", dir=folder) as tmp:
        root = Path(tmp)
        world = make_world(size, root / "world")
        work = root / "work"
        work.mkdir()
        servers = _stand_ins(world, secrets)
        try:
            for server in servers.values():
                server.start()
            with smtp_server(secrets.smtp) as smtp_port:
                ports = {name: s.port for name, s in servers.items()} | {"smtp": smtp_port}
                result.bound = {name: ",".join(listening(p)) for name, p in ports.items()}
                env = _env(servers, secrets, smtp_port)
                urls = {"radarr": servers["radarr"].url}
                _run_all(world, work, secrets, env, result, full=full, urls=urls)
            _check_requests(servers["radarr"], result)
        finally:
            for server in servers.values():
                server.stop()
            set_time_scale(previous)
    return result


def _stand_ins(world, secrets: Secrets) -> dict:
    """Radarr, Claude and TMDB stand-ins (not started) that accept only the sentinel keys."""
    from synthetic.servers.claude.server import PERFECT, ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer
    from synthetic.servers.tmdb.server import TMDBServer

    return {
        "radarr": RadarrServer(world.movies, api_key=secrets.radarr),
        "claude": ClaudeServer(world.movies, accuracy=PERFECT, api_key=secrets.anthropic),
        "tmdb": TMDBServer(
            world.movies,
            rate_limit=None,
            api_key=secrets.tmdb_key,
            bearer_token=secrets.tmdb_token,
        ),
    }


def _env(servers: dict, secrets: Secrets, smtp_port: int) -> dict[str, str]:
    """The commands' environment: the stand-ins and the sentinel keys, and nothing inherited
    that configures reelscale."""
    from benchmarks.harness.reliability.world import setting_names

    names = setting_names()
    base = {k: v for k, v in os.environ.items() if k not in names}
    return {
        **base,
        "RADARR_URL": servers["radarr"].url,
        "RADARR_API_KEY": secrets.radarr,
        "ANTHROPIC_API_KEY": secrets.anthropic,
        "ANTHROPIC_BASE_URL": servers["claude"].url,
        "TMDB_API_KEY": secrets.tmdb_key,
        "TMDB_TOKEN": secrets.tmdb_token,
        "TMDB_URL": servers["tmdb"].url,
        "TMDB_RATE": "1000000",
        "SMTP_SERVER": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_SECURITY": "plain",
        "SMTP_USERNAME": SMTP_USER,
        "SMTP_PASSWORD": secrets.smtp,
        "NOTIFICATION_FROM": "reelscale@example.org",
        "NOTIFICATION_RECIPIENTS": "me@example.org",
        "NOTIFICATION_TRIGGER": "always",
    }


def _run_all(world, work: Path, secrets: Secrets, env, result: Audit, *, full, urls) -> None:
    needles = secrets.needles()
    reader = None
    try:
        for name, args, changes, codes in commands(world, work, secrets, urls, full=full):
            cmd_env = {**env, **changes}
            cmd_env = {k: v for k, v in cmd_env.items() if v is not None}
            r: Result = reelscale(args, env=cmd_env, cwd=work)
            result.commands += 1
            result.ran.append(name)
            if "Traceback (most recent call last)" in r.stderr:
                result.failures.append(f"{name}: traceback")
            if r.code not in codes:
                result.failures.append(f"{name}: exit {r.code}: {r.stderr.strip()[-300:]}")
            result.search(f"{name} stdout", r.stdout.encode(), needles)
            result.search(f"{name} stderr", r.stderr.encode(), needles)
            if reader is None and (work / "reelscale.db").exists():
                # keeps the WAL file from being removed when reelscale closes the database
                reader = sqlite3.connect(work / "reelscale.db")
                reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
            _search_files(work, f"after {name}", needles, result)
    finally:
        if reader is not None:
            reader.close()
    _check_modes(work, result)


def _search_files(work: Path, when: str, needles, result: Audit) -> None:
    for path in sorted(work.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            rel = str(path.relative_to(work))
            result.files[rel] = max(result.files.get(rel, 0), len(data))
            result.search(f"{rel} ({when})", data, needles)


def kind(name: str) -> str | None:
    """Which private kind a file written by the audit is, if any."""
    if name.startswith("reelscale.db") and not name.endswith(".lock"):
        return "db"
    if name.startswith(("backup", "reelscale.db.backup")):
        return "backup"
    if name.startswith("profile"):
        return "profile"
    if name.startswith("kometa"):
        return "kometa"
    return None


def _check_modes(work: Path, result: Audit) -> None:
    for path in sorted(work.iterdir()):
        if path.is_file() and kind(path.name):
            mode = stat.S_IMODE(path.stat().st_mode)
            result.modes[path.name] = oct(mode)
            if mode & 0o077:
                result.failures.append(f"{path.name} is mode {oct(mode)}, not 0600")


def _check_requests(radarr, result: Audit) -> None:
    from synthetic.servers.traffic import SECRET_PARAMS

    records = radarr.requests()
    result.radarr_requests = len(records)
    for record in records:
        params = {part.split("=", 1)[0].lower() for part in record.query.split("&") if part}
        if params & SECRET_PARAMS or "***" in record.query:
            result.query_secrets += 1
    if result.query_secrets:
        result.failures.append(f"{result.query_secrets} Radarr requests carried a key in the URL")
    if not any(r.status == 200 for r in records):
        result.failures.append("no Radarr request was accepted: the header key was not checked")


def findings(a: Audit) -> list[str]:
    """Everything wrong: failures, hits, and a stand-in listening beyond 127.0.0.1."""
    wrong = list(a.failures) + list(a.hits)
    for name, address in a.bound.items():
        if address != "127.0.0.1":
            wrong.append(f"{name} listens on {address or 'nothing found'}")
    return wrong

"""The run summary through Apprise, received by a webhook server on 127.0.0.1 (json:// targets)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from run_fixtures import cli_env

from core.cli import cli
from core.config import load_config
from core.config.model import NotifySettings
from core.errors import ConfigError
from core.ops.email_body import sample_report, text_body
from core.ops.notify_apprise import check_targets, send_summary

pytest.importorskip("apprise")


class Receiver:
    """A webhook receiver: every POST body (JSON) by path; ``/fail`` answers 500."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        received = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                size = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(size) or b"{}")
                received.append((self.path, body))
                self.send_response(500 if self.path.startswith("/fail") else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def bodies(self, path: str) -> list[dict]:
        return [body for p, body in self.posts if p == "/" + path]


@pytest.fixture
def receiver():
    r = Receiver()
    r.thread.start()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings(*urls, **extra) -> NotifySettings:
    return NotifySettings(urls=urls, **extra)


def test_summary_reaches_each_target_with_the_email_text(receiver):
    report = sample_report()
    deliveries = send_summary(report, None, settings(receiver.url("a"), receiver.url("b")))
    assert [d.ok for d in deliveries] == [True, True]
    assert [d.target for d in deliveries] == ["#1 json://****", "#2 json://****"]
    (body,) = receiver.bodies("a")
    assert receiver.bodies("b") == [body]
    assert body["title"] == "reelscale: +7 -1 in 2 collections, 1 error"
    # The email's plain text below its subject line: per-collection changes, errors, cost.
    assert body["message"].strip() == text_body(report, None).split("\n", 2)[2].strip()
    assert "Film Noir" in body["message"] and "Cost: $0.0194" in body["message"]
    assert "Radarr 503" in body["message"] and "Next run: none" in body["message"]
    assert body["type"] == "warning"  # the report has an error


def test_a_failing_target_is_reported_and_the_others_still_get_it(receiver):
    port = closed_port()
    urls = (receiver.url("fail/tok3n-abcdef"), f"json://127.0.0.1:{port}/x", receiver.url("ok"))
    deliveries = send_summary(sample_report(), None, settings(*urls, timeout=2))
    assert [d.ok for d in deliveries] == [False, False, True]
    assert "500" in deliveries[0].reason
    assert "tok3n-abcdef" not in deliveries[0].reason
    assert "onnection" in deliveries[1].reason
    assert len(receiver.bodies("ok")) == 1


def test_settings_from_the_environment_are_masked(monkeypatch):
    monkeypatch.setenv("APPRISE_URLS", "discord://1234567/s3cr3t-token ntfys://my-topic")
    monkeypatch.setenv("NOTIFICATION_TRIGGER", "always")
    config = load_config(None)
    assert [u.get_secret_value() for u in config.notify.urls] == [
        "discord://1234567/s3cr3t-token",
        "ntfys://my-topic",
    ]
    assert config.smtp.trigger == "always" and config.notify.trigger is None
    shown = config.shown()["notify.urls"]
    assert shown == {"value": "discord://****, ntfys://****", "source": "env APPRISE_URLS"}


def test_an_unusable_url_is_a_config_error_naming_the_setting():
    with pytest.raises(ConfigError) as caught:
        check_targets(settings("json://127.0.0.1:9/x", "nosuch://abc"), lambda key: "APPRISE_URLS")
    assert "APPRISE_URLS" in str(caught.value) and "#2 nosuch://****" in str(caught.value)
    assert "abc" not in str(caught.value)


def run_cli(stand_ins, config_path, db_path, *args, **env):
    argv = ["run", "--config", str(config_path), "--db", str(db_path), *args]
    return CliRunner().invoke(cli, argv, env=cli_env(**stand_ins.env, **env))


def test_run_sends_its_summary_and_a_failing_target_never_fails_it(
    receiver, stand_ins, config_path, tmp_path
):
    dead = f"json://127.0.0.1:{closed_port()}/dead"
    urls = f"{receiver.url('run')} {dead},{receiver.url('fail/x')}"
    db = tmp_path / "run.db"
    first = run_cli(stand_ins, config_path, db, "--json", APPRISE_URLS=urls)
    assert first.exit_code == 0, first.output
    (body,) = receiver.bodies("run")
    report = json.loads(first.stdout)
    added = sum(c["added"] for c in report["collections"])
    assert added > 0 and f"+{added} -0" in body["title"]
    for c in report["collections"]:
        if c["added"]:
            assert c["name"] in body["message"]
    assert body["type"] == "success"
    assert "#2 json://****" in first.stderr and "#3 json://****" in first.stderr
    assert "Warning: the summary was not sent" in first.stderr

    # Nothing changed: the "changes" trigger (the default) sends nothing, "always" does.
    again = run_cli(stand_ins, config_path, db, APPRISE_URLS=receiver.url("run"))
    assert again.exit_code == 0, again.output
    assert len(receiver.bodies("run")) == 1
    always = run_cli(
        stand_ins, config_path, db, APPRISE_URLS=receiver.url("run"), NOTIFICATION_TRIGGER="always"
    )
    assert always.exit_code == 0, always.output
    assert len(receiver.bodies("run")) == 2
    assert "no changes" in receiver.bodies("run")[1]["title"]


def test_run_refuses_an_unusable_url_before_anything_runs(stand_ins, config_path, tmp_path):
    result = run_cli(stand_ins, config_path, tmp_path / "r.db", APPRISE_URLS="nosuch://zzz")
    assert result.exit_code == 2
    assert "APPRISE_URLS" in result.output and "zzz" not in result.output
    assert stand_ins.claude.counters.total == 0 and stand_ins.radarr.requests() == []
    assert not (tmp_path / "r.db").exists()


def test_cli_test_notify(receiver, monkeypatch):
    env = cli_env(APPRISE_URLS=receiver.url("t"))
    ok = CliRunner().invoke(cli, ["test-notify", "--json"], env=env)
    assert ok.exit_code == 0, ok.output
    sent = {"target": "#1 json://****", "ok": True, "reason": ""}
    assert json.loads(ok.stdout)["targets"] == [sent]
    assert receiver.bodies("t")[0]["title"].startswith("[test] reelscale:")
    bad = CliRunner().invoke(cli, ["test-notify"], env=cli_env(APPRISE_URLS=receiver.url("fail")))
    assert bad.exit_code == 1 and "FAILED" in bad.output
    none = CliRunner().invoke(cli, ["test-notify"], env=cli_env())
    assert none.exit_code == 2 and "APPRISE_URLS" in none.output

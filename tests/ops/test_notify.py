"""The run email against a real SMTP server (aiosmtpd) on 127.0.0.1: plain, AUTH, STARTTLS, SSL."""

import email
import shutil
import socket
import ssl
import subprocess
from datetime import UTC, datetime
from email import policy

import pytest
from click.testing import CliRunner

from core.config import load_config
from core.config.model import SMTPSettings
from core.errors import ConfigError, NotifyError
from core.ops.email_body import sample_report
from core.ops.notify import check_email, compose, effective_port, send, should_send

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

USER, PASSWORD = "reel", "s3cret-Passw0rd-xyz"


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def check_login(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def cert(tmp_path_factory):
    """A throwaway self-signed certificate for 127.0.0.1 and localhost: (cert, key) paths."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        _cert_with_cryptography(cert, key)
    except ImportError:
        if not shutil.which("openssl"):
            pytest.skip("neither the cryptography package nor openssl is available")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
    return cert, key


def _cert_with_cryptography(cert_path, key_path):
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


@pytest.fixture
def server_context(cert):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, cert))
    return context


@pytest.fixture
def trust(cert):
    """A client context that trusts only the throwaway certificate."""
    return ssl.create_default_context(cafile=str(cert[0]))


@pytest.fixture
def smtp_server():
    """``smtp_server(**controller_kwargs) -> (port, inbox)``; every server stops at teardown."""
    started = []

    def start(**kwargs):
        inbox = Inbox()
        port = free_port()
        controller = aiosmtpd_controller.Controller(
            inbox, hostname="127.0.0.1", port=port, **kwargs
        )
        controller.start()
        started.append(controller)
        return port, inbox

    try:
        yield start
    finally:
        for controller in started:
            controller.stop()


def settings_for(port, **overrides):
    values = {
        "server": "127.0.0.1",
        "port": port,
        "security": "plain",
        "sender": "Reelscale <reelscale@example.org>",
        "recipients": ("one@example.org", "two@example.org"),
        "reply_to": "admin@example.org",
    }
    values.update(overrides)
    return SMTPSettings(**values)


REPORT = {
    "collections": [
        {"name": "Film Noir", "tag": "kai-film-noir", "members": 120, "added": 5, "removed": 1,
         "deferred": 0, "tokens": 12345, "cost_usd": 0.0123},
        {"name": "Heists", "tag": "kai-heists", "members": 40, "added": 7, "removed": 2,
         "deferred": 4, "tokens": 2000, "cost_usd": 0.002},
        {"name": "Westerns", "tag": "kai-westerns", "members": 9, "added": 0, "removed": 0,
         "deferred": 0, "tokens": 0, "cost_usd": 0.0},
    ],
    "requests": 40, "radarr_requests": 5, "radarr_writes": 2, "cost_usd": 0.05,
    "tokens": {"input": 1000, "output": 2000, "cache_read": 3000, "cache_write": 4000},
    "seconds": 12.3, "peak_rss_mb": 80.1, "dry_run": False, "status": "ok",
    "errors": [
        {"cause": "Radarr 503 on PUT /api/v3/movie/editor", "count": 2,
         "examples": ["chunk of 100 movies (ids 1..100)"]},
    ],
    "stages": {"source": 1.2, "enrich": 0.0, "classify": 9.8, "tag": 0.4},
}  # fmt: skip
NEXT = datetime(2026, 5, 5, 3, 0, tzinfo=UTC)


def test_plain_delivery_to_several_recipients(smtp_server):
    port, inbox = smtp_server()
    settings = settings_for(port)
    accepted = send(compose(REPORT, next_run=NEXT, smtp=settings), settings)
    assert accepted == ("one@example.org", "two@example.org")
    (mail_from, rcpt, message) = inbox.messages[0]
    assert mail_from == "reelscale@example.org"
    assert rcpt == ["one@example.org", "two@example.org"]
    assert message["From"] == "Reelscale <reelscale@example.org>"
    assert message["Reply-To"] == "admin@example.org"
    assert message["Subject"] == "reelscale: +12 -3 in 2 collections, 2 errors"
    text = message.get_body(("plain",)).get_content()
    assert "Film Noir" in text and "Heists" in text and "Westerns" in text
    noir = next(line for line in text.splitlines() if line.startswith("Film Noir"))
    assert noir.split() == ["Film", "Noir", "120", "+5", "-1", "0", "$0.0123"]
    assert "2 x Radarr 503 on PUT /api/v3/movie/editor" in text
    assert "e.g. chunk of 100 movies (ids 1..100)" in text
    assert "Next run: 2026-05-05 03:00 UTC" in text
    assert "cache write 4,000" in text and "Cost: $0.0500" in text
    assert "12.3 s (source 1.2 s, enrich 0.0 s, classify 9.8 s, tag 0.4 s)" in text
    page = message.get_body(("html",)).get_content()
    assert "<td>Film Noir</td>" in page and "Radarr 503" in page


def test_login_then_send(smtp_server):
    port, inbox = smtp_server(authenticator=check_login, auth_require_tls=False)
    settings = settings_for(port, username=USER, password=PASSWORD)
    send(compose(REPORT, next_run=None, smtp=settings), settings)
    assert len(inbox.messages) == 1
    assert PASSWORD not in inbox.messages[0][2].as_string()


def test_bad_password_names_the_settings_not_the_password(smtp_server):
    port, inbox = smtp_server(authenticator=check_login, auth_require_tls=False)
    settings = settings_for(port, username=USER, password="wrong-" + PASSWORD)
    with pytest.raises(NotifyError) as info:
        send(compose(REPORT, next_run=None, smtp=settings), settings)
    message = str(info.value)
    assert "SMTP_USERNAME" in message and "SMTP_PASSWORD" in message
    assert PASSWORD not in message and "wrong-" not in message
    assert "s3cret" not in repr(settings)
    assert inbox.messages == []


def test_starttls_with_login(smtp_server, server_context, trust):
    port, inbox = smtp_server(
        authenticator=check_login, tls_context=server_context, require_starttls=True
    )
    settings = settings_for(port, security="starttls", username=USER, password=PASSWORD)
    send(compose(REPORT, next_run=None, smtp=settings), settings, ssl_context=trust)
    assert len(inbox.messages) == 1


def test_ssl(smtp_server, server_context, trust):
    port, inbox = smtp_server(ssl_context=server_context)
    settings = settings_for(port, security="ssl")
    send(compose(REPORT, next_run=None, smtp=settings), settings, ssl_context=trust)
    assert len(inbox.messages) == 1


def test_untrusted_certificate_is_refused_by_default(smtp_server, server_context):
    port, inbox = smtp_server(ssl_context=server_context)
    settings = settings_for(port, security="ssl")
    with pytest.raises(NotifyError, match=r"TLS .* failed .*SMTP_SECURITY"):
        send(compose(REPORT, next_run=None, smtp=settings), settings)
    assert inbox.messages == []


def test_starttls_against_a_plain_server(smtp_server):
    port, _ = smtp_server()
    settings = settings_for(port, security="starttls")
    with pytest.raises(NotifyError, match="does not offer STARTTLS: set SMTP_SECURITY"):
        send(compose(REPORT, next_run=None, smtp=settings), settings)


def test_connection_refused_names_server_and_port():
    settings = settings_for(free_port(), timeout=5.0)
    with pytest.raises(NotifyError, match=r"cannot connect.*check SMTP_SERVER and SMTP_PORT"):
        send(compose(REPORT, next_run=None, smtp=settings), settings)


@pytest.mark.parametrize(
    ("trigger", "report", "expected"),
    [
        ("changes", REPORT, True),
        ("changes", {"collections": [{"name": "A", "added": 0, "removed": 0}]}, False),
        ("changes", {"collections": [{"name": "A", "added": 0, "removed": 1}]}, True),
        ("changes", {"collections": [], "status": "failed"}, True),
        ("errors", {"collections": [{"name": "A", "added": 3, "removed": 0}]}, False),
        ("errors", {"collections": [], "errors": [{"cause": "x", "count": 1}]}, True),
        ("errors", {"collections": [], "status": "failed", "errors": []}, True),
        ("always", {"collections": []}, True),
    ],
)
def test_triggers(trigger, report, expected):
    assert should_send(trigger, report) is expected


def test_subject_variants():
    settings = settings_for(25)

    def subject(report):
        return compose(report, next_run=None, smtp=settings)["Subject"]

    assert subject({"collections": [{"name": "A"}] * 3}) == "reelscale: no changes in 3 collections"
    failed = {"status": "failed", "errors": [{"cause": "boom", "count": 1}]}
    assert subject(failed) == "reelscale: run failed, 1 error"
    stopped = {"status": "stopped", "dry_run": True, "collections": [{"name": "A", "added": 1}]}
    assert subject(stopped) == "reelscale (dry run): +1 -0 in 1 collection, stopped early"


def test_a_leaked_password_is_masked_in_the_body():
    settings = settings_for(25, username=USER, password=PASSWORD)
    report = {"status": "failed", "errors": [{"cause": f"login {PASSWORD} refused", "count": 1}]}
    assert PASSWORD not in compose(report, next_run=None, smtp=settings).as_string()


def test_settings_from_env_and_missing_values(monkeypatch):
    env = {
        "SMTP_SERVER": "mail.example.org",
        "SMTP_SECURITY": "ssl",
        "NOTIFICATION_FROM": "r@example.org",
        "NOTIFICATION_RECIPIENTS": "a@example.org, b@example.org",
    }

    def checked(values):
        for name in (*env, "SMTP_USERNAME"):
            monkeypatch.delenv(name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        config = load_config(None)
        check_email(config.smtp, config.where)
        return config.smtp

    smtp = checked(env)
    assert effective_port(smtp) == 465
    assert smtp.recipients == ("a@example.org", "b@example.org")
    assert smtp.trigger == "changes" and smtp.username is None
    for missing in ("SMTP_SERVER", "NOTIFICATION_RECIPIENTS", "NOTIFICATION_FROM"):
        partial = {k: v for k, v in env.items() if k != missing}
        with pytest.raises(ConfigError, match=missing):
            checked(partial)
    with pytest.raises(ConfigError, match="SMTP_PASSWORD"):
        checked({**env, "SMTP_USERNAME": "u"})
    with pytest.raises(ConfigError, match="NOTIFICATION_RECIPIENTS: 'nobody'"):
        checked({**env, "NOTIFICATION_RECIPIENTS": "nobody"})


def smtp_env(port, **extra):
    env = {
        "SMTP_SERVER": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_SECURITY": "plain",
        "NOTIFICATION_FROM": "reelscale@example.org",
        "NOTIFICATION_RECIPIENTS": "one@example.org,two@example.org",
        "REELSCALE_CONFIG": "",
    }
    env.update(extra)
    return env


def test_cli_test_email(smtp_server, tmp_path, monkeypatch):
    from core.cli import cli

    monkeypatch.chdir(tmp_path)
    port, inbox = smtp_server(authenticator=check_login, auth_require_tls=False)
    env = smtp_env(port, SMTP_USERNAME=USER, SMTP_PASSWORD=PASSWORD)
    result = CliRunner().invoke(cli, ["test-email"], env=env)
    assert result.exit_code == 0, result.output
    assert "one@example.org, two@example.org" in result.output
    assert f"127.0.0.1:{port} (plain)" in result.output
    assert PASSWORD not in result.output
    message = inbox.messages[0][2]
    assert message["Subject"].startswith("[test] reelscale: +7 -1 in 2 collections")
    assert "Film Noir" in message.get_body(("plain",)).get_content()
    assert sample_report()["status"] == "ok"


def test_cli_test_email_config_error_exits_2(tmp_path, monkeypatch):
    from core.cli import cli

    monkeypatch.chdir(tmp_path)
    env = smtp_env(25, SMTP_SERVER="")
    result = CliRunner().invoke(cli, ["test-email"], env=env)
    assert result.exit_code == 2
    assert "Error: no SMTP server: set SMTP_SERVER" in result.output


def test_cli_test_email_bad_password_exits_1(smtp_server, tmp_path, monkeypatch):
    from core.cli import cli

    monkeypatch.chdir(tmp_path)
    port, _ = smtp_server(authenticator=check_login, auth_require_tls=False)
    env = smtp_env(port, SMTP_USERNAME=USER, SMTP_PASSWORD="nope-" + PASSWORD)
    result = CliRunner().invoke(cli, ["test-email"], env=env)
    assert result.exit_code == 1
    assert "check SMTP_USERNAME and SMTP_PASSWORD" in result.output
    assert PASSWORD not in result.output

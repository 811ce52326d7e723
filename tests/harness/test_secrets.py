"""Secrets never leave the request headers: sentinel keys against the stand-ins, every output
and every file reelscale wrote searched for them (``benchmarks.harness.reliability.secrets_audit``).

It audits every command (runs of both sources, failing ones included), as
``reelscale bench reliability secrets`` does; ``full=False`` there audits a representative set.
"""

import random

import pytest

from benchmarks.harness.reliability import secrets_audit

# Slow (runs every kind of command against the stand-ins): `make test-slow`, which CI runs too.
pytestmark = pytest.mark.slow


def assert_clean(audit, *, expected_commands):
    assert secrets_audit.findings(audit) == []
    assert audit.hits == [] and audit.query_secrets == 0
    assert audit.commands == expected_commands
    assert set(audit.bound) == {"radarr", "claude", "tmdb", "smtp"}
    assert audit.radarr_requests > 0
    kinds = {secrets_audit.kind(name) for name in audit.modes}
    assert kinds == set(secrets_audit.PRIVATE_FILES)
    assert all(mode == "0o600" for mode in audit.modes.values())
    assert "reelscale.db" in audit.files and audit.files["reelscale.db"] > 0


def test_every_command_leaks_no_secret(tmp_path):
    audit = secrets_audit.audit(30, full=True, folder=tmp_path)
    assert_clean(audit, expected_commands=41)
    assert "reelscale.db-wal" in audit.files  # the WAL was searched while it held data


def test_the_search_finds_a_planted_secret():
    """The audit can fail: a secret, a piece of it or its base64 form is a hit."""
    secrets = secrets_audit.Secrets.make(random.Random(1))
    audit = secrets_audit.Audit()
    needles = secrets.needles()
    audit.search("out", f"key={secrets.radarr[:20]}".encode(), needles)
    import base64

    audit.search("log", b"Authorization: Basic " + base64.b64encode(secrets.smtp.encode()), needles)
    audit.search("clean", b"masked ****" + secrets.radarr[-4:].encode(), needles)
    assert {hit.split(" in ")[1] for hit in audit.hits} == {"out", "log"}
    assert all(c not in "0123456789abcdef" for c in secrets.radarr.lower())


def test_listening_reads_the_bound_address():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert secrets_audit.listening(sock.getsockname()[1]) == ["127.0.0.1"]
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))
        sock.listen()
        assert secrets_audit.listening(sock.getsockname()[1]) == ["0.0.0.0"]

"""The run summary through Apprise: Discord, Telegram, ntfy, Gotify, Slack and ~100 more.

Settings are the ``[notify]`` section (``APPRISE_URLS``, one URL per target; the URL forms are
Apprise's own, https://github.com/caronc/apprise/wiki). The message is the email's: its subject
as the title, its plain-text body (changes per collection, errors, cost, next run) as the body,
on the same triggers (:func:`core.ops.notify.should_send`; ``NOTIFICATION_TRIGGER`` unless
``APPRISE_TRIGGER`` is set)::

    if config.notify.urls and should_send(config.notify.trigger or config.smtp.trigger, report):
        results = send_summary(report, next_run, config.notify)

Each target is sent on its own, so one failing target (a revoked webhook, ntfy down) neither
hides the others nor fails the run: :func:`send_summary` returns a :class:`Delivery` per target,
with Apprise's reason for a failure. Targets show as ``discord://****`` (#2): tokens never
appear in a message. Apprise (about 17 MB of RSS) is imported only when a URL is configured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.config.model import NotifySettings
from core.errors import ConfigError
from core.ops import email_body as _email_body

if TYPE_CHECKING:
    from pydantic import SecretStr

__all__ = ["Delivery", "check_targets", "send_summary"]


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of the summary at one target."""

    target: str  # "#2 discord://****"
    ok: bool
    reason: str = ""

    def as_dict(self) -> dict:
        return {"target": self.target, "ok": self.ok, "reason": self.reason}


def _label(position: int, url: SecretStr) -> str:
    return f"#{position} {url}"


def check_targets(notify: NotifySettings, where: Callable[[str], str]) -> None:
    """Raise a ConfigError naming each URL Apprise cannot use (unknown service, missing token)."""
    if not notify.urls:
        return
    import apprise

    bad = [
        _label(i, url)
        for i, url in enumerate(notify.urls, 1)
        if apprise.Apprise.instantiate(url.get_secret_value()) is None
    ]
    if bad:
        raise ConfigError(
            f"{where('notify.urls')}: Apprise cannot use {', '.join(bad)} (an unknown service "
            "or a URL missing its token); see the URL forms at "
            "https://github.com/caronc/apprise/wiki"
        )


def send_summary(
    report: dict, next_run: datetime | None, notify: NotifySettings, *, prefix: str = ""
) -> list[Delivery]:
    """Send the run summary to every target; never raises for a target that fails.

    :param prefix: put before the title (``"[test] "`` for ``reelscale test-notify``).
    """
    import apprise

    title = prefix + _email_body.subject(report)
    body = _body(report, next_run)
    kind = _kind(report)
    deliveries = []
    for position, url in enumerate(notify.urls, 1):
        label = _label(position, url)
        secret = url.get_secret_value()
        target = apprise.Apprise.instantiate(secret)
        if target is None:
            deliveries.append(Delivery(label, False, "Apprise cannot use this URL"))
            continue
        target.socket_connect_timeout = target.socket_read_timeout = notify.timeout
        with apprise.LogCapture(level=apprise.logging.WARNING) as log:
            try:
                ok = bool(target.notify(body=body, title=title, notify_type=kind))
            except Exception as exc:  # a plugin's own bug must not end the run either
                ok, log_text = False, f"{type(exc).__name__}: {exc}"
            else:
                log_text = log.getvalue()
        reason = "" if ok else _reason(log_text, secret)
        deliveries.append(Delivery(label, ok, reason))
    return deliveries


def _body(report: dict, next_run: datetime | None) -> str:
    """The email's plain text without its first line (the subject, which is the title here)."""
    text = _email_body.text_body(report, next_run)
    return text.split("\n", 2)[2] if text.count("\n") >= 2 else text


def _kind(report: dict) -> str:
    import apprise

    if report.get("status") == "failed":
        return apprise.NotifyType.FAILURE
    if report.get("errors") or report.get("status") in ("partial", "stopped"):
        return apprise.NotifyType.WARNING
    return apprise.NotifyType.SUCCESS


def _reason(log_text: str, secret: str) -> str:
    """The last thing Apprise logged about the failure, without the URL's secrets."""
    lines = [line.split(" - ", 2)[-1].strip() for line in log_text.splitlines() if line.strip()]
    reason = "; ".join(dict.fromkeys(lines[-3:])) or "the service did not accept it"
    return _scrub(reason, secret)


def _scrub(text: str, secret: str) -> str:
    """Every part of the URL longer than 3 characters (tokens, ids, passwords) masked."""
    import re

    for part in sorted(set(re.split(r"[/:@?&=#,]+", secret.partition("://")[2])), key=len)[::-1]:
        if len(part) > 3:
            text = text.replace(part, "****")
    return text

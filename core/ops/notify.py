"""The run email: who gets it, when, what it says, and sending it over SMTP.

Settings are the ones Kometa-AI users set (``SMTP_SERVER``, ``SMTP_PORT``,
``NOTIFICATION_RECIPIENTS``, ...) or the ``[smtp]`` table of ``reelscale.toml``::

    email = EmailSettings.from_settings(load_settings(path))
    if should_send(email.trigger, report):
        send(compose(report, next_run=due, settings=email), email)

:func:`send` raises :class:`~core.errors.NotifyError` naming the setting to check; the password
never appears in a message or in the email.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from typing import TYPE_CHECKING

from core.errors import ConfigError, NotifyError
from core.ops import email_body as _email_body

if TYPE_CHECKING:
    from core.config.settings import Settings

__all__ = ["EmailSettings", "compose", "send", "should_send"]

DEFAULT_PORTS = {"plain": 25, "starttls": 587, "ssl": 465}
DEFAULT_TIMEOUT = 30.0
TRIGGERS = ("changes", "errors", "always")


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailSettings:
    """Where the run email goes and how: one SMTP server, one sender, several recipients."""

    server: str
    sender: str
    recipients: tuple[str, ...]
    security: str = "starttls"  # plain | starttls | ssl
    port: int | None = None  # None: 25, 587 or 465 by security
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    reply_to: str | None = None
    trigger: str = "changes"  # changes | errors | always

    def __post_init__(self) -> None:
        if self.security not in DEFAULT_PORTS:
            raise ConfigError(
                f"SMTP_SECURITY: {self.security!r} is not one of plain, starttls, ssl"
            )
        if self.trigger not in TRIGGERS:
            raise ConfigError(
                f"NOTIFICATION_TRIGGER: {self.trigger!r} is not one of {', '.join(TRIGGERS)}"
            )

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]

    @classmethod
    def from_settings(cls, settings: Settings, *, required: bool = True) -> EmailSettings | None:
        """The email settings from ``smtp.*``; raises :class:`ConfigError` naming what is missing.

        With ``required=False``, no ``SMTP_SERVER`` means "no email" and gives ``None``.
        """
        server = settings["smtp.server"]
        if not server and not required:
            return None
        where = settings.described
        if not server:
            raise ConfigError(
                f"no SMTP server: set {where('smtp.server')} (or [smtp] server in "
                "reelscale.toml) to your mail server's host name"
            )
        recipients = tuple(settings["smtp.recipients"] or ())
        if not recipients:
            raise ConfigError(
                f"no email recipients: set {where('smtp.recipients')} to one or more addresses, "
                "separated by commas"
            )
        for address in recipients:
            _check_address(address, where("smtp.recipients"))
        sender = settings["smtp.from"]
        if not sender:
            raise ConfigError(
                f"no sender address: set {where('smtp.from')} to the address emails come from"
            )
        _check_address(sender, where("smtp.from"))
        if settings["smtp.reply_to"]:
            _check_address(settings["smtp.reply_to"], where("smtp.reply_to"))
        username, password = settings["smtp.username"], settings["smtp.password"]
        if username and not password:
            raise ConfigError(
                f"{where('smtp.username')} is set but no password: set "
                f"{where('smtp.password')}, or unset {where('smtp.username')} for no login"
            )
        return cls(
            server=server,
            port=settings["smtp.port"] or None,
            security=settings["smtp.security"],
            username=username or None,
            password=password or None,
            sender=sender,
            reply_to=settings["smtp.reply_to"] or None,
            recipients=recipients,
            trigger=settings["smtp.trigger"],
        )


def _check_address(text: str, setting: str) -> None:
    if "@" not in parseaddr(text)[1]:
        raise ConfigError(f"{setting}: {text!r} is not an email address like name@example.org")


def should_send(trigger: str, report: dict) -> bool:
    """Whether a run with this ``report`` gets an email under ``trigger``.

    ``always``; ``errors``: the run failed or had errors; ``changes``: that, or any movie was
    added to or removed from a collection.
    """
    troubled = bool(report.get("errors")) or report.get("status") == "failed"
    if trigger == "always":
        return True
    if trigger == "errors":
        return troubled
    added, removed, _ = _email_body.totals(report)
    return troubled or bool(added or removed)


def compose(report: dict, *, next_run: datetime | None, settings: EmailSettings) -> EmailMessage:
    """The email for ``report``: subject, plain text and an HTML alternative."""
    message = EmailMessage()
    message["Subject"] = _email_body.subject(report)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = format_datetime(datetime.now().astimezone())
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "reelscale.invalid"
    message["Message-ID"] = make_msgid("reelscale", domain=domain)
    text = _email_body.text_body(report, next_run)
    page = _email_body.html_body(report, next_run)
    if settings.password:  # belt and braces: a cause string must never leak it
        text = text.replace(settings.password, "****")
        page = page.replace(settings.password, "****")
    message.set_content(text)
    message.add_alternative(page, subtype="html")
    return message


def send(
    message: EmailMessage,
    settings: EmailSettings,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    ssl_context: ssl.SSLContext | None = None,
) -> tuple[str, ...]:
    """Send ``message`` through the configured server; returns the recipients it accepted.

    :param ssl_context: for ``starttls`` and ``ssl``; the default verifies the server's
        certificate against the system's trusted authorities.
    :raises NotifyError: naming the setting to check.
    """
    host, port = settings.server, settings.effective_port
    context = ssl_context or ssl.create_default_context()
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.username:
                client.login(settings.username, settings.password or "")
            refused = client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError(_scrub(_explain(exc, settings), settings)) from None
    wanted = [addr for _, addr in getaddresses(message.get_all("To", []))]
    return tuple(addr for addr in wanted if addr not in refused)


def _explain(exc: BaseException, s: EmailSettings) -> str:
    """What failed and which setting to check, from an smtplib or socket error."""
    where = f"SMTP server {s.server}:{s.effective_port}"
    reason = _reason(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"{where} rejected the login for {s.username!r} ({reason}): check SMTP_USERNAME "
            "and SMTP_PASSWORD"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if "STARTTLS" in str(exc).upper():
            return f"{where} does not offer STARTTLS: set SMTP_SECURITY to ssl or plain"
        return (
            f"{where} does not offer a login on this connection ({reason}): set SMTP_SECURITY "
            "to starttls or ssl, or unset SMTP_USERNAME"
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"{where} refused every recipient ({reason}): check NOTIFICATION_RECIPIENTS"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"{where} refused the sender {s.sender!r} ({reason}): check NOTIFICATION_FROM"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return (
            f"TLS with {where} failed ({reason}): check SMTP_SECURITY (ssl for port 465, "
            "starttls for 587) and that the server's certificate is valid for that name"
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected | TimeoutError):
        return (
            f"{where} closed the connection or did not answer ({reason}): check SMTP_PORT "
            "and SMTP_SECURITY (ssl for port 465, starttls for 587, plain for 25)"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{where} answered {exc.smtp_code} ({reason}) while sending the email"
    if isinstance(exc, smtplib.SMTPException):
        return f"{where}: {reason}"
    return f"cannot connect to {where} ({reason}): check SMTP_SERVER and SMTP_PORT"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = {f"{code} {_text(msg)}" for code, msg in exc.recipients.values()}
        return "; ".join(sorted(codes))
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, ssl.SSLError) and getattr(exc, "reason", None):
        return str(exc.reason).replace("_", " ").lower()
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _scrub(text: str, settings: EmailSettings) -> str:
    return text.replace(settings.password, "****") if settings.password else text

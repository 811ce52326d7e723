"""The run email: who gets it, when, what it says, and sending it over SMTP.

Settings are the ``[smtp]`` section of the configuration (Kometa-AI's ``SMTP_SERVER``,
``SMTP_PORT``, ``NOTIFICATION_RECIPIENTS``, ...)::

    if email_configured(config.smtp) and should_send(config.smtp.trigger, report):
        send(compose(report, next_run=due, smtp=config.smtp), config.smtp)

:func:`check_email` raises :class:`~core.errors.ConfigError` naming what is missing (``run`` and
``config check`` call it before anything runs); :func:`send` raises
:class:`~core.errors.NotifyError` naming the setting to check. The password never appears in a
message or in the email.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr

from core.config.model import SMTPSettings
from core.errors import ConfigError, NotifyError
from core.ops import email_body as _email_body

__all__ = ["check_email", "compose", "email_configured", "send", "should_send"]

DEFAULT_PORTS = {"plain": 25, "starttls": 587, "ssl": 465}


def email_configured(smtp: SMTPSettings) -> bool:
    """Whether run emails are wanted: an SMTP server is set."""
    return bool(smtp.server)


def effective_port(smtp: SMTPSettings) -> int:
    return smtp.port or DEFAULT_PORTS[smtp.security]


def check_email(smtp: SMTPSettings, where: Callable[[str], str]) -> None:
    """Raise a ConfigError naming what is missing for an email to go out.

    ``where("smtp.server")`` says where to fix a setting (``SMTP_SERVER``, a file and table).
    """
    if not smtp.server:
        raise ConfigError(
            f"no SMTP server: set {where('smtp.server')} (or [smtp] server in "
            "reelscale.toml) to your mail server's host name"
        )
    if not smtp.recipients:
        raise ConfigError(
            f"no email recipients: set {where('smtp.recipients')} to one or more addresses, "
            "separated by commas"
        )
    for address in smtp.recipients:
        _check_address(address, where("smtp.recipients"))
    if not smtp.sender:
        raise ConfigError(
            f"no sender address: set {where('smtp.from')} to the address emails come from"
        )
    _check_address(smtp.sender, where("smtp.from"))
    if smtp.reply_to:
        _check_address(smtp.reply_to, where("smtp.reply_to"))
    if smtp.username and not smtp.password:
        raise ConfigError(
            f"{where('smtp.username')} is set but no password: set "
            f"{where('smtp.password')}, or unset {where('smtp.username')} for no login"
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


def compose(report: dict, *, next_run: datetime | None, smtp: SMTPSettings) -> EmailMessage:
    """The email for ``report``: subject, plain text and an HTML alternative."""
    message = EmailMessage()
    message["Subject"] = _email_body.subject(report)
    message["From"] = smtp.sender
    message["To"] = ", ".join(smtp.recipients)
    if smtp.reply_to:
        message["Reply-To"] = smtp.reply_to
    message["Date"] = format_datetime(datetime.now().astimezone())
    domain = parseaddr(smtp.sender or "")[1].rpartition("@")[2] or "reelscale.invalid"
    message["Message-ID"] = make_msgid("reelscale", domain=domain)
    text = _scrub(_email_body.text_body(report, next_run), smtp)
    page = _scrub(_email_body.html_body(report, next_run), smtp)
    message.set_content(text)
    message.add_alternative(page, subtype="html")
    return message


def send(
    message: EmailMessage, smtp: SMTPSettings, *, ssl_context: ssl.SSLContext | None = None
) -> tuple[str, ...]:
    """Send ``message`` through the configured server; returns the recipients it accepted.

    :param ssl_context: for ``starttls`` and ``ssl``; the default verifies the server's
        certificate against the system's trusted authorities.
    :raises NotifyError: naming the setting to check.
    """
    host, port, timeout = smtp.server, effective_port(smtp), smtp.timeout
    context = ssl_context or ssl.create_default_context()
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if smtp.username:
                password = smtp.password.get_secret_value() if smtp.password else ""
                client.login(smtp.username, password)
            refused = client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError(_scrub(_explain(exc, smtp), smtp)) from None
    wanted = [addr for _, addr in getaddresses(message.get_all("To", []))]
    return tuple(addr for addr in wanted if addr not in refused)


def _explain(exc: BaseException, s: SMTPSettings) -> str:
    """What failed and which setting to check, from an smtplib or socket error."""
    where = f"SMTP server {s.server}:{effective_port(s)}"
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


def _scrub(text: str, smtp: SMTPSettings) -> str:
    """Belt and braces: a cause string must never carry the password."""
    password = smtp.password.get_secret_value() if smtp.password else ""
    return text.replace(password, "****") if password else text

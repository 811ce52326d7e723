"""Operations commands for a running installation: ``test-email``."""

from __future__ import annotations

import os
from pathlib import Path

import click

from core.cli._options import config_option


@click.command("test-email")
@config_option
def test_email(config_path: str | None) -> None:
    """Send a sample run report email with the configured SMTP settings.

    Settings come from the environment (SMTP_SERVER, SMTP_PORT, SMTP_SECURITY, SMTP_USERNAME,
    SMTP_PASSWORD, NOTIFICATION_FROM, NOTIFICATION_RECIPIENTS, ...) or the [smtp] table of
    reelscale.toml. A server with a private certificate authority: point SSL_CERT_FILE at it.
    """
    from core.config.settings import load_settings
    from core.ops.email_body import sample_report
    from core.ops.notify import EmailSettings, compose, send

    settings = load_settings(_settings_file(config_path))
    email = EmailSettings.from_settings(settings)
    assert email is not None  # required=True raises instead
    message = compose(sample_report(), next_run=None, settings=email)
    message.replace_header("Subject", "[test] " + message["Subject"])
    accepted = send(message, email)
    click.echo(
        f"Sent a sample report to {', '.join(accepted) or 'nobody'} via "
        f"{email.server}:{email.effective_port} ({email.security})"
    )
    refused = [r for r in email.recipients if r not in accepted]
    if refused:
        click.echo(f"The server refused: {', '.join(refused)}", err=True)


def _settings_file(config_path: str | None) -> Path | None:
    """``--config``, ``$REELSCALE_CONFIG`` or ``./reelscale.toml`` if any; else env only."""
    from core.config.collection import CONFIG_ENV, DEFAULT_CONFIG, find_config

    if config_path or os.environ.get(CONFIG_ENV) or Path(DEFAULT_CONFIG).exists():
        return find_config(config_path)
    return None

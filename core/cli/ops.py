"""Operations commands for a running installation: ``test-email``."""

from __future__ import annotations

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
    from core.cli._options import load
    from core.ops.email_body import sample_report
    from core.ops.notify import check_email, compose, effective_port, send

    config = load(config_path, required=False)
    smtp = config.smtp
    check_email(smtp, config.where)
    message = compose(sample_report(), next_run=None, smtp=smtp)
    message.replace_header("Subject", "[test] " + message["Subject"])
    accepted = send(message, smtp)
    click.echo(
        f"Sent a sample report to {', '.join(accepted) or 'nobody'} via "
        f"{smtp.server}:{effective_port(smtp)} ({smtp.security})"
    )
    refused = [r for r in smtp.recipients if r not in accepted]
    if refused:
        click.echo(f"The server refused: {', '.join(refused)}", err=True)

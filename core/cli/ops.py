"""Operations commands for a running installation: ``test-email``, ``test-notify``."""

from __future__ import annotations

import click

from core.cli._options import config_option, json_option


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


@click.command("test-notify")
@config_option
@json_option
def test_notify(config_path: str | None, as_json: bool) -> None:
    """Send a sample run summary to every Apprise target (APPRISE_URLS or [notify] urls).

    One URL per target, e.g. discord://WEBHOOK_ID/TOKEN, tgram://BOT_TOKEN/CHAT_ID,
    ntfys://TOPIC, gotify://HOST/TOKEN, slack://TOKEN_A/TOKEN_B/TOKEN_C/#channel
    (https://github.com/caronc/apprise/wiki). Exits 1 if any target did not take it.
    """
    import json

    from core.cli._options import load
    from core.errors import ConfigError, NotifyError
    from core.ops.email_body import sample_report
    from core.ops.notify_apprise import check_targets, send_summary

    config = load(config_path, required=False)
    if not config.notify.urls:
        raise ConfigError(
            "no notification targets: set APPRISE_URLS (or [notify] urls in reelscale.toml) "
            "to one or more Apprise URLs, e.g. ntfys://my-topic"
        )
    check_targets(config.notify, config.where)
    deliveries = send_summary(sample_report(), None, config.notify, prefix="[test] ")
    if as_json:
        click.echo(json.dumps({"targets": [d.as_dict() for d in deliveries]}))
    else:
        for d in deliveries:
            click.echo(f"{d.target}: {'sent' if d.ok else 'FAILED: ' + d.reason}")
    failed = [d.target for d in deliveries if not d.ok]
    if failed:
        raise NotifyError(f"{len(failed)} of {len(deliveries)} targets failed: {', '.join(failed)}")

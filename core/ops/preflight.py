"""Everything ``reelscale run`` rejects before it starts, in one list.

The run's own needs (:mod:`core.pipeline.checks`: collections, the source's address and key,
the Claude key), then the schedule, the email settings and the Apprise URLs. ``run`` and
``config check`` both call :func:`preflight`, so a config that ``config check`` passes is one
that ``run`` accepts. The schedule, email and Apprise modules (croniter, smtplib, apprise) load
only when those are configured.
"""

from __future__ import annotations

from core.config import Config
from core.errors import ConfigError
from core.pipeline.checks import run_problems


def problems(config: Config, only: str | None = None) -> list[str]:
    found = run_problems(config, only)
    if config.schedule.interval:
        from core.ops.schedule import Schedule

        try:
            Schedule.from_config(config.schedule, config.where)
        except ConfigError as exc:
            found.append(str(exc))
    if config.smtp.server:
        from core.ops.notify import check_email

        try:
            check_email(config.smtp, config.where)
        except ConfigError as exc:
            found.append(str(exc))
    if config.notify.urls:
        from core.ops.notify_apprise import check_targets

        try:
            check_targets(config.notify, config.where)
        except ConfigError as exc:
            found.append(str(exc))
    return found


def preflight(config: Config, only: str | None = None) -> None:
    """Raise one ConfigError (exit 2) listing every problem, if there is any."""
    found = problems(config, only)
    if len(found) == 1:
        raise ConfigError(found[0])
    if found:
        raise ConfigError("\n".join([f"{len(found)} problems before a run:", *found]))

"""The ``reelscale`` command line: a thin layer over the library.

Each command builds its inputs, calls one core function and renders the result (rich for people,
``--json`` for scripts). A :class:`~core.errors.ReelscaleError` becomes ``Error: <message>`` on
stderr with the error's exit code (2 for bad input, 1 for a failed run). Heavy imports happen
inside the commands so that ``reelscale parse`` starts fast.
"""

from __future__ import annotations

import sys
import warnings

# httpx imports its own command line (rich, pygments: 4 MB of RSS) when click and rich are
# installed, as they are here; reelscale never runs it. Marking the module absent makes httpx
# define its stub instead, as it does without those packages (measured: run --profile).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import click  # noqa: E402

from core.cli._options import JsonGroup  # noqa: E402
from core.errors import ReelscaleError  # noqa: E402


class _Failure(click.ClickException):
    def __init__(self, error: ReelscaleError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


class _Group(JsonGroup):
    """Turns reelscale's errors into click's ``Error: ...`` output with the right exit code (with
    ``--json``, also one JSON object on stdout, for the script reading it), and a config's
    warnings into ``Warning: ...`` lines on stderr. Commands come from :data:`COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            import importlib

            module, attribute = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands.get(name)

    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():
            warnings.simplefilter("always", _config_warning())
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except ReelscaleError as exc:
                _json_error(ctx, str(exc), exc.exit_code)
                raise _Failure(exc) from exc
            except click.ClickException as exc:
                _json_error(ctx, exc.format_message(), exc.exit_code)
                raise


def _json_error(ctx: click.Context, message: str, exit_code: int) -> None:
    from core.cli._options import JSON_META

    if ctx.meta.get(JSON_META):
        import json

        click.echo(json.dumps({"error": message, "exit_code": exit_code}, ensure_ascii=False))


def _config_warning() -> type[Warning]:
    from core.config.entry import ConfigWarning

    return ConfigWarning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    if issubclass(category, _config_warning()):
        click.echo(f"Warning: {message}", err=True)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reelscale")
def cli() -> None:
    """Keep AI-judged movie collections up to date for big Radarr/Plex libraries.

    Start with `reelscale scan DIR` to index a folder of movie files; `reelscale parse` shows how
    release names are read. The `synth` and `bench` commands build synthetic libraries and run
    the benchmark harness.
    """


def main() -> None:
    cli(prog_name="reelscale")


#: Every command, as "module:attribute", imported only when it runs (or ``--help`` lists it):
#: a rescan of a big library lasts a few seconds, and importing them all took ~50 ms of it.
COMMANDS = {
    "scan": "core.cli.library:scan",
    "parse": "core.cli.library:parse",
    "enrich": "core.cli.metadata:enrich",
    "export": "core.cli.metadata:export",
    "list": "core.cli.listing:list_",
    "db": "core.cli.db:db",
    "cache": "core.cli.metadata:cache",
    "config": "core.cli.config:config",
    "classify": "core.cli.classify:classify",
    "recommend-batch-size": "core.cli.recommend:recommend_batch_size",
    "run": "core.cli.run:run",
    "kometa-yaml": "core.cli.run:kometa_yaml",
    "health": "core.cli.health:health",
    "synth": "core.cli.dev:synth",
    "bench": "core.cli.dev:bench",
    "demo": "core.cli.demo:demo",
    "test-email": "core.cli.ops:test_email",
    "import": "core.cli.imports:import_group",
    "test-notify": "core.cli.ops:test_notify",
}

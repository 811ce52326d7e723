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

from core.errors import ReelscaleError  # noqa: E402


class _Failure(click.ClickException):
    def __init__(self, error: ReelscaleError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


class _Group(click.Group):
    """Turns reelscale's errors into click's ``Error: ...`` output with the right exit code (with
    ``--json``, also one JSON object on stdout, for the script reading it), and a config's
    warnings into ``Warning: ...`` lines on stderr."""

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


from core.cli import classify, config, db, dev, library, listing, metadata, recommend  # noqa: E402
from core.cli import demo as demo_cli  # noqa: E402
from core.cli import health as health_cli  # noqa: E402
from core.cli import imports as imports_cli  # noqa: E402
from core.cli import ops as ops_cli  # noqa: E402
from core.cli import run as run_cli  # noqa: E402

cli.add_command(library.scan)
cli.add_command(library.parse)
cli.add_command(metadata.enrich)
cli.add_command(metadata.export)
cli.add_command(listing.list_)
cli.add_command(db.db)
cli.add_command(metadata.cache)
cli.add_command(config.config)
cli.add_command(classify.classify)
cli.add_command(recommend.recommend_batch_size)
cli.add_command(run_cli.run)
cli.add_command(run_cli.kometa_yaml)
cli.add_command(health_cli.health)
cli.add_command(dev.synth)
cli.add_command(dev.bench)
cli.add_command(demo_cli.demo)
cli.add_command(ops_cli.test_email)
cli.add_command(imports_cli.import_group)
cli.add_command(ops_cli.test_notify)

"""Options shared by several commands."""

from __future__ import annotations

import click

from core.config.files import DB_ENV, DEFAULT_DB

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar=DB_ENV,
    default=DEFAULT_DB,
    show_default=True,
    help=f"SQLite file holding reelscale's state (env {DB_ENV}).",
)

#: Where ``--json`` is remembered for the error handler (``Context.meta`` is shared by a command
#: and its group), so an error is a JSON object on stdout too.
JSON_META = "reelscale.json"


def _remember_json(ctx: click.Context, _param, value: bool) -> bool:
    ctx.meta[JSON_META] = value
    return value


def json_written() -> None:
    """The command printed its JSON document, error included: the handler adds no second one."""
    click.get_current_context().meta[JSON_META] = False


class JsonGroup(click.Group):
    """A group whose commands' ``--json`` is noted before their arguments are parsed, so that a
    usage error in them (an unknown option, a bad value) is a JSON object on stdout too."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        own = rest[: rest.index("--")] if "--" in rest else rest
        if (
            command is not None
            and "--json" in own
            and any(p.name == "as_json" for p in command.params)
        ):
            ctx.meta[JSON_META] = True
        return name, command, rest


json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    callback=_remember_json,
    is_eager=True,
    help="Print one JSON object instead of the human summary; an error is "
    '{"error": ..., "exit_code": ...} on stdout (and Error: on stderr).',
)

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(),
    default=None,
    help="A reelscale.toml, a Kometa YAML file, or a folder of Kometa files "
    "(default: $REELSCALE_CONFIG, else ./reelscale.toml).",
)


def load(
    config_path: str | None,
    flags: dict | None = None,
    *,
    collections: bool = False,
    required: bool | None = None,
):
    """The command's one :class:`~core.config.Config`: the config file (required when the
    command reads collections), the environment and the flags given (``{"run.mode": ...}``)."""
    from core.config import find_config, load_config

    path = find_config(config_path, required=collections if required is None else required)
    return load_config(path, flags, collections=collections)


def kind_option(help: str):
    """``--kind movies|series`` (default movies), with the command's own help."""
    return click.option(
        "--kind",
        type=click.Choice(["movies", "series"]),
        default="movies",
        show_default=True,
        help=help,
    )

"""HTML pages rendered from jinja2 templates that sit next to the module filling them.

Each page is a ``.html.j2`` file in the folder of the module that renders it (package data, so it
ships in the wheel), rendered with autoescaping on: every value is escaped unless a template marks
it ``|safe``. jinja2 is imported on the first render, not on import: ``reelscale run`` renders
HTML only when it sends its email, and a run's peak memory is budgeted.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


def render(anchor: str, name: str, /, **context) -> str:
    """Render template ``name`` from the folder of the module file ``anchor``.

    Example: ``render(__file__, "email.html.j2", subject="reelscale: +1 -0 in 1 collection")``.
    A name the template uses but the context lacks is an error, not an empty string.
    """
    return _environment(str(Path(anchor).resolve().parent)).get_template(name).render(**context)


@cache
def _environment(folder: str):
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

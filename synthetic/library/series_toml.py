"""The ten synthetic series collections as a ``reelscale.toml``, with ``kind = "series"``.

Beside :func:`synthetic.library.collection_defs.to_toml` (the movie collections): a Sonarr run
judges every series against these, and the stand-in Claude answers from the series' ground truth.
"""

from __future__ import annotations

import json

from synthetic.library.collection_defs import to_toml
from synthetic.library.series import SERIES_COLLECTIONS


def series_toml(*, with_movies: bool = False) -> str:
    """The series collections as ``[[collection]]`` tables; with ``with_movies`` the ten movie
    collections come first (a config for a run over Radarr and Sonarr)."""
    out = [to_toml() if with_movies else "# The ten synthetic series collections.\n"]
    for c in SERIES_COLLECTIONS:
        out += [
            "[[collection]]",
            f"name = {json.dumps(c.name)}",
            f"prompt = {json.dumps(c.prompt)}",
            'kind = "series"',
            "",
        ]
    return "\n".join(out)

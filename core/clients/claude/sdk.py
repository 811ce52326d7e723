"""Loading the Claude SDK only when a request is about to be sent, and without aiohttp.

Importing ``anthropic`` costs about 57 MB of RSS and a second: on a rerun with nothing to judge
it is never imported. When aiohttp is installed (reelscale's stand-ins use it) the SDK also
imports its aiohttp transport eagerly, which reelscale never uses: marking that one vendored
module as absent makes the SDK fall back to httpx, as it does when aiohttp is not installed,
and saves 6 MB (measured with ``reelscale run --profile``, classify stage).
"""

from __future__ import annotations

import sys

_AIOHTTP_TRANSPORT = "anthropic._vendor.httpx_aiohttp"


def load_sdk():
    """The ``anthropic`` module."""
    if "anthropic" not in sys.modules:
        sys.modules.setdefault(_AIOHTTP_TRANSPORT, None)  # type: ignore[arg-type]
    import anthropic

    return anthropic

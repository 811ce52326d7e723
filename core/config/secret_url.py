"""A URL that may carry a password, shown without it.

``http://user:pass@radarr:7878`` is a valid way to reach a Radarr behind basic auth, and it is
what users paste into ``RADARR_URL``. :class:`SecretUrl` behaves like pydantic's ``SecretStr``:
``str()``, ``repr()`` and validation errors show ``http://user:****@radarr:7878``, and only
:meth:`get_secret_value` gives the URL a connection needs.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``****`` (and nothing else changed)."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.netloc.rpartition("@")[2]
        netloc = f"{parts.username}:****@{host}" if parts.username else f":****@{host}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:
        return "<unparsable URL>"


def bare_url(url: str) -> str:
    """``url`` fit for a message about where a request went: no user info, query or fragment."""
    try:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))
    except ValueError:
        return "<unparsable URL>"


class SecretUrl(SecretStr):
    """A URL whose password never shows; ``get_secret_value()`` is the URL as given."""

    def _display(self) -> str:  # type: ignore[override]
        return mask_url(self.get_secret_value())


class SecretTargetUrl(SecretStr):
    """A notification target's URL (``discord://id/token``, ``tgram://bot/chat``...): its
    service is all it shows (``discord://****``), since tokens sit anywhere in such URLs."""

    def _display(self) -> str:  # type: ignore[override]
        scheme, sep, _ = self.get_secret_value().partition("://")
        return f"{scheme}://****" if sep else "****"


def check_http_url(url: SecretUrl | None) -> SecretUrl | None:
    """An ``http(s)://host...`` URL, or a ValueError that shows it masked."""
    if url is None:
        return url
    text = url.get_secret_value().strip()
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"{mask_url(text)!r} is not an http(s) URL; use e.g. http://localhost:7878"
        )
    return SecretUrl(text) if text != url.get_secret_value() else url

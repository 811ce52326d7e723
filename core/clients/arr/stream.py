"""Cut an *arr list (one JSON array, hundreds of MB at 100k movies) into its elements as it streams.

Each element is decoded on its own with the standard library's C decoder
(``JSONDecoder.raw_decode``) and handed on, so memory holds one network chunk plus one element,
whatever the library size. This was measured against ijson (yajl2_c backend) on the Radarr
stand-in's 3.5 KB movies: ``ijson.items`` parses about 24 MB/s and its event interface less,
``raw_decode`` about 140 MB/s. Radarr's and Sonarr's clients project the elements
(:mod:`core.clients.radarr.stream`, :mod:`core.clients.sonarr.stream`).

An element cut by a chunk boundary fails to decode and is tried again when more bytes are there;
an element is only retried once its pending text has doubled, so even a huge one costs linear
time, and one larger than ``MAX_ELEMENT_CHARS`` (broken JSON that never closes) is an error.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator

MAX_ELEMENT_CHARS = 16 * 1024 * 1024
MAX_EXAMPLES = 3
MAX_INT = 2**63 - 1  # SQLite's INTEGER: a larger id, year or runtime is not a usable value
_SEPARATORS = re.compile(r"[\s,]*")
_decode_one = json.JSONDecoder().raw_decode


class BadPayload(ValueError):
    """The bytes are not a JSON array (or end before it closes)."""


class Skips:
    """Counts elements that were not usable movies or series (not an object, or no positive int
    id), and names the first few (``examples``: position in the list, and id or title when
    present)."""

    __slots__ = ("count", "examples")

    def __init__(self) -> None:
        self.count = 0
        self.examples: list[str] = []

    def add(self, position: int, raw: object) -> None:
        self.count += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(_describe(position, raw))


def iter_elements(chunks: Iterable[bytes]) -> Iterator[object]:
    """Yield the elements of the JSON array in ``chunks``, one at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    cutter = _Cutter()
    for chunk in chunks:
        yield from cutter.feed(decoder.decode(chunk))
    yield from cutter.feed(decoder.decode(b"", final=True), final=True)


class _Cutter:
    __slots__ = ("buf", "closed", "opened", "pos", "retry_at")

    def __init__(self) -> None:
        self.buf, self.pos, self.opened, self.closed = "", 0, False, False
        self.retry_at = 0  # the pending element is not tried again before buf is this long

    def feed(self, text: str, *, final: bool = False) -> Iterator[object]:
        if self.closed:
            if text.strip():
                raise BadPayload("data after the end of the movie list")
            return
        buf = self.buf[self.pos :] + text
        self.retry_at -= self.pos
        pos = 0
        if not self.opened:
            buf = buf.lstrip("\ufeff \t\r\n")
            if not buf:
                if final:
                    raise BadPayload("the answer is empty")
                self.buf, self.pos = "", 0
                return
            if buf[0] != "[":
                raise BadPayload(f"expected a JSON array, got {buf[:40]!r}")
            buf, self.opened = buf[1:], True
        self.buf = buf
        if len(buf) < self.retry_at and not final:
            self.pos = 0
            return
        while True:
            pos = _SEPARATORS.match(buf, pos).end()
            self.pos = pos
            if pos == len(buf):
                break
            if buf[pos] == "]":
                self.closed = True
                if buf[pos + 1 :].strip():
                    raise BadPayload("data after the end of the movie list")
                return
            try:
                element, pos = _decode_one(buf, pos)
            except json.JSONDecodeError as exc:
                if final:
                    raise BadPayload(f"malformed or cut short ({exc.msg})") from None
                pending = len(buf) - pos
                if pending > MAX_ELEMENT_CHARS:
                    raise BadPayload(
                        f"an element of the movie list is over {MAX_ELEMENT_CHARS:,} characters; "
                        "the JSON is probably malformed"
                    ) from None
                self.retry_at = pos + 2 * pending
                return
            yield element
        if final:
            raise BadPayload("the movie list ends before its closing ']'")


def valid_text(value: str) -> str:
    """``value`` with lone surrogates (JSON escapes like ``\\ud800``) as U+FFFD: storable text."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)


def _describe(position: int, raw: object) -> str:
    """How a report names a skipped element: where it is, and its id or title if it has one."""
    where = f"element {position:,}"
    if not isinstance(raw, dict):
        return f"{where}: not an object ({type(raw).__name__})"
    title = text(raw.get("title"))
    named = f" {title[:60]!r}" if title else ""
    return (
        f"{where}{named}: id {valid_text(repr(raw.get('id')))[:30]} is not a positive whole number"
    )


def text(value: object) -> str | None:
    """A non-empty string as storable text (see ``valid_text``); None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    return value if value.isascii() else valid_text(value)

"""Bad input, file names: the release parser and ``reelscale scan`` over names no one would choose.

Arbitrary unicode (lone surrogates included), control characters, undecodable bytes (which Python
sees as surrogateescape text), names up to Linux's 255-byte limit, 4k-long strings for the parser,
and folder trees deeper than PATH_MAX. Properties: ``parse`` returns a record for any text; a scan
never shows a traceback, indexes every reachable video file under a key that maps back to it,
finds nothing changed when run again, and reports what it cannot reach instead of failing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from benchmarks.harness.reliability.bad_input.common import DataLost, invoke
from core.pipeline.source.release_name import Release, parse

NAME_MAX = 255
VIDEO_EXT = ("mkv", "mp4", "avi", "MKV", "m2ts")
TOKENS = [
    "1080p", "2160p", "x264", "HEVC", "BluRay", "WEB-DL", "S01E02", "1x03", "(1999)", "[2001]",
    "2019", "1917", "Director's Cut", "PROPER", "-GROUP", ".", " ", "_", "-", "(", ")", "[", "]",
    "{", "}", "Season 01", "/", "sample", "Extras", "..", "\u202e", "\ufeff", "\x00", "\x1b[31m",
]  # fmt: skip

any_char = st.characters(codec=None, exclude_categories=())
any_text = st.text(any_char, max_size=300)
release_ish = st.lists(st.sampled_from(TOKENS) | st.text(any_char, max_size=12), max_size=60).map(
    "".join
)
long_text = st.builds(
    lambda part, n, tail: (part * n)[:4096] + tail,
    st.text(any_char, min_size=1, max_size=40) | st.sampled_from(TOKENS),
    st.integers(100, 4096),
    release_ish,
)


def check_parse(ctx, name: str) -> int:
    """``parse`` gives a ``Release`` for any text, whose fields are the text's or well-formed."""
    release = parse(name)
    assert isinstance(release, Release)
    json.dumps(release.as_dict())  # serialisable (ensure_ascii escapes any surrogate)
    assert release.type in ("movie", "episode")
    assert release.year is None or 1880 <= release.year <= 2100
    for value in (release.season, release.episode):
        assert value is None or (isinstance(value, int) and value >= 0)
    if release.title is not None:
        assert isinstance(release.title, str) and release.title.strip()
    return 1


def _component(raw: bytes, ext: str) -> bytes:
    """A file name from arbitrary bytes: no '/' or NUL, at most 255 bytes with the extension."""
    stem = raw.replace(b"/", b"_").replace(b"\x00", b"_").lstrip(b".") or b"x"
    suffix = b"." + ext.encode()
    return stem[: NAME_MAX - len(suffix)] + suffix


name_bytes = st.one_of(
    st.binary(min_size=1, max_size=NAME_MAX),
    any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    release_ish.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(b"M" * NAME_MAX),
)
file_names = st.lists(
    st.tuples(name_bytes, st.sampled_from(VIDEO_EXT)).map(lambda p: _component(*p)),
    min_size=1,
    max_size=8,
    unique_by=lambda n: n.lower(),
)
folders = st.lists(st.sampled_from(["", "Movie (1999)", "Season 01"]) | name_bytes.map(
    lambda b: _component(b, "d")[:-2]
), max_size=3)  # fmt: skip


@contextlib.contextmanager
def scan_context():
    """A scratch folder for the scan examples; each example gets a fresh library and database."""
    base = Path(tempfile.mkdtemp(prefix="reelscale-bad-names-"))
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _make_tree(root: Path, names: list[bytes], folder: list[bytes | str]) -> set[bytes]:
    parent = os.fsencode(root)
    for part in folder:
        part = part if isinstance(part, bytes) else part.encode()
        if part:
            parent = os.path.join(parent, part)
    os.makedirs(parent, exist_ok=True)
    made = set()
    for name in names:
        path = os.path.join(parent, name)
        with open(path, "wb") as fh:
            fh.write(name[:10])
        made.add(path)
    return made


def stored_paths(db: Path) -> list[bytes]:
    conn = sqlite3.connect(db)
    try:
        keys = [k for (k,) in conn.execute("SELECT key FROM items WHERE source = 'files'")]
    finally:
        conn.close()
    return [k if isinstance(k, bytes) else os.fsencode(k) for k in keys]


def check_scan(base: Path, names: list[bytes], folder: list) -> int:
    """Scan a tree of odd names twice through the CLI: everything indexed, then nothing changed."""
    work = Path(tempfile.mkdtemp(dir=base))
    try:
        root, db = work / "lib", work / "reelscale.db"
        made = _make_tree(root, names, folder)
        first = invoke(["scan", str(root), "--db", str(db), "--json"])
        assert first.exit_code == 0, first.stderr
        summary = json.loads(first.output)
        assert summary["errors"] == 0, summary["error_details"]
        assert summary["videos"] + summary["extras"] == len(made)
        stored = stored_paths(db)
        if len(stored) != summary["videos"] or not set(stored) <= made:
            raise DataLost(f"stored keys {stored!r} do not map back to the files {made!r}")
        again = json.loads(invoke(["scan", str(root), "--db", str(db), "--json"]).output)
        assert (again["unchanged"], again["new"], again["removed"]) == (summary["videos"], 0, 0)
        human = invoke(["scan", str(root), "--db", str(db)])
        assert human.exit_code == 0 and "Scanned" in human.output
        return len(names)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _deep_tree(root: Path, depth: int, files: list[bytes]) -> int:
    """``depth`` folders of ~200-byte names, made with relative ``*at`` calls (past PATH_MAX)."""
    root.mkdir()
    fd = os.open(root, os.O_RDONLY)
    try:
        for i in range(depth):
            name = f"{i:03d} Movie Folder ".encode() + b"\xc3\xa9" * 90
            os.mkdir(name, dir_fd=fd)
            nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
            for file in files:
                os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd))
    finally:
        os.close(fd)
    return depth * len(files)


def check_deep_tree(base: Path, depth: int) -> int:
    """A tree deeper than PATH_MAX: the reachable part indexed, the rest reported, exit 0."""
    work = Path(tempfile.mkdtemp(dir=base))
    try:
        root, db = work / "lib", work / "reelscale.db"
        files = [b"Deep.Movie.2004.1080p.mkv", b"\xff odd \x1b (1999).avi"]
        total = _deep_tree(root, depth, files)
        result = invoke(["scan", str(root), "--db", str(db), "--json"])
        assert result.exit_code == 0, result.stderr
        summary = json.loads(result.output)
        reachable = summary["videos"]
        assert 0 < reachable <= total
        if reachable < total:
            assert summary["errors"] > 0
            reasons = {e["reason"] for e in summary["error_details"]}
            assert any("too long" in r for r in reasons), reasons
        assert len(stored_paths(db)) == reachable
        return total - reachable
    finally:
        shutil.rmtree(work, ignore_errors=True)

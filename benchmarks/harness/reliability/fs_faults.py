"""Filesystem faults against the real command line: symlink loops, folders the user may not read,
files vanishing mid-scan, non-UTF-8 names, the database on a read-only path and a disk filling up.

Each scenario runs ``python -m core ...`` in a child process and returns a :class:`Trial`: the
faults it injected, what went wrong (a traceback, a wrong exit code, not exactly one ``Error:``
line, a leftover temporary file, a damaged database) and how many earlier rows were lost.

Two faults need help when the tests run as root (a child that obeys file modes, a disk that
fills): see :mod:`benchmarks.harness.reliability.fs_setup`.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.harness.reliability.commands import (
    Result,
    db_state,
    keys,
    leftovers,
    problems,
    reelscale,
)
from benchmarks.harness.reliability.fs_setup import Privileges, fsize_limit, small_filesystem


@dataclass(slots=True)
class Trial:
    scenario: str
    faults: int = 0
    commands: int = 0
    failures: list[str] = field(default_factory=list)
    data_lost: int = 0
    method: str = ""

    def check(self, result: Result, codes: Sequence[int], *, error: bool) -> Result:
        self.commands += 1
        self.failures += problems(result, codes, error=error)
        return result


def make_files(root: Path, relpaths: Sequence[str | bytes]) -> None:
    for rel in relpaths:
        path = os.path.join(os.fsencode(root), os.fsencode(rel))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").close()


LIBRARY = (
    "Heat (1995)/Heat.1995.1080p.BluRay.x264-GRP.mkv",
    "Up (2009)/Up (2009) Bluray-1080p.mp4",
    "Alien (1979)/Alien.1979.720p.mkv",
    "Downloads/Blade.Runner.2049.2017.2160p.WEB-DL.mkv",
)


def symlink_loops(folder: Path) -> Trial:
    """``scan --follow-symlinks`` over five loops and a dangling link: exit 0, every loop
    reported once, the movies indexed; without the flag: skipped and counted."""
    t = Trial("symlink_loops")
    lib, db = folder / "lib", folder / "loops.db"
    make_files(lib, LIBRARY)
    os.symlink(".", lib / "self")  # a folder linking to itself
    os.symlink("..", lib / "Heat (1995)" / "parent")  # to its parent
    os.symlink(lib, lib / "Up (2009)" / "root")  # to the root, absolute
    (lib / "a").mkdir()
    (lib / "b").mkdir()
    os.symlink("../b", lib / "a" / "to-b")  # a -> b -> a
    os.symlink("../a", lib / "b" / "to-a")
    os.symlink("nowhere", lib / "dangling")
    t.faults = 6
    r = t.check(
        reelscale(["scan", lib, "--db", db, "--follow-symlinks", "--json"]), [0], error=False
    )
    if r.code == 0:
        s = r.json()
        loops = [d for d in s["error_details"] if "loop" in d["reason"]]
        # the dangling link is skipped silently (neither a file nor a folder), not an error
        if (s["videos"], len(loops), s["errors"]) != (len(LIBRARY), 5, 5):
            t.failures.append(f"followed: {s['videos']} videos, {len(loops)} loops, {s['errors']}")
    r = t.check(reelscale(["scan", lib, "--db", db]), [0], error=False)
    if "symlinks not followed" not in r.stdout:
        t.failures.append("scan without --follow-symlinks did not count the skipped links")
    return t


def permission_denied(folder: Path, privileges: Privileges) -> Trial:
    """A folder of the library turns unreadable: reported and skipped, its movies (and their
    decisions) kept; an unreadable library root is one ``Error:`` line, exit 2."""
    t = Trial("permission_denied", method=privileges.method)
    lib, db = folder / "lib", folder / "perm.db"
    make_files(lib, [*LIBRARY, "Locked (2001)/Locked.2001.mkv", "Locked (2001)/deep/x.2002.mkv"])
    t.check(reelscale(["scan", lib, "--db", db, "--json"]), [0], error=False)
    before = keys(db)
    locked = lib / "Locked (2001)"
    locked.chmod(0)
    t.faults = 2
    try:
        r = reelscale(["scan", lib, "--db", db, "--json"], preexec=privileges.preexec)
        t.check(r, [0], error=False)
        if r.code == 0:
            s = r.json()
            denied = [d for d in s["error_details"] if "Permission denied" in d["reason"]]
            if (len(denied), s["removed"]) != (1, 0):
                t.failures.append(f"{len(denied)} folders reported, {s['removed']} removed")
        lib.chmod(0)
        r = reelscale(["scan", lib, "--db", db], preexec=privileges.preexec)
        t.check(r, [2], error=True)
    finally:
        lib.chmod(0o755)
        locked.chmod(0o755)
    t.data_lost = len(before - keys(db))
    return t


def vanishing_files(folder: Path, rng: random.Random, size: int = 3000, rounds: int = 3) -> Trial:
    """Files and folders deleted, recreated and renamed while ``scan`` walks: exit 0 every time,
    the database intact, and a quiet rescan sees every file again."""
    from synthetic.tree import build_tree

    t = Trial("vanishing_files")
    lib, db = folder / "lib", folder / "vanish.db"
    build_tree(lib, size, seed=rng.randrange(1000))
    paths = [os.path.join(d, f) for d, _, files in os.walk(lib) for f in files]
    dirs = [d for d, _, _ in os.walk(lib) if d != str(lib)]
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            if rng.random() < 0.8:
                path = rng.choice(paths)
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    t.faults += 1
                    open(path, "wb").close()
            else:
                path = rng.choice(dirs)
                with contextlib.suppress(OSError):
                    os.rename(path, path + ".away")
                    t.faults += 1
                    os.rename(path + ".away", path)

    worker = threading.Thread(target=churn, daemon=True)
    worker.start()
    try:
        for _ in range(rounds):
            t.check(reelscale(["scan", lib, "--db", db, "--json"]), [0], error=False)
    finally:
        stop.set()
        worker.join()
    r = t.check(reelscale(["scan", lib, "--db", db, "--json"]), [0], error=False)
    check, items = db_state(db)
    if check != "ok":
        t.failures.append(f"integrity_check: {check}")
    if r.code == 0:
        s = r.json()
        if (s["errors"], s["videos"]) != (0, items):
            t.failures.append(
                f"quiet rescan: {s['errors']} errors, {s['videos']} videos, {items} items"
            )
        t.data_lost = max(0, s["videos"] - items)
    return t


NON_UTF8 = (
    b"Caf\xe9 (1999)/Caf\xe9.1999.1080p.mkv",  # Latin-1
    b"Bad\xff\xfe (2001)/Bad\xff.2001.mkv",  # not text in any encoding
    b"\xc3(\xa1 (2005)/x.2005.mkv",  # broken UTF-8
)


def non_utf8_names(folder: Path) -> Trial:
    """Names that are not UTF-8: scanned, listed, exported as JSON that names the same files."""
    t = Trial("non_utf8_names", faults=len(NON_UTF8))
    lib, db, out = folder / "lib", folder / "names.db", folder / "export.jsonl"
    make_files(lib, [*LIBRARY, *NON_UTF8])
    r = t.check(reelscale(["scan", lib, "--db", db, "--json"]), [0], error=False)
    if r.code == 0 and (r.json()["new"], r.json()["errors"]) != (len(LIBRARY) + 3, 0):
        t.failures.append(f"scan: {r.json()['new']} new, {r.json()['errors']} errors")
    t.check(reelscale(["scan", lib, "--db", db]), [0], error=False)
    t.check(reelscale(["list", "--db", db, "--search", "Bad"]), [0], error=False)
    t.check(reelscale(["export", "--db", db, "-o", out]), [0], error=False)
    if out.exists():
        exported = {os.fsencode(json.loads(line)["path"]) for line in out.open(encoding="utf-8")}
        wanted = {os.path.join(os.fsencode(lib), os.fsencode(p)) for p in (*LIBRARY, *NON_UTF8)}
        t.data_lost = len(wanted - exported)
    r = t.check(reelscale(["export", "--db", db], env={**os.environ, "PYTHONIOENCODING": "utf-8"}),
                [0], error=False)  # fmt: skip
    if r.code == 0 and len(r.stdout.splitlines()) != len(LIBRARY) + 3:
        t.failures.append("export to a strict UTF-8 stdout lost lines")
    return t


def read_only_db(folder: Path, privileges: Privileges) -> Trial:
    """The database in a read-only folder (new, existing) and as a read-only file; backups and
    collection files into a read-only folder: one ``Error:`` line, exit 2, nothing changed."""
    t = Trial("read_only_db", method=privileges.method)
    lib, ro, rw = folder / "lib", folder / "ro", folder / "rw"
    make_files(lib, LIBRARY)
    ro.mkdir()
    rw.mkdir()
    db = rw / "r.db"
    t.check(reelscale(["scan", lib, "--db", db]), [0], error=False)
    shutil.copy(db, ro / "r.db")
    before = keys(db)
    make_files(lib, ["New (2020)/New.2020.mkv"])  # so that the next scan has to write
    config = folder / "reelscale.toml"
    from synthetic.library.collection_defs import to_toml

    config.write_text(to_toml(), encoding="utf-8")
    as_user = privileges.preexec
    ro.chmod(0o555)
    db.chmod(0o444)
    try:
        cases = [
            ["scan", lib, "--db", ro / "new.db"],  # cannot create
            ["scan", lib, "--db", ro / "r.db"],  # -wal and -shm cannot be created
            ["scan", lib, "--db", db],  # the file is read-only
            ["db", "backup", ro / "copy.db", "--db", rw / "r.db"],
            ["kometa-yaml", "--config", config, "-o", ro / "k.yml"],
        ]
        for args in cases:
            t.faults += 1
            t.check(reelscale(args, preexec=as_user), [2], error=True)
    finally:
        ro.chmod(0o755)
        db.chmod(0o644)
    extra = leftovers(ro, {"r.db"})
    if extra:
        t.failures.append(f"left in the read-only folder: {extra}")
    for path in (db, ro / "r.db"):
        check, _ = db_state(path)
        if check != "ok":
            t.failures.append(f"{path.name}: integrity_check {check}")
        t.data_lost += len(before - keys(path))
    return t


def disk_full(folder: Path, big_tree: Path) -> Trial:
    """The disk fills while ``scan`` writes the database, ``db backup`` writes a copy and
    ``kometa-yaml`` writes a collection file: one ``Error:`` line, exit 2, the database intact
    with its earlier rows, no partial file left."""
    from synthetic.library.collection_defs import to_toml

    t = Trial("disk_full")
    make_files(folder / "lib", LIBRARY)
    config = folder / "reelscale.toml"
    config.write_text(to_toml(), encoding="utf-8")
    with small_filesystem(folder / "fs") as fs:
        t.method = fs.method
        db = fs.path / "r.db"
        t.check(
            reelscale(["scan", folder / "lib", "--db", db], preexec=fs.preexec), [0], error=False
        )
        before = keys(db)
        t.faults += 1  # the scan of a big tree outgrows the 1 MB left
        fs.fill(leave=2**20)
        preexec = {"rlimit_fsize": fsize_limit(2**20)}.get(fs.method)
        t.check(reelscale(["scan", big_tree, "--db", db], preexec=preexec), [2], error=True)
        fs.unfill()
        check, _ = db_state(db)
        if check != "ok":
            t.failures.append(f"integrity_check after the full disk: {check}")
        t.data_lost += len(before - keys(db))

        big = folder / "big.db"  # a database bigger than the space left, on a roomy disk
        t.check(reelscale(["scan", big_tree, "--db", big]), [0], error=False)
        db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        (fs.path / "k.yml").write_text("old\n", encoding="utf-8")
        fs.fill(leave=0)
        limit = {"rlimit_fsize": fsize_limit(64 * 1024)}.get(fs.method)  # above -shm's 32 KB
        t.faults += 1
        t.check(reelscale(["db", "backup", fs.path / "copy.db", "--db", big], preexec=limit),
                [2], error=True)  # fmt: skip
        tiny = {"rlimit_fsize": fsize_limit(100)}.get(fs.method)
        t.faults += 1
        t.check(reelscale(["kometa-yaml", "--config", config, "-o", fs.path / "k.yml"],
                          preexec=tiny), [2], error=True)  # fmt: skip
        if (fs.path / "k.yml").read_text(encoding="utf-8") != "old\n":
            t.failures.append("the old collection file was changed by a failed write")
            t.data_lost += 1
        extra = leftovers(fs.path, {".filler", "k.yml", "r.db.lock"})  # the lock file stays
        if extra:
            t.failures.append(f"left on the full disk: {extra}")
        check, _ = db_state(big)
        if check != "ok":
            t.failures.append(f"backup source integrity_check: {check}")
    return t


def run_on_full_disk(folder: Path, env: dict[str, str], library: Path, config: Path) -> Trial:
    """``run --source files`` whose database is on a disk that fills: a first run fits, a
    forced second one runs out of space: one ``Error:`` line (exit 1 or 2), nothing lost."""
    t = Trial("run_disk_full")
    with small_filesystem(folder / "fs") as fs:
        t.method = fs.method
        db = fs.path / "r.db"
        args = ["run", "--source", "files", "--library", library, "--config", config, "--db", db]
        args += ["--kometa-file", folder / "k.yml", "--json"]
        preexec = fs.preexec
        t.check(reelscale(args, env=env, preexec=preexec), [0], error=False)
        before = keys(db, "decisions")
        fs.fill(leave=48 * 1024)
        if fs.method == "rlimit_fsize":
            size = max(db.stat().st_size, 64 * 1024)
            preexec = fsize_limit(size)
        t.faults += 1
        t.check(reelscale([*args, "--force-refresh"], env=env, preexec=preexec), [1, 2],
                error=True)  # fmt: skip
        check, _ = db_state(db)
        if check != "ok":
            t.failures.append(f"integrity_check: {check}")
        t.data_lost = len(before - keys(db, "decisions"))
        if not before:
            t.failures.append("the first run decided nothing")
    return t

"""The measuring session of ``bench compare``: shared inputs, worker pairs, interleaved values.

Each round starts a fresh worker process per side (``worker.py`` with
``PYTHONPATH=<exported tree>``) and drives both in lock-step: per workload, both set up and warm
up, then the values alternate between the sides one by one (base, head, head, base, ...; the
next round starts with the other side). A value takes well under a second, so a change in the
machine's load lands on both sides alike, which separate runs (or one worker per side after the
other) cannot promise.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.harness.compare import worker as compare_worker
from benchmarks.harness.workloads import sizes as workloads
from core.errors import BenchError

TREE_FILES = 10_000
MOVIES = 1_000
MODEL = "claude-haiku-5-5"
ANSWER_TIMEOUT_S = 600


def shared_inputs(tmp: Path, chosen: Sequence[str]) -> dict:
    """The inputs both sides get, built once by the current checkout."""
    from synthetic.library.collection_defs import to_toml

    root, _ = workloads.tree(TREE_FILES)
    names = sorted(name for _, _, files in os.walk(root) for name in files)
    (tmp / "names.json").write_text(json.dumps(names), encoding="utf-8")
    (tmp / "reelscale.toml").write_text(to_toml(), encoding="utf-8")
    movies = []
    if "classify" in chosen:
        from synthetic.library.movies import generate

        movies = list(generate(MOVIES, workloads.SEED))
    return {
        "tree": str(root),
        "names": str(tmp / "names.json"),
        "collections": str(tmp / "reelscale.toml"),
        "movies": MOVIES,
        "claude_model": MODEL,
        "library": movies,
    }


class Worker:
    """A worker process over one exported tree, with its own stand-in Claude when needed."""

    def __init__(self, label: str, tree: Path, inputs: dict, tmp: Path, *, claude: bool) -> None:
        from synthetic.servers.claude.server import ClaudeServer

        self.label = label
        self.server = ClaudeServer(inputs["library"]).start() if claude else None
        spec = {k: v for k, v in inputs.items() if k != "library"}
        spec["checkout"] = str(tree)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "RADARR_"))}
        env.update(PYTHONPATH=str(tree), PYTHONHASHSEED="0")
        if self.server:
            spec["claude_url"] = self.server.url
            env[compare_worker.CLAUDE_KEY_ENV] = self.server.config.api_key
        spec_path = tmp / f"spec-{label}.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        self.stderr_path = tmp / f"stderr-{label}.txt"
        self.proc: subprocess.Popen | None = None
        try:
            self._start(spec_path, env, tree)
        except BaseException:
            self.close()
            raise

    def _start(self, spec_path: Path, env: dict, tree: Path) -> None:
        # -P: the worker script's own folder stays off sys.path; only the tree is searched.
        with self.stderr_path.open("wb") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, "-P", compare_worker.__file__, str(spec_path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=env,
                cwd=tree,
            )
        hello = self._read()
        if hello.get("error"):
            raise BenchError(f"the {self.label} worker refused to measure: {hello['error']}")
        self.core_file = hello["core_file"]

    def ask(self, op: str, workload: str) -> dict:
        try:
            self.proc.stdin.write(json.dumps({"op": op, "workload": workload}) + "\n")
            self.proc.stdin.flush()
        except OSError:  # the worker died: _read reports how, with its stderr
            pass
        return self._read()

    def _read(self) -> dict:
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            ready = selector.select(ANSWER_TIMEOUT_S)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            if ready:
                self.proc.wait(timeout=30)
            tail = self.stderr_path.read_text(errors="replace").strip()[-800:]
            why = "did not answer in time" if not ready else f"exited {self.proc.returncode}"
            raise BenchError(f"the {self.label} compare worker {why}: {tail}")
        return json.loads(line)

    def close(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
                self.proc.stdin.close()
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        if self.server:
            self.server.stop()
            self.server = None


def run_round(
    sides: Sequence,
    trees: dict[str, Path],
    inputs: dict,
    chosen: Sequence[str],
    values: int,
    tmp: Path,
    *,
    first: int,
    progress: Callable[[str], None],
) -> None:
    """One round: a fresh worker per side; values appended to ``side.values`` or ``side.errors``.

    ``first`` (0 or 1) is the side that times first; the order then alternates value by value.
    """
    from synthetic.servers.traffic import set_time_scale

    previous = set_time_scale(0)
    started: list[Worker] = []
    try:
        for side in sides:
            claude = "classify" in chosen and "classify" not in side.errors
            started.append(Worker(side.label, trees[side.label], inputs, tmp, claude=claude))
        pairs = list(zip(sides, started, strict=True))
        for workload in chosen:
            if any(workload in side.errors for side in sides):
                continue
            progress(f"  {workload}")
            if not _all_ok(pairs, "setup", workload):
                continue
            order = pairs if first == 0 else pairs[::-1]
            for _ in range(values):
                for side, worker in order:
                    answer = worker.ask("time", workload)
                    if "error" in answer:
                        side.errors[workload] = answer["error"]
                    else:
                        side.values.setdefault(workload, []).append(answer["value"])
                if any(workload in side.errors for side in sides):
                    break
                order = order[::-1]
    finally:
        for worker in started:
            worker.close()
        set_time_scale(previous)


def _all_ok(pairs, op: str, workload: str) -> bool:
    ok = True
    for side, worker in pairs:
        answer = worker.ask(op, workload)
        if "error" in answer:
            side.errors[workload] = answer["error"]
            ok = False
    return ok

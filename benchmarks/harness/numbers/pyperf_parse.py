"""pyperf micro-benchmark of the release-name parser on the real corpora.

    reelscale bench pyperf parse -o results/pyperf/parse.json
    python -m pyperf compare_to base.json head.json   # same -p/-n on both sides!

One value = one pass over every corpus name; names/s = names / value. The output file is
scrubbed of local paths and the host name before it is committed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyperf

from benchmarks.harness.scrub import scrub_pyperf
from benchmarks.harness.workloads.parse_accuracy import CORPORA, load_corpus
from core.pipeline.source.release_name import parse

#: How pyperf starts a worker: the same command (it adds --worker and its own options).
WORKER = ("-m", "core", "bench", "pyperf", "parse")


def parse_all(names):
    for name in names:
        parse(name)


def run(pyperf_args: Sequence[str]) -> None:
    """Run the benchmark with pyperf's own command-line options (``--fast``, ``-o FILE``, ...)."""
    runner = pyperf.Runner(program_args=WORKER)
    runner.parse_args(list(pyperf_args))
    names = [r["name"] for path in CORPORA.values() for r in load_corpus(path)]
    runner.metadata["description"] = f"parse() over {len(names)} corpus release names"
    runner.bench_func(f"parse_corpus[{len(names)} names]", parse_all, names)
    if not runner.args.worker and runner.args.output:
        scrub_pyperf(runner.args.output)

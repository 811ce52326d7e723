"""pyperf micro-benchmark of the release-name parser on the real corpora.

    python benchmarks/pyperf_parse.py -o results/pyperf/parse.json
    python -m pyperf compare_to base.json head.json   # same -p/-n on both sides!

One value = one pass over every corpus name; names/s = names / value. The output file is
scrubbed of local paths and the host name before it is committed.
"""

import pyperf

from benchmarks.harness.scrub import scrub_pyperf
from benchmarks.harness.workloads.parse_accuracy import CORPORA, load_corpus
from core.pipeline.source.release_name import parse


def parse_all(names):
    for name in names:
        parse(name)


if __name__ == "__main__":
    runner = pyperf.Runner()
    names = [r["name"] for path in CORPORA.values() for r in load_corpus(path)]
    runner.metadata["description"] = f"parse() over {len(names)} corpus release names"
    runner.bench_func(f"parse_corpus[{len(names)} names]", parse_all, names)
    if not runner.args.worker and runner.args.output:
        scrub_pyperf(runner.args.output)

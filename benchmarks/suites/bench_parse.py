"""Release-name parser: throughput on the real corpora and accuracy on them."""

import os
import subprocess
import sys

from benchmarks.harness.workloads.parse_accuracy import CORPORA, load_corpus, score
from core.pipeline.source.release_name import parse


def _corpus_names():
    names = []
    for path in CORPORA.values():
        names.extend(r["name"] for r in load_corpus(path))
    return names


class Parse:
    def setup(self):
        self.names = _corpus_names()

    def time_parse_corpus(self):
        """All corpus names once (see track_names_per_call for the count)."""
        for name in self.names:
            parse(name)

    def track_names_per_call(self):
        return len(self.names)

    track_names_per_call.unit = "names"

    def track_accuracy_ptn(self):
        return 100 * score(load_corpus(CORPORA["ptn"]))["accuracy"]

    track_accuracy_ptn.unit = "%"

    def track_accuracy_guessit_movies(self):
        return 100 * score(load_corpus(CORPORA["guessit_movies"]))["accuracy"]

    track_accuracy_guessit_movies.unit = "%"


class ParseCLI:
    """`reelscale parse` end to end (process start, stdin, JSON out) on 100k corpus names."""

    number = 1
    repeat = (1, 3, 60.0)
    rounds = 1

    def setup(self):
        names = _corpus_names()
        lines = (names * (100_000 // len(names) + 1))[:100_000]
        self.stdin = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")

    def time_cli_100k_names(self):
        subprocess.run(
            [sys.executable, "-m", "core", "parse"],
            input=self.stdin,
            stdout=subprocess.DEVNULL,
            check=True,
            env=dict(os.environ, PYTHONHASHSEED="0"),
        )

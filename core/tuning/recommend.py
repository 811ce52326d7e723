"""Which batch size to use: a sweep of the classify stage over one sample of movies.

Larger batches spread the per-request cost (the cached prefix, the answer's framing) over more
movies, but every movie in a long list is judged a little worse, and long answers risk being cut
at ``max_tokens``. The sweep classifies the same sample at each size, on a fresh store each time,
and reports per size: dollars and seconds per 1,000 judgments (a judgment is one movie against
one collection), the share of requests that had to be retried (split, re-sent or failed), how
much of ``max_tokens`` the longest answer used, and the agreement of its verdicts with the
smallest size's. The recommendation is the cheapest size that agrees on at least 98 % and whose
answers stay under half of ``max_tokens``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace

from core.clients.claude.client import MessagesSettings
from core.config.collection import Collection
from core.pipeline.classify.request import max_tokens_for
from core.pipeline.classify.stage import classify
from core.store.db import Store
from core.store.decisions import all_verdicts
from core.store.runs import request_sizes

MIN_AGREEMENT = 0.98
MAX_OUTPUT_SHARE = 0.5
DEFAULT_SIZES = (5, 10, 25, 50, 100, 200)


@dataclass(slots=True)
class SweepRow:
    batch_size: int
    cost_per_1k: float
    seconds_per_1k: float
    agreement: float
    retry_share: float
    output_share: float
    requests: int
    truth: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def verdicts(store: Store) -> dict[tuple[int, str], bool]:
    return {(item, tag): bool(include) for item, tag, include in all_verdicts(store)}


def sweep(
    fresh_store: Callable[[], Store],
    collections: Sequence[Collection],
    settings: MessagesSettings,
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    seconds: Callable[[Store, float], float] | None = None,
    truth: Callable[[dict[tuple[int, str], bool]], float] | None = None,
) -> list[SweepRow]:
    """One classify run per size on ``fresh_store()``; rows in size order.

    :param seconds: ``(store, wall_seconds) -> seconds`` to report (a latency model when the
        endpoint is a stand-in running faster than real time); default the wall time.
    :param truth: ``verdicts -> agreement with the ground truth``, when it is known.
    """
    rows, reference = [], None
    for size in sorted(sizes):
        with fresh_store() as store:
            start = time.perf_counter()
            summary = classify(store, collections, replace(settings, batch_size=size), mode="sync")
            wall = time.perf_counter() - start
            got = verdicts(store)
            worst = _output_share(store, len(collections))
            took = seconds(store, wall) if seconds else wall
        reference = reference if reference is not None else got
        same = sum(got.get(pair) == verdict for pair, verdict in reference.items())
        judgments = max(1, summary.pairs_planned)
        retried = summary.splits + summary.requeued + summary.failed + sum(summary.errors.values())
        rows.append(
            SweepRow(
                batch_size=size,
                cost_per_1k=summary.cost_usd / judgments * 1000,
                seconds_per_1k=took / judgments * 1000,
                agreement=same / max(1, len(reference)),
                retry_share=retried / max(1, summary.requests),
                output_share=worst,
                requests=summary.requests,
                truth=truth(got) if truth else None,
            )
        )
    return rows


def _output_share(store: Store, n_collections: int) -> float:
    worst = 0.0
    for items, output in request_sizes(store):
        worst = max(worst, output / max_tokens_for(items, n_collections))
    return worst


def recommend(rows: Sequence[SweepRow]) -> int | None:
    """The cheapest batch size that agrees enough and leaves room under ``max_tokens``."""
    fit = [r for r in rows if r.agreement >= MIN_AGREEMENT and r.output_share <= MAX_OUTPUT_SHARE]
    return min(fit, key=lambda r: (r.cost_per_1k, r.batch_size)).batch_size if fit else None


# Every column of the sweep, as the report and the command print it: (heading, what it means).
COLUMNS = (
    ("batch size", "movies per Claude request"),
    ("$ / 1k judgments", "billed dollars per 1,000 judgments (one movie against one collection)"),
    (
        "s / 1k judgments",
        "seconds per 1,000 judgments at the configured concurrency (with --simulate: from the "
        "stand-in's latency model)",
    ),
    ("agreement", "share of verdicts equal to the smallest batch size's"),
    ("retried", "share of requests that were split, re-sent or failed"),
    (
        "answer budget used",
        "the largest share of max_tokens (the answer's token budget) one answer used; above "
        "50 % an answer risks being cut off",
    ),
    ("truth", "with --simulate: share of verdicts equal to the synthetic library's ground truth"),
)


def cells(r: SweepRow) -> tuple[str, ...]:
    """One row's values, formatted as the report and the command print them."""
    return (
        str(r.batch_size),
        f"{r.cost_per_1k:.5f}",
        f"{r.seconds_per_1k:.1f}",
        f"{r.agreement:.2%}",
        f"{r.retry_share:.1%}",
        f"{r.output_share:.0%}",
        "-" if r.truth is None else f"{r.truth:.2%}",
    )


def render_html(rows: Sequence[SweepRow], recommended: int | None, title: str) -> str:
    """A one-page report: the table, what each column means, and two charts (cost, accuracy).

    Rendered from ``batch_size.html.j2`` with autoescaping (``title`` may hold any text); the
    charts are matplotlib SVG inlined in the page, so it opens offline.
    """
    from core.templating import render
    from core.tuning.plot import lines_chart

    cost = lines_chart(
        [("USD per 1k judgments", [(r.batch_size, r.cost_per_1k) for r in rows])],
        "batch size",
        "USD per 1k judgments",
        log_x=True,
        zero_based=False,
        mark=recommended,
        chart_id="batch-cost",
    )
    accuracy = [
        ("agreement with the smallest size", [(r.batch_size, 100 * r.agreement) for r in rows])
    ]
    if any(r.truth is not None for r in rows):
        truth = [(r.batch_size, 100 * r.truth) for r in rows if r.truth is not None]
        accuracy.append(("agreement with the ground truth", truth))
    agree = lines_chart(
        accuracy,
        "batch size",
        "% of verdicts",
        log_x=True,
        zero_based=False,
        mark=recommended,
        chart_id="batch-accuracy",
    )
    table = [{"recommended": r.batch_size == recommended, "cells": cells(r)} for r in rows]
    return render(
        __file__,
        "batch_size.html.j2",
        title=title,
        recommended=recommended,
        columns=COLUMNS,
        rows=table,
        cost_chart=cost,
        agreement_chart=agree,
        min_agreement=MIN_AGREEMENT,
        max_output_share=MAX_OUTPUT_SHARE,
    )

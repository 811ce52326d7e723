"""The classify stage as the pipeline drives it, with the run's ``[claude]`` and ``[run]``.

A run over Radarr and Sonarr judges its movies and its series in two calls, one per kind, each in
requests of its own; the run's budget is shared: the series call gets what the movies left
(``spent``).
"""

from __future__ import annotations

from core.clients.claude.client import KEY_REJECTED, MessagesSettings
from core.config.model import ClaudeSettings, RunSettings
from core.errors import ConfigError
from core.pipeline.classify.stage import Budget, classify
from core.pipeline.classify.summary import ClassifySummary, merged
from core.pipeline.context import RunContext


class ClassifyStep:
    name = "classify"

    def __init__(self, claude: ClaudeSettings, run: RunSettings) -> None:
        self.messages = MessagesSettings(
            claude=claude, batch_size=run.batch_size, explain=run.explain
        )
        self.budget = Budget(max_items=run.max_items, max_cost=run.max_cost)
        self.mode = run.mode

    def run(self, ctx: RunContext, kind: str = "movies", spent=()) -> ClassifySummary:
        """Judge the items of ``kind``; ``spent`` are the summaries of this run's earlier calls,
        whose items and dollars count against the budget."""
        judged = classify(
            ctx.store,
            ctx.collections,
            self.messages,
            force=ctx.options.force_refresh,
            budget=self._left(spent),
            kind=kind,
            dry_run=ctx.options.dry_run and not ctx.options.judge,
            mode=self.mode,
            poll_s=ctx.options.poll_s,
            reporter=ctx.reporter,
            should_stop=ctx.should_stop,
            run_id=ctx.run_id,
        )
        if judged.stopped == KEY_REJECTED:  # a setting to fix (exit 2), not a run to resume
            raise ConfigError(judged.stopped)
        return judged

    def _left(self, spent) -> Budget:
        if not spent:
            return self.budget
        used = merged(list(spent))
        max_items, max_cost = self.budget.max_items, self.budget.max_cost
        if max_items is not None:
            max_items = max(0, max_items - used.items_admitted)
        if max_cost is not None:
            max_cost = max(0.0, max_cost - used.cost_usd)
        return Budget(max_items=max_items, max_cost=max_cost)

"""The classify stage as the pipeline drives it, with the run's ``[claude]`` and ``[run]``."""

from __future__ import annotations

from core.clients.claude.client import KEY_REJECTED, MessagesSettings
from core.config.model import ClaudeSettings, RunSettings
from core.errors import ConfigError
from core.pipeline.classify.stage import Budget, classify
from core.pipeline.classify.summary import ClassifySummary
from core.pipeline.context import RunContext


class ClassifyStep:
    name = "classify"

    def __init__(self, claude: ClaudeSettings, run: RunSettings) -> None:
        self.messages = MessagesSettings(
            claude=claude, batch_size=run.batch_size, explain=run.explain
        )
        self.budget = Budget(max_items=run.max_items, max_cost=run.max_cost)
        self.mode = run.mode

    def run(self, ctx: RunContext) -> ClassifySummary:
        judged = classify(
            ctx.store,
            ctx.collections,
            self.messages,
            force=ctx.options.force_refresh,
            budget=self.budget,
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

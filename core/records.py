"""The records stages hand to the run and to each other (plain slots dataclasses).

A stage's own detailed summary (``ScanSummary``, ``EnrichSummary``, ``ClassifySummary``...) stays
in its package; these are the shapes the pipeline's driver reads from every source, stage and
sink alike, so it never asks which one it is talking to.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Problem:
    """Something that went wrong ``count`` times, with a few examples for the summary."""

    cause: str
    count: int = 1
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StageOutcome:
    """What a source or a stage before classify did: the run report's view of it.

    ``library`` is the source's summary (``--json`` key ``library``); ``retries`` are requests
    sent again, per outside service; ``stopped`` says why it stopped early (a signal), if it did.
    """

    requests: int = 0
    library: dict | None = None
    retries: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    stopped: str | None = None


@dataclass(slots=True)
class CollectionChange:
    """One collection after a run: its members and what the run changed, in ``source`` (the
    server or folder whose items these are: ``radarr``, ``sonarr``, ``files``)."""

    name: str
    tag: str
    members: int = 0
    added: int = 0
    removed: int = 0
    failed: int = 0
    created: bool = False
    source: str = ""


@dataclass(slots=True)
class SinkResult:
    """What a sink wrote (or, in a dry run, would write).

    ``changes`` per collection (empty for a sink that only writes a file); ``service`` the
    request counters of the outside service written to, when there is one.
    """

    changes: list[CollectionChange] = field(default_factory=list)
    requests: int = 0
    problems: list[Problem] = field(default_factory=list)
    stopped: str | None = None
    kometa_file: str | None = None
    service: dict[str, int] | None = None

"""The pipeline of one run, chosen once from the configuration.

``build`` picks the source (Radarr or a folder), the stages between it and classify (enrich, for
a folder), and the sinks (Radarr's tags and their Kometa file; a folder's Kometa file; in a dry
run, sinks that compute the difference and write nothing). Nothing after this asks which source
or sink it is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.config import Config
from core.pipeline.classify.step import ClassifyStep
from core.pipeline.context import RunOptions

FILES_KOMETA = "reelscale-collections.yml"


@dataclass(slots=True)
class Pipeline:
    """source -> stages -> classify -> sinks; ``close()`` releases the clients."""

    source: object
    stages: list = field(default_factory=list)
    classify: ClassifyStep | None = None
    sinks: list = field(default_factory=list)
    clients: list = field(default_factory=list)

    def close(self) -> None:
        for client in self.clients:
            client.close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def build(config: Config, options: RunOptions, db_path: str | Path) -> Pipeline:
    """The pipeline ``config`` describes; ``db_path`` places a folder library's default
    Kometa file next to the database."""
    write = not options.dry_run
    classify = ClassifyStep(config.claude, config.run)
    if config.source == "radarr":
        from core.clients.radarr import RadarrClient
        from core.pipeline.sink.sinks import KometaTaglist, RadarrTags
        from core.pipeline.source.sources import RadarrLibrary

        client = RadarrClient(config.radarr)
        sinks = [RadarrTags(client, write=write)]
        if config.run.kometa_file and write:
            sinks.append(KometaTaglist(config.run.kometa_file))
        return Pipeline(RadarrLibrary(client), [], classify, sinks, [client])
    from core.pipeline.enrich.stage import EnrichStep
    from core.pipeline.sink.sinks import FileChanges
    from core.pipeline.source.sources import FileLibrary

    kometa_file = config.run.kometa_file or str(Path(db_path).with_name(FILES_KOMETA))
    return Pipeline(
        FileLibrary(config.run.library),
        [EnrichStep(config.tmdb)],
        classify,
        [FileChanges(kometa_file, write=write)],
    )

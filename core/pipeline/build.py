"""The pipeline of one run, chosen once from the configuration.

``build`` picks, for each source of the run (Radarr, Sonarr, both, or a folder), a :class:`Part`:
the source, the stages between it and classify (enrich, for a folder), the kind of items it holds
(movies or series, which decides the collections they are judged against) and its sinks (the
server's tags and their Kometa file; a folder's Kometa file; in a dry run, sinks that compute the
difference and write nothing). Nothing after this asks which source or sink it is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.config import Config
from core.pipeline.classify.step import ClassifyStep
from core.pipeline.context import RunOptions

FILES_KOMETA = "reelscale-collections.yml"
FILES_SERIES_KOMETA = "reelscale-series-collections.yml"


@dataclass(slots=True)
class Part:
    """One source of the run, its stages and sinks, and the kind of items it holds."""

    source: object
    stages: list = field(default_factory=list)
    sinks: list = field(default_factory=list)
    kind: str = "movies"


@dataclass(slots=True)
class Pipeline:
    """parts (source -> stages) -> classify, per kind -> sinks; ``close()`` releases the clients."""

    parts: list[Part]
    classify: ClassifyStep | None = None
    clients: list = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        """The kinds of items the run judges, in source order, each once."""
        return list(dict.fromkeys(p.kind for p in self.parts))

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
    pipeline = Pipeline([], ClassifyStep(config.claude, config.run))
    try:
        for source in config.sources:
            pipeline.parts.append(_part(source, config, write, db_path, pipeline.clients))
            if source == "files" and any(c.covers("series") for c in config.collections):
                pipeline.parts.append(_folder_series_part(config, write, db_path))
    except BaseException:
        pipeline.close()
        raise
    return pipeline


def _part(source: str, config: Config, write: bool, db_path, clients: list) -> Part:
    if source == "radarr":
        from core.clients.radarr import RadarrClient
        from core.pipeline.sink.arr_tags import RADARR_SIDE
        from core.pipeline.source.radarr import MOVIES

        client = RadarrClient(config.radarr)
        clients.append(client)
        return _arr_part(client, MOVIES, RADARR_SIDE, config.run.kometa_file, write, "movies")
    if source == "sonarr":
        from core.clients.sonarr import SonarrClient
        from core.pipeline.sink.arr_tags import SONARR_SIDE
        from core.pipeline.source.sonarr import SERIES

        client = SonarrClient(config.sonarr)
        clients.append(client)
        kometa = config.run.kometa_series_file
        return _arr_part(client, SERIES, SONARR_SIDE, kometa, write, "series")
    from core.pipeline.enrich.stage import EnrichStep
    from core.pipeline.sink.sinks import FileChanges
    from core.pipeline.source.scan_parse import default_workers
    from core.pipeline.source.sources import FileLibrary

    kometa_file = config.run.kometa_file or str(Path(db_path).with_name(FILES_KOMETA))
    return Part(
        FileLibrary(config.run.library, default_workers()),
        [EnrichStep(config.tmdb)],
        [FileChanges(kometa_file, write=write)],
    )


def _folder_series_part(config: Config, write: bool, db_path) -> Part:
    """The folder's series (grouped from its episode files by the scan, matched by enrich),
    judged against the series collections; their Kometa file (``tvdb_show``/``tmdb_show``, for
    the show library) next to the database unless ``kometa_series_file`` says where."""
    from core.pipeline.sink.sinks import FileChanges
    from core.pipeline.source.sources import FolderSeries

    path = config.run.kometa_series_file or str(Path(db_path).with_name(FILES_SERIES_KOMETA))
    return Part(FolderSeries(), [], [FileChanges(path, write=write, kind="series")], "series")


def _arr_part(client, kind, side, kometa_file: str | None, write: bool, items: str) -> Part:
    from core.pipeline.sink.kometa_file import TAGLIST_KEYS
    from core.pipeline.sink.sinks import ArrTags, KometaTaglist
    from core.pipeline.source.sources import ArrLibrary

    sinks = [ArrTags(client, side, write=write)]
    if kometa_file and write:
        sinks.append(KometaTaglist(kometa_file, TAGLIST_KEYS[items]))
    return Part(ArrLibrary(client, kind), [], sinks, items)

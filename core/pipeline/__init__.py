"""The production path, one stage per package, driven by :func:`~core.pipeline.run.run_pipeline`.

    source/    read the library into the store: Radarr (one streamed request) or a folder of
               files (an incremental scan and the release-name parser)
    enrich/    match a folder's movies to TMDB through the provider cache
    plan/      which (movie, collection) pairs need a judgment, in priority order, within budget
    classify/  judge them with Claude, batched, every answer priced and recorded as it arrives
    sink/      write the result: Radarr's tags, Kometa collection files, or (dry run) nothing

``build`` picks the source, the stages and the sinks once from the configuration; the stages
hand records (:mod:`core.records`) to the run, and the store carries the library and the
decisions from one stage, and one run, to the next. ``checks`` is what a run needs before it
starts, ``context`` what every stage is handed, ``profile`` the per-stage time and memory.
"""

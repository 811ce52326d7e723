"""Where a run's decisions go: Radarr's tags (``radarr_tags``), Kometa collection files
(``kometa_file``), picked by ``build`` as the sinks of ``sinks``."""

"""Where a run's decisions go: Radarr's and Sonarr's tags (``arr_tags``), Kometa collection files
(``kometa_file``), picked by ``build`` as the sinks of ``sinks``."""

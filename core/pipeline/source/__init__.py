"""Where the library comes from: a Radarr server (``radarr``: one streamed list, mirrored into
the store) or a folder of movie files (``files``: an incremental scan, ``walk`` and the
release-name parser ``release_name``). ``sources`` is both as the pipeline drives them."""

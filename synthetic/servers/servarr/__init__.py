"""What the Radarr and Sonarr stand-ins share: the two apps are one codebase (Servarr), so their
error answers and tag books are alike."""

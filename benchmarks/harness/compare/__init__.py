"""Two commits' wall time measured interleaved in one session: ``reelscale bench compare``."""

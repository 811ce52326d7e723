"""The real peer, Kometa-AI, run unmodified beside reelscale against the same stand-ins.

``reelscale bench peer --kometa-ai PATH`` installs the peer's release from PATH into its own
virtual environment (:mod:`.install`), writes one Kometa config folder with a ``# === KOMETA-AI
===`` block per collection (:mod:`.world`), and runs each tool twice (first run, rerun with nothing
changed) against its own fresh stand-in Radarr and Claude, built from the same seed and library
(:mod:`.runs`). The peer is configured only through its documented environment variables and
its config folder; the Anthropic SDK it uses reads ``ANTHROPIC_BASE_URL``. :mod:`.measure` puts
the figures side by side: Claude requests, tokens and dollars at reelscale's price table (one
table for both), Radarr requests by method, wall time, peak RSS, agreement with the ground truth.
"""

"""What runs around a production run: the preflight checks (``run`` and ``config check`` share
them), the schedule and its loop, stop signals, the run email and Apprise notifications,
Prometheus metrics, the health checks and the memory profile. Operations sit above the
pipeline: they call it, never the reverse."""

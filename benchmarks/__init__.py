"""The benchmark harness (``harness``: every entry point a ``reelscale bench`` command) and the
asv suites (``suites``, asv's ``benchmark_dir``). Both call the same library functions the CLI
calls, against the stand-ins of :mod:`synthetic`."""

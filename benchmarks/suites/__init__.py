"""The asv suites (asv's ``benchmark_dir``): each stage swept over library and batch size."""

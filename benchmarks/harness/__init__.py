"""The benchmark harness.

gate/         the regression gate: deterministic measures (counters, memray peaks, cachegrind
              instruction counts) against committed baselines, and its own validation
compare/      two commits' wall time, interleaved in one session, with a stated factor
report/       the asv dashboard, memray flamegraphs and one index page
reliability/  crash, concurrency, chaos, load, bad-input, filesystem and secrets suites
numbers/      the headline figures written to results/numbers/
workloads/    the synthetic workloads all of the above share
cli/          ``reelscale bench ...``: one click group over all of it
"""

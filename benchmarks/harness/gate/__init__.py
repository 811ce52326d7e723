"""The regression gate: deterministic measurements against committed baselines."""

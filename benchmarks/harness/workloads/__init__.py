"""Synthetic workloads shared by the asv suites, the gate and the numbers commands."""

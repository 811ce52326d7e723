"""The benchmark harness: measurements, the regression gate and the asv runner."""

"""``reelscale recommend-batch-size``: the classify stage swept over batch sizes on one sample,
the cheapest size that keeps its verdicts, and the report that shows the trade-off."""

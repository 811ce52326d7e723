"""Which (movie, collection) pairs need a judgment this run, and in which order (``stage``)."""

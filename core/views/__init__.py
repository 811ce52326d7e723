"""Read-only answers over the store: who is in a collection and why (``reelscale list``), and
the library with its decisions as JSON lines (``reelscale export``)."""

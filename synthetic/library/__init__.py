"""The synthetic library: movies with titles, genres, overviews and hidden traits (``movies``),
drawn from static vocabularies (``words``, ``titles``, ``pools``), and the ten collections that
ask for those traits (``collection_defs``), so every judgment has a right answer."""

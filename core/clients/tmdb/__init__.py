"""TMDB v3: search by title and year, details by id; rate-limited, retried, keys in headers."""

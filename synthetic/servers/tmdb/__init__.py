"""The stand-in TMDB v3 API: movie search and details for the synthetic library, limited per IP
as TMDB is."""

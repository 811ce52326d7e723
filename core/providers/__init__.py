"""Clients for metadata providers (TMDB)."""

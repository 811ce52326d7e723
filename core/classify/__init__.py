"""Batch classification of movies into collections with Claude."""

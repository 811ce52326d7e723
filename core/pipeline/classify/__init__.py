"""Batch classification of movies into collections with Claude.

``classify`` (the stage, :mod:`core.pipeline.classify.stage`) is imported on first use, so that
modules needing only the wire format do not load the Claude SDK.
"""

__all__ = ["classify"]


def __getattr__(name: str):
    if name == "classify":
        from core.pipeline.classify.stage import classify

        return classify
    raise AttributeError(f"module 'core.pipeline.classify' has no attribute {name!r}")

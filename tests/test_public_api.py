import core
import core.classify


def test_public_names_are_pinned():
    assert core.__all__ == [
        "ReelscaleError",
        "Store",
        "enrich",
        "load_collections",
        "open_store",
        "plan",
        "scan",
    ]
    assert all(callable(getattr(core, name)) for name in core.__all__)
    assert core.classify.__all__ == ["classify"] and callable(core.classify.classify)

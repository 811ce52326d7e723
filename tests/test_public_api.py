import core
import core.classify
import core.enrich
import core.plan


def test_public_names_are_pinned():
    assert core.__all__ == ["ReelscaleError", "Store", "load_collections", "open_store", "scan"]
    assert all(callable(getattr(core, name)) for name in core.__all__)
    assert core.classify.__all__ == ["classify"] and callable(core.classify.classify)
    assert callable(core.enrich.enrich) and callable(core.plan.plan)

import core
import core.pipeline.classify
import core.pipeline.enrich.stage
import core.pipeline.plan.stage


def test_public_names_are_pinned():
    assert core.__all__ == ["ReelscaleError", "Store", "load_collections", "open_store", "scan"]
    assert all(callable(getattr(core, name)) for name in core.__all__)
    assert core.pipeline.classify.__all__ == ["classify"] and callable(
        core.pipeline.classify.classify
    )
    assert callable(core.pipeline.enrich.stage.enrich) and callable(core.pipeline.plan.stage.plan)

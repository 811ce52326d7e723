"""``reelscale bench numbers kometa-switch`` on a small library: every property it records holds,
and a broken one is reported (exit 1). Kometa-AI's code is the copy in tests/data (MIT)."""

from pathlib import Path

import pytest

from benchmarks.harness.numbers.kometa_switch import measure

PEER = Path(__file__).parents[1] / "data" / "kometa-ai" / "peer"


@pytest.mark.slow
def test_switch_properties_hold_on_a_small_library():
    result = measure(PEER, 60, 5, progress=lambda _: None)
    assert result["checks"] and all(result["checks"].values()), result["checks"]
    assert result["first_run"]["movies_judged"] == 5
    assert result["import"]["imported"] == result["kometa_ai"]["pairs_decided"] > 0
    assert result["first_run"]["tags_removed"] > 0  # the threshold Kometa-AI ignored


def test_a_folder_that_is_not_kometa_ai_is_a_clear_error(tmp_path):
    from core.errors import BenchError

    with pytest.raises(BenchError, match="not Kometa-AI's source"):
        measure(tmp_path, 10, 0, progress=lambda _: None)

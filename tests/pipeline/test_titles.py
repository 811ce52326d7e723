import pytest

from core.pipeline.source.release_name import parse
from core.titles import candidates


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Heat", ("Heat",)),
        (
            "Енола Голмс / Enola Holmes",
            ("Енола Голмс / Enola Holmes", "Enola Holmes", "Енола Голмс"),
        ),
        ("Брат Brother", ("Брат Brother", "Brother", "Брат")),
        (
            "千と千尋の神隠し Spirited Away",
            ("千と千尋の神隠し Spirited Away", "Spirited Away", "千と千尋の神隠し"),
        ),
        ("Sydney AKA Hard Eight", ("Sydney AKA Hard Eight", "Sydney", "Hard Eight")),
        ("Le Samouraï | The Samurai", ("Le Samouraï | The Samurai", "Le Samouraï", "The Samurai")),
        ("Site - Movie Title", ("Site - Movie Title", "Movie Title", "Site")),
        ("Léon 2", ("Léon 2",)),
        ("WandererSilence", ("WandererSilence", "Wanderer Silence")),
    ],
)
def test_candidates_are_ranked_and_unique(title, expected):
    assert candidates(title) == expected


def test_a_release_exposes_its_candidates():
    r = parse("Брат.Brother.1997.1080p.BluRay.x264-GRP.mkv")
    assert (r.title, r.year) == ("Брат Brother", 1997)
    assert r.titles == ("Брат Brother", "Brother", "Брат")
    assert parse("").titles == ()

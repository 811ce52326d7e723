"""The stand-in Claude judges series requests from the series library's ground truth."""

import dataclasses

import anthropic

from core.clients.claude import wire
from synthetic.library.series import SERIES_COLLECTIONS, generate_series, truth
from synthetic.servers.claude.model import (
    DEFAULT_ACCURACY,
    PERFECT,
    SERIES_BY_NAME,
    Truth,
    judge_all,
)


def series_request(shows):
    collections = [
        wire.WireCollection(str(i), c.name, c.prompt) for i, c in enumerate(SERIES_COLLECTIONS, 1)
    ]
    lines = [
        dataclasses.replace(
            wire.WireMovie("", s.title, s.year, tuple(s.genres), s.overview, ()), mid=f"m{i}"
        )
        for i, s in enumerate(shows, 1)
    ]
    return collections, lines


def members(judged, collections, shows, threshold=0.7):
    name_of = {c.cid: c.name for c in collections}
    out = {c.name: set() for c in collections}
    for record, show in zip(judged.results, shows, strict=True):
        for x in record["in"]:
            if x["p"] >= threshold:
                out[name_of[x["c"]]].add(show.id)
    return out


def test_a_perfect_judge_answers_the_series_truth():
    shows = list(generate_series(200, 3))
    collections, lines = series_request(shows)
    judged = judge_all(Truth(shows), PERFECT, 1, collections, lines, SERIES_BY_NAME)
    assert judged.unknown == 0 and judged.flipped == 0
    assert members(judged, collections, shows) == truth(shows)


def test_errors_grow_with_batch_size_for_series_too():
    shows = list(generate_series(200, 3))
    collections, lines = series_request(shows)
    small = sum(
        judge_all(
            Truth(shows), DEFAULT_ACCURACY, 1, collections, lines[i : i + 10], SERIES_BY_NAME
        ).flipped
        for i in range(0, 200, 10)
    )
    large = judge_all(Truth(shows), DEFAULT_ACCURACY, 1, collections, lines, SERIES_BY_NAME).flipped
    assert large > small


def test_the_server_tells_series_requests_from_movie_requests(make_claude_server):
    shows = list(generate_series(30, 3))
    server = make_claude_server(accuracy=PERFECT, series=shows)
    collections, lines = series_request(shows)
    client = anthropic.Anthropic(api_key=server.config.api_key, base_url=server.url)
    for kind, expect_unknown in (("series", 0), ("movies", 30)):
        system = wire.render_system(collections, kind=kind)
        client.messages.create(
            model="claude-haiku-5-5",
            max_tokens=4000,
            system=system,
            messages=[{"role": "user", "content": wire.render_movies(lines)}],
        )
        assert server.requests()[-1].unknown_movies == expect_unknown


def test_a_sonarr_title_with_its_year_is_known_by_the_folder_title_too():
    shows = list(generate_series(2000, 3))
    dated = [s for s in shows if s.title.endswith(f" ({s.year})")]
    assert dated  # Sonarr's way of telling two shows of one title apart
    truth_ = Truth(shows)
    for show in dated:
        bare = show.title.removesuffix(f" ({show.year})")  # what a grouped folder series says
        found = truth_.find(bare, show.year, show.overview)
        assert found is not None and found.movie_id == show.id
        assert truth_.find(show.title, show.year, show.overview).movie_id == show.id

"""`reelscale export` carries each item's decisions and current tags, streamed in item order."""

import io
import json

from click.testing import CliRunner

from core.cli import cli
from core.store.db import open_store
from core.views.export import export_items

OLD_KEYS = [
    "path",
    "title",
    "year",
    "type",
    "tmdb_id",
    "match_confidence",
    "match_status",
    "genres",
]


def seed(store):
    conn = store.conn
    with store.atomic():
        for i in (1, 2, 3):
            conn.execute(
                "INSERT INTO items (id, source, key, title, year, type, metadata) "
                "VALUES (?, 'files', ?, ?, 2000, 'movie', ?)",
                (i, f"/m/{i}.mkv", f"Movie {i}", json.dumps({"genres": ["Drama"]})),
            )
        rows = [
            (1, "kai-noir", 1, 0.9),
            (1, "kai-sci-fi", 0, 0.1),
            (3, "kai-noir", 0, 0.3),
            (3, "kai-heist", 1, 0.8),
        ]
        conn.executemany(
            "INSERT INTO decisions (item_id, collection, include, confidence, model, prompt_hash, "
            "fingerprint, run_id, decided_at) VALUES (?, ?, ?, ?, 'm', 'h', 'f', 1, 1700000000.5)",
            rows,
        )


def export(store):
    out = io.StringIO()
    count = export_items(store, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(records)
    return records


def test_each_item_carries_its_decisions_and_tags(store):
    seed(store)
    first, second, third = export(store)
    assert list(first)[: len(OLD_KEYS)] == OLD_KEYS  # the old format is a prefix
    assert (first["path"], first["title"], first["genres"]) == ("/m/1.mkv", "Movie 1", ["Drama"])
    assert first["id"] == 1
    assert first["decisions"] == [
        {"collection": "kai-noir", "include": True, "confidence": 0.9, "decided_at": 1700000000.5},
        {
            "collection": "kai-sci-fi",
            "include": False,
            "confidence": 0.1,
            "decided_at": 1700000000.5,
        },
    ]
    assert first["tags"] == ["kai-noir"]
    assert (second["decisions"], second["tags"]) == ([], [])
    assert [d["collection"] for d in third["decisions"]] == ["kai-heist", "kai-noir"]
    assert third["tags"] == ["kai-heist"]


def test_decisions_of_vanished_items_are_skipped(store):
    seed(store)
    conn = store.conn
    conn.execute("PRAGMA foreign_keys=OFF")
    with store.atomic():
        conn.execute("DELETE FROM items WHERE id = 1")
        conn.execute(
            "INSERT INTO decisions (item_id, collection, include, confidence, model, prompt_hash, "
            "fingerprint, run_id, decided_at) VALUES (99, 'kai-noir', 1, 1, 'm', 'h', 'f', 1, 0)"
        )
    records = export(store)
    assert [r["id"] for r in records] == [2, 3]
    assert records[1]["tags"] == ["kai-heist"]


def test_many_items_line_up_with_their_decisions(store):
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO items (id, source, key, title, type) VALUES (?, 'files', ?, ?, 'movie')",
            [(i, f"/m/{i}", f"T{i}") for i in range(1, 1001)],
        )
        store.conn.executemany(
            "INSERT INTO decisions (item_id, collection, include, confidence, model, prompt_hash, "
            "fingerprint, run_id, decided_at) VALUES (?, ?, ?, 0.5, 'm', 'h', 'f', 1, 0)",
            [
                (i, tag, int(i % k == 0))
                for i in range(1, 1001, 3)
                for k, tag in ((2, "a"), (5, "b"))
            ],
        )
    for record in export(store):
        i = record["id"]
        expected = [] if (i - 1) % 3 else [t for k, t in ((2, "a"), (5, "b")) if i % k == 0]
        assert record["tags"] == expected, record
        assert len(record["decisions"]) == (0 if (i - 1) % 3 else 2)


def test_cli_export_writes_the_new_fields(db_path, tmp_path):
    with open_store(db_path) as store:
        seed(store)
    out = tmp_path / "library.jsonl"
    result = CliRunner().invoke(cli, ["export", "--db", str(db_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["tags"] for r in records] == [["kai-noir"], [], ["kai-heist"]]

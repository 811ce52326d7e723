"""Bad input, config files: ``reelscale.toml`` and Kometa-AI blocks in Kometa YAML.

Generated configs have missing fields, wrongly typed values, unknown keys, huge prompts, broken
syntax, undecodable bytes and settings tables with odd values. Properties, through the CLI: no
traceback; ``config check`` exits 0 (and lists what was written) or 2 with ``Error:`` lines that
name the file; ``run`` with a bad config exits 2 and leaves an existing database byte for byte as
it was; ``kometa-yaml -o FILE`` writes nothing when the config is rejected.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from benchmarks.harness.reliability.bad_input.common import (
    DataLost,
    cli_env,
    db_fingerprint,
    db_is_valid,
    invoke,
    leftovers,
)
from core.config.sources import env_names, fields
from core.store.db import open_store

TOML_KEYS = ["name", "prompt", "tag", "confidence_threshold", "enabled", "priority",
             "genres_any", "genres_none", "year_min", "year_max"]  # fmt: skip
BLOCK_KEYS = ["enabled", "prompt", "confidence_threshold", "priority", "candidate_genres",
              "candidate_exclude_genres", "candidate_year_min", "candidate_year_max",
              "include_tags", "name", "tag", "treshold"]  # fmt: skip
SETTING_TABLES = {
    "radarr": ["url", "api_key", "timeout", "list_timeout", "chunk_size"],
    "claude": ["model", "concurrency", "base_url"],
    "run": ["batch_size", "mode", "max_items", "max_cost", "source"],
    "smtp": ["port", "recipients", "security", "trigger"],
    "schedule": ["interval", "start_time", "timezone"],
}
SETTING_NAMES = tuple(
    {n for s, k, info in fields() for n in (f"{s}.{k}", f"[{s}]", *env_names(info))}
)
MAX_LINE = 2000  # an error line never carries a whole huge value

any_char = st.characters(codec=None, exclude_categories=())
scalar = st.one_of(
    st.text(any_char, max_size=30),
    st.sampled_from(["Film Noir", "kai-noir", "KAI Noir!", " ", "", "0.7", "yes", "1h", "sync"]),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
)
value = st.recursive(
    scalar,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from("abc"), inner, max_size=2)
    ),
    max_leaves=8,
)
long_text = st.builds(lambda n, c: c * n, st.integers(200, 5_000), st.sampled_from("ab é\n"))


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else f"{'-' if v < 0 else ''}inf"
    if isinstance(v, str):
        return json.dumps(v)  # lone surrogates come out as \ud800: invalid TOML, reported as such
    if isinstance(v, list):
        return "[" + ", ".join(map(toml_value, v)) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + "}"
    return repr(v) if isinstance(v, float) else str(v)  # float, int, date


collection_table = st.dictionaries(
    st.sampled_from(TOML_KEYS) | st.sampled_from(["collections", "threshold", "x"]),
    value | long_text,
    max_size=6,
)
settings_table = st.sampled_from(sorted(SETTING_TABLES)).flatmap(
    lambda t: st.tuples(
        st.just(t), st.dictionaries(st.sampled_from(SETTING_TABLES[t]), value, max_size=3)
    )
)


def render_toml(tables: list[dict], extra: list[tuple[str, dict]], header: str) -> str:
    out = []
    for table in tables:
        out.append(header)
        out += [f"{k} = {toml_value(v)}" for k, v in table.items()]
    for name, table in extra:
        out.append(f"[{name}]")
        out += [f"{k} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(out) + "\n"


def mangle(text: str, cut: int, junk: str) -> str:
    """Break a config the way an editor or a bad copy does: cut it and splice junk in."""
    at = cut % (len(text) + 1)
    return text[:at] + junk + text[at:]


JUNK = ['"', "[[", "]", "=", "\n[[collection]]\n", '"""', "\\", "\x00", "\ud800"]
toml_files = st.one_of(
    st.builds(
        render_toml,
        st.lists(collection_table, max_size=3),
        st.lists(settings_table, max_size=2),
        st.sampled_from(["[[collection]]", "[collection]", "[[collections]]", "[[ collection ]]"]),
    ),
    st.builds(
        mangle,
        st.builds(
            render_toml,
            st.lists(collection_table, min_size=1, max_size=2),
            st.just([]),
            st.just("[[collection]]"),
        ),
        st.integers(0, 10_000),
        st.sampled_from(JUNK) | st.text(any_char, max_size=5),
    ),
    st.text(any_char, max_size=200),
)

block_value = st.text(any_char, max_size=20) | st.sampled_from(
    ["true", "0.7", "2", "Crime, Drama", "[a, b]", "|", "'x", "{a: 1}", "", "- a"]
)
block_line = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(BLOCK_KEYS), block_value),
    st.builds(lambda k: f"prompt: |\n#   {k}\n#   more", st.text(any_char, max_size=40)),
    st.text(any_char, max_size=30),
)


def render_kometa(blocks: list[tuple[list[str], str, str, bool]], prefix: str) -> str:
    out = [prefix, "collections:"]
    for lines, key, taglist, closed in blocks:
        out.append("  # === KOMETA-AI ===")
        out += ["  # " + line.replace("\n", "\n  ") for line in lines]
        if closed:
            out.append("  # === END KOMETA-AI ===")
        out += [f"  {key}:", f"    radarr_taglist: {taglist}"]
    return "\n".join(out) + "\n"


kometa_block = st.tuples(
    st.lists(block_line, max_size=5),
    st.text(any_char, max_size=20) | st.just("Film Noir"),
    st.text(any_char, max_size=15) | st.just("KAI-noir"),
    st.booleans(),
)
yaml_files = st.builds(
    render_kometa,
    st.lists(kometa_block, max_size=3),
    st.sampled_from(["", "templates:", "\ufeff", "\t", "collections: {}"]),
)


@contextlib.contextmanager
def config_context():
    """A folder with a database that already holds state (a run's rows), shared by the examples."""
    base = Path(tempfile.mkdtemp(prefix="reelscale-bad-config-"))
    try:
        db = base / "state" / "reelscale.db"
        db.parent.mkdir()
        with open_store(db) as store:
            store.conn.execute(
                "INSERT INTO items (source, key, title, type) "
                "VALUES ('files', '/m/A.mkv', 'A', 'movie')"
            )
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def check_errors(result, config: Path, *, named: bool = True) -> None:
    """Exit 2, ``Error:`` first (after any ``Warning:`` lines: a Kometa-AI block can hold both
    a field Kometa-AI ignores and a problem), no line too long; ``named``: the file or the
    setting is named."""
    assert result.exit_code == 2, (result.exit_code, result.stderr[-500:])
    lines = result.stderr.splitlines()
    first = next((n for n, line in enumerate(lines) if not line.startswith("Warning: ")), 0)
    assert "\n".join(lines[first:]).startswith("Error: "), result.stderr[-500:]
    for line in result.stderr.splitlines():
        assert len(line) <= MAX_LINE, line[:200]
    if named:
        assert any(name in result.stderr for name in (config.name, *SETTING_NAMES)), result.stderr


def check_config(base: Path, text: str | bytes, suffix: str) -> int:
    """``config check``, ``kometa-yaml -o`` and ``run`` on one config file."""
    work = Path(tempfile.mkdtemp(dir=base))
    try:
        config = work / f"reelscale{suffix}"
        config.write_bytes(
            text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        )
        env = cli_env()
        checked = invoke(["config", "check", "--config", str(config), "--json"], env)
        assert checked.exit_code in (0, 2), (checked.exit_code, checked.stderr[-500:])
        if checked.exit_code == 2:
            check_errors(checked, config)
        else:
            report = json.loads(checked.output)
            for c in report["collections"]:
                assert c["name"].strip() and c["prompt"].strip() and c["tag"]
                assert 0 < c["confidence_threshold"] <= 1
        before = set(p.name for p in work.iterdir())
        out = work / "out.yml"
        written = invoke(["kometa-yaml", "--config", str(config), "-o", str(out)], env)
        if checked.exit_code == 0:  # kometa-yaml reads the collections only, not the settings
            assert written.exit_code == 0, written.stderr[-500:]
        if written.exit_code == 0:
            assert out.exists()
            out.unlink()
        else:
            assert written.exit_code == 2, written.stderr[-500:]
            if stray := leftovers(work, before):
                raise DataLost(f"rejected kometa-yaml left files: {stray}")
        db = base / "state" / "reelscale.db"
        state = db_fingerprint(db)
        ran = invoke(["run", "--config", str(config), "--db", str(db)], env)
        check_errors(ran, config, named=checked.exit_code == 2)
        if db_fingerprint(db) != state or not db_is_valid(db):
            raise DataLost("a rejected run changed the existing database")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)

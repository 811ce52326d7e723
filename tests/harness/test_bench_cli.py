"""``reelscale bench``: one click tree for every harness entry point, attached lazily by core.

Help for every command, usage errors (exit 2), reelscale errors (``Error: ...`` with their exit
code), commands that really run at small sizes, and the import rules: ``reelscale --help`` loads
no harness code, ``reelscale bench --help`` no measuring code, and nothing imports ``tests/``.
"""

import ast
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from benchmarks.harness import cli as harness_cli
from benchmarks.harness import paths
from benchmarks.harness.paths import REPO
from core.cli import cli
from core.errors import BenchError

GROUPS = ("numbers", "pyperf", "validate", "reliability")
COMMANDS = ("run", "check", "baseline", "compare", "report", *GROUPS)


def _leaves(group: click.Group, prefix: tuple[str, ...] = ("bench",)):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _leaves(command, (*prefix, name))
        else:
            yield (*prefix, name)


LEAVES = sorted(_leaves(harness_cli.bench))


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="reelscale")


def test_bench_help_lists_every_command_and_group():
    result = invoke("bench", "--help")
    assert result.exit_code == 0
    listed = result.output.split("Commands:")[1].split()
    assert set(COMMANDS) <= set(listed)
    for group in GROUPS:  # the group's own help says what each group is for
        assert group in result.output.split("Options:")[0]


def test_the_tree_is_what_the_docs_promise():
    assert {leaf[1:] for leaf in LEAVES} >= {
        ("numbers", "run"),
        ("numbers", "scan"),
        ("numbers", "classify"),
        ("numbers", "list"),
        ("numbers", "cache-stress"),
        ("numbers", "enrich-rate-limited"),
        ("numbers", "leak-check"),
        ("pyperf", "parse"),
        ("pyperf", "cache"),
        ("validate", "gate"),
        ("validate", "compare"),
        ("reliability", "bad-input"),
        ("reliability", "chaos"),
        ("reliability", "concurrency"),
        ("reliability", "crash"),
        ("reliability", "filesystem"),
        ("reliability", "load"),
        ("reliability", "secrets"),
    }


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_has_help(path):
    result = invoke(*path[:-1], path[-1], "--help")
    assert result.exit_code == 0, result.output
    usage, _, rest = result.output.partition("\n\n")
    assert usage.startswith(f"Usage: reelscale {' '.join(path)}")
    assert len(rest.split("Options:")[0].strip()) > 20  # a sentence on what it does


def test_reelscale_help_shows_bench_without_the_harness():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "bench" in result.output.split("Commands:")[1].split()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["numbers", "run", "--sizes", "ten"], "Invalid value for '--sizes': 'ten': expected"),
        (["reliability", "load", "--scales", "0,x"], "Invalid value for '--scales'"),
        (["numbers", "leak-check", "--runs", "2"], "Invalid value for '--runs'"),
        (["validate", "gate", "--kind", "nope"], "Invalid value for '--kind'"),
        (["reliability", "bad-input", "--scale", "0"], "Invalid value for '--scale'"),
        (["check", "--stage", "nope"], "Invalid value for '--stage'"),
        (["numbers", "nope"], "No such command 'nope'"),
        (["baseline"], "Missing option '--update'"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(args, message):
    result = invoke("bench", *args)
    assert result.exit_code == 2
    assert f"Error: {message}" in result.output


def test_a_reelscale_error_is_an_error_line_with_its_exit_code(monkeypatch):
    def fail(**_):
        raise BenchError("asv needs a git checkout to save results: git rev-parse HEAD failed")

    monkeypatch.setattr("benchmarks.harness.suite.run_asv", fail)
    result = invoke("bench", "run")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: asv needs a git checkout to save results: git rev-parse HEAD failed"
    )


def test_help_is_the_harness_groups_own():
    lazy = invoke("bench", "--help").output
    own = CliRunner().invoke(harness_cli.bench, ["--help"], prog_name="reelscale bench").output
    assert lazy == own


def test_the_stage_and_kind_choices_match_the_harness():
    from benchmarks.harness.cli import validate
    from benchmarks.harness.gate import metrics, validation

    assert tuple(metrics.STAGES) == harness_cli.STAGE_NAMES
    assert validate.KINDS == validation.KINDS


# -- commands that run ---------------------------------------------------------------------------


@pytest.fixture
def results(tmp_path, monkeypatch):
    """results/ in a temporary folder, so a command run here writes nothing into the checkout."""
    monkeypatch.setattr(paths, "RESULTS", tmp_path)
    return tmp_path


def test_numbers_cache_stress_writes_its_file(results):
    result = invoke("bench", "numbers", "cache-stress", "--inserts", "3000", "--bound-mb", "0.05")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["inserts"] == 3000 and printed["bound_held"] and printed["evictions"] > 0
    assert json.loads((results / "numbers" / "cache-stress.json").read_text()) == printed


def test_reliability_bad_input_at_a_small_scale_does_not_record(results, monkeypatch):
    recorded = []
    monkeypatch.setattr(
        "benchmarks.harness.reliability.bad_input_suite.record", lambda *a: recorded.append(a)
    )
    args = ["--scale", "0.01", "--only", "radarr_sync"]
    result = invoke("bench", "reliability", "bad-input", *args)
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)
    assert totals["trials"] == 6 and totals["failures"] == 0
    assert recorded == []


def test_pyperf_parse_runs_its_workers_through_the_cli(tmp_path):
    """pyperf starts each worker as `python -m core bench pyperf parse --worker ...`."""
    out = tmp_path / "parse.json"
    command = [sys.executable, "-m", "core", "bench", "pyperf", "parse"]
    proc = subprocess.run(
        [*command, "-p", "1", "-n", "1", "-l", "1", "-w", "0", "-q", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert len(data["benchmarks"]) == 1 and data["benchmarks"][0]["runs"]
    assert data["metadata"]["name"].startswith("parse_corpus[")
    assert "hostname" not in data["metadata"]  # scrubbed before it could be committed


def test_the_leak_check_child_is_not_an_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.harness.numbers.leak_check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "internal worker of `reelscale bench numbers leak-check`" in proc.stderr


# -- import rules --------------------------------------------------------------------------------


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sys.modules), file=sys.stderr)"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    return set(proc.stderr.split())


def test_help_loads_no_measuring_code():
    top = _loaded_after(
        "from core.cli import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert not {m for m in top if m.startswith(("benchmarks", "synthetic"))}
    bench = _loaded_after(
        "from core.cli import cli\ntry:\n    cli(['bench', '--help'])\nexcept SystemExit:\n    pass"
    )
    harness = {m for m in bench if m.startswith("benchmarks")}
    assert harness == {"benchmarks", "benchmarks.harness"} | {
        m for m in harness if m.startswith("benchmarks.harness.cli")
    }
    assert not {m for m in bench if m.startswith(("synthetic", "jinja2", "asv", "pyperf"))}


def _python_files(*folders: str):
    for folder in folders:
        yield from (REPO / folder).rglob("*.py")


def test_no_argparse_entry_point_in_the_harness():
    """Every entry point is a `reelscale bench` command; child workers read plain sys.argv."""
    offenders = []
    for path in _python_files("benchmarks"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if "argparse" in names:
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_nothing_imports_the_tests():
    test_modules = {p.stem for p in (REPO / "tests").rglob("*.py")} | {"tests"}
    offenders = []
    for path in _python_files("core", "synthetic", "benchmarks"):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] in test_modules for name in names):
                offenders.append(f"{path.relative_to(REPO)}: {names}")
        if '"tests"' in text and "sys.path" in text:
            offenders.append(f"{path.relative_to(REPO)}: puts tests/ on sys.path")
    assert offenders == []

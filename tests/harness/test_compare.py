import json
import subprocess

import pytest
from click.testing import CliRunner

from benchmarks.harness.compare import checkout
from benchmarks.harness.compare import session as compare_session
from benchmarks.harness.compare import worker as compare_worker
from benchmarks.harness.compare.compare import (
    WORKLOADS,
    CompareReport,
    CompareSettings,
    Side,
    compare,
    judge,
    signed_rank_p,
)
from benchmarks.harness.compare.slowdown import slowed_clone
from benchmarks.harness.paths import REPO
from core.cli import cli
from core.errors import BenchError, UsageError


def _git(cwd, *args):
    identity = ("-c", "user.name=t", "-c", "user.email=t@example.invalid")
    subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def tiny_repo(tmp_path):
    """A git repository with one commit holding a ``core`` package."""
    repo = tmp_path / "repo"
    (repo / "core").mkdir(parents=True)
    (repo / "core" / "__init__.py").write_text("X = 1\n")
    _git(repo, "init", "--quiet")
    _git(repo, "add", ".")
    _git(repo, "-c", "commit.gpgsign=false", "commit", "--quiet", "-m", "one")
    return repo


# -- verdicts ------------------------------------------------------------------------------------

BASE = [1.00, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.00, 1.02]


def test_clear_slowdown_beyond_factor_is_a_regression():
    c = judge("parse", BASE, [v * 1.5 for v in BASE], factor=1.25)
    assert c.verdict == "regressed" and c.significant and c.p_value < 0.01
    assert c.ratio == pytest.approx(1.5) and c.ratio_of_medians == pytest.approx(1.5)


def test_pairs_carry_the_load_shared_by_both_sides():
    """Load swings 3x between pairs; each head value is 1.4x its partner: caught."""
    load = [1, 3, 1, 2.5, 1, 3, 1.2, 2.8, 1]
    base = [0.3 * f for f in load]
    c = judge("parse", base, [b * 1.4 for b in base], factor=1.25)
    assert c.verdict == "regressed" and c.ratio == pytest.approx(1.4)


def test_clear_speedup_is_an_improvement():
    assert judge("parse", BASE, [v / 1.5 for v in BASE], factor=1.25).verdict == "improved"


def test_significant_but_within_factor_is_unchanged():
    c = judge("parse", BASE, [v * 1.15 for v in BASE], factor=1.25)
    assert c.significant and c.verdict == "unchanged"


def test_large_ratio_that_is_not_significant_is_unchanged():
    head = [b * r for b, r in zip(BASE, [2, 0.5, 2, 0.6, 2, 0.7, 1.9, 2, 0.5], strict=True)]
    c = judge("parse", BASE, head, factor=1.25)
    assert c.ratio > 1.25 and not c.significant and c.verdict == "unchanged"


def test_too_few_pairs_can_never_be_significant():
    c = judge("parse", BASE[:7], [v * 3 for v in BASE[:7]], factor=1.25)
    assert c.p_value is None and not c.significant and "too few values" in c.reason


@pytest.mark.parametrize(("values", "sides"), [([], [1.0]), ([1.0, 2.0], [1.0])])
def test_unpaired_values_are_not_comparable(values, sides):
    assert judge("parse", values, sides, factor=1.25).verdict == "not comparable"


@pytest.mark.parametrize(
    ("differences", "p"),
    [
        ([1] * 9, 2 / 512),
        ([-1] * 9, 2 / 512),
        ([0.5, -0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3], 2 * 3 / 512),  # rank 2 negative
        ([1, -1], 1.0),
        ([0, 0], 1.0),
    ],
)
def test_signed_rank_exact_p(differences, p):
    assert signed_rank_p(differences) == pytest.approx(p)


def test_signed_rank_matches_the_published_table():
    """n=10: W=8 is the two-sided 5 % critical value; P(W <= 8) = 25/1024."""
    ranks_negative = {1, 2, 5}  # sum 8
    differences = [-r if r in ranks_negative else r for r in range(1, 11)]
    assert signed_rank_p(differences) == pytest.approx(2 * 25 / 1024)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"factor": 1.0}, "must be above 1"),
        ({"rounds": 1, "values": 7}, "at least 8 pairs"),
        ({"rounds": 0}, "at least 1"),
        ({"workloads": ("parse", "nope")}, "unknown workload nope"),
        ({"workloads": ()}, "unknown workload"),
    ],
)
def test_bad_settings(kwargs, message):
    with pytest.raises(UsageError, match=message):
        CompareSettings(**kwargs)


def _report(verdicts):
    comparisons = [
        judge(w, BASE, [v * (2 if bad else 1) for v in BASE], factor=1.25)
        for w, bad in verdicts.items()
    ]
    return CompareReport(
        base=Side("base", "HEAD~1", "a" * 40),
        head=Side("head", "HEAD", "b" * 40),
        factor=1.25,
        rounds=3,
        values=3,
        comparisons=comparisons,
    )


def test_report_table_and_json():
    report = _report({"parse": True, "scan": False})
    lines = report.lines()
    assert lines[1].split() == [
        "workload", "base", "median", "head", "median", "ratio", "significant", "verdict",
    ]  # fmt: skip
    assert lines[2].startswith("parse") and lines[2].endswith("regressed")
    assert lines[-1] == "REGRESSED beyond x1.25: parse"
    data = json.loads(json.dumps(report.as_dict()))
    assert data["regressions"] == ["parse"] and data["head"]["commit"] == "b" * 40


# -- git ----------------------------------------------------------------------------------------


def test_export_writes_the_commit_and_leaves_the_repo_alone(tiny_repo, tmp_path):
    commit = checkout.resolve(tiny_repo, "HEAD")
    (tiny_repo / "core" / "__init__.py").write_text("X = 2\n")  # uncommitted: not exported
    out = checkout.export(tiny_repo, commit, tmp_path / "out")
    assert (out / "core" / "__init__.py").read_text() == "X = 1\n"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=tiny_repo, capture_output=True, text=True
    )
    assert status.stdout.split() == ["M", "core/__init__.py"]


def test_a_commit_without_core_is_refused(tiny_repo, tmp_path):
    (tiny_repo / "core" / "__init__.py").unlink()
    _git(tiny_repo, "-c", "commit.gpgsign=false", "commit", "--quiet", "-am", "gone")
    with pytest.raises(UsageError, match="has no core/ package"):
        checkout.export(tiny_repo, checkout.resolve(tiny_repo, "HEAD"), tmp_path / "out")


# -- CLI ----------------------------------------------------------------------------------------


def test_cli_unknown_revision_exits_2(tiny_repo):
    result = CliRunner().invoke(cli, ["bench", "compare", "no-such-rev", "--repo", str(tiny_repo)])
    assert result.exit_code == 2
    assert f"Error: unknown revision 'no-such-rev' in {tiny_repo}" in result.output


@pytest.mark.parametrize("kind", ["missing", "not-git"])
def test_cli_missing_checkout_exits_2(tmp_path, kind):
    folder = tmp_path / kind
    if kind == "not-git":
        folder.mkdir()
    result = CliRunner().invoke(cli, ["bench", "compare", "HEAD", "--repo", str(folder)])
    assert result.exit_code == 2
    expected = "does not exist" if kind == "missing" else "is not a git checkout"
    assert f"Error: {folder} {expected}" in result.output


def test_cli_bad_option_exits_2(tiny_repo):
    args = ["bench", "compare", "HEAD", "--repo", str(tiny_repo), "--factor", "0.9"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "--factor 0.9: must be above 1" in result.output


@pytest.mark.parametrize(("bad", "code"), [(True, 1), (False, 0)])
def test_cli_exit_code_follows_regressions(monkeypatch, bad, code):
    seen = {}

    def fake(base, head, settings, progress):
        seen.update(base=base, head=head, settings=settings)
        return _report({"parse": bad, "rescan": False})

    monkeypatch.setattr("benchmarks.harness.compare.compare.compare", fake)
    args = ["bench", "compare", "v1", "-w", "parse", "-w", "rescan", "--values", "2", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code
    assert json.loads(result.output)["regressions"] == (["parse"] if bad else [])
    assert seen["head"] == "HEAD" and seen["settings"].workloads == ("parse", "rescan")
    assert seen["settings"].values == 2 and seen["settings"].rounds == 4


def test_help_lists_the_workloads():
    result = CliRunner().invoke(cli, ["bench", "compare", "--help"])
    assert ", ".join(WORKLOADS) in " ".join(result.output.split())


# -- worker -------------------------------------------------------------------------------------


#: A tree laid out as before issue #13 (``core.sources``, ``core.store``, ``synthetic.bench``...):
#: stand-ins with the old names' signatures, so every workload can run in a worker.
OLD_LAYOUT = {
    "benchmarks/__init__.py": "",
    "core/__init__.py": "",
    "core/sources/__init__.py": "",
    "core/sources/release_name.py": "def parse(name):\n    return name.upper()\n",
    "core/sources/files.py": (
        "from types import SimpleNamespace\n\n"
        "def scan(root, store):\n    return SimpleNamespace(videos=1, parsed=0)\n"
    ),
    "core/store.py": (
        "import contextlib\n\n@contextlib.contextmanager\n"
        "def open_store(path):\n    open(path, 'a').close()\n    yield path\n"
    ),
    "core/collections.py": "def load_collections(path):\n    return []\n",
    "core/classify/__init__.py": "",
    "core/classify/runner.py": "def MessagesSettings(**settings):\n    return settings\n",
    "core/classify/stage.py": (
        "from types import SimpleNamespace\n\n"
        "def classify(store, collections, settings, mode):\n"
        "    return SimpleNamespace(requests=1)\n"
    ),
    "synthetic/__init__.py": "",
    "synthetic/bench/__init__.py": "",
    "synthetic/bench/classify_workload.py": "def fill_store(store, movies):\n    pass\n",
}


def _tree(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_former_names_are_the_layout_before_the_move():
    assert set(compare_worker.FORMER_NAMES.values()) == {
        "core.sources.release_name",
        "core.sources.files",
        "core.store",
        "core.collections",
        "core.classify.runner",
        "core.classify.stage",
        "synthetic.bench.classify_workload",
    }


def test_worker_measures_a_tree_from_before_the_relayout(tmp_path):
    """Every workload finds its functions under the old module names."""
    tree = _tree(tmp_path / "old", OLD_LAYOUT)
    (tmp_path / "names.json").write_text(json.dumps(["a.1999.mkv", "b.2001.mkv"]))
    inputs = {
        "names": str(tmp_path / "names.json"),
        "tree": str(tmp_path),
        "collections": str(tmp_path / "reelscale.toml"),
        "movies": 2,
        "claude_model": "claude-haiku-5-5",
        "library": [],
    }
    worker = compare_session.Worker("base", tree, inputs, tmp_path, claude=True)
    try:
        assert worker.core_file == str(tree / "core" / "__init__.py")
        for workload in WORKLOADS:
            assert worker.ask("setup", workload) == {"ok": True}, workload
            assert worker.ask("time", workload)["value"] >= 0, workload
    finally:
        worker.close()


def test_a_missing_module_is_reported_by_its_current_name(tmp_path):
    """Neither name present: the error names the module the current layout expects."""
    files = {k: v for k, v in OLD_LAYOUT.items() if not k.startswith("core/sources/")}
    tree = _tree(tmp_path / "old", files)
    (tmp_path / "names.json").write_text("[]")
    worker = compare_session.Worker(
        "base", tree, {"names": str(tmp_path / "names.json")}, tmp_path, claude=False
    )
    try:
        answer = worker.ask("setup", "parse")
    finally:
        worker.close()
    assert answer["error"] == (
        "ModuleNotFoundError: No module named 'core.pipeline.source.release_name' "
        "in the tree under test"
    )


def test_an_import_error_inside_a_current_module_is_not_masked(tmp_path):
    files = {**OLD_LAYOUT, "core/pipeline/__init__.py": "", "core/pipeline/source/__init__.py": ""}
    files["core/pipeline/source/release_name.py"] = "import no_such_dependency\n"
    tree = _tree(tmp_path / "new", files)
    (tmp_path / "names.json").write_text("[]")
    worker = compare_session.Worker(
        "head", tree, {"names": str(tmp_path / "names.json")}, tmp_path, claude=False
    )
    try:
        answer = worker.ask("setup", "parse")
    finally:
        worker.close()
    assert answer["error"] == "ModuleNotFoundError: No module named 'no_such_dependency'"


def test_worker_refuses_when_core_comes_from_elsewhere(tmp_path):
    empty = tmp_path / "empty"  # nothing to import: core would come from the editable install
    empty.mkdir()
    with pytest.raises(BenchError, match="refused to measure: core was imported from"):
        compare_session.Worker("base", empty, {"library": []}, tmp_path, claude=False)


# -- end to end (slow) --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_clone(tmp_path_factory):
    return slowed_clone(REPO, tmp_path_factory.mktemp("compare") / "clone")


@pytest.mark.slow
def test_identical_commits_are_not_flagged(slow_clone):
    settings = CompareSettings(repo=slow_clone, workloads=("parse",), rounds=2, values=4)
    report = compare("HEAD~1", "HEAD~1", settings)
    (c,) = report.comparisons
    assert c.verdict == "unchanged" and len(c.base_values) == len(c.head_values) == 8
    assert 0.8 < c.ratio < 1.25


@pytest.mark.slow
def test_a_slower_parse_is_caught(slow_clone):
    # 3 rounds: with 2, one run in several missed the slowdown while a second test file ran on
    # the other core (pytest-xdist) and other jobs loaded the machine.
    settings = CompareSettings(repo=slow_clone, workloads=("parse", "rescan"), rounds=3, values=4)
    report = compare("HEAD~1", "HEAD", settings)
    assert [c.workload for c in report.regressions] == ["parse"]
    # Flagged means beyond the factor; a ~1.5x slowdown has measured 1.26-1.6 on shared 2-core
    # machines, so the bound asserts the direction, not the size.
    assert report.comparisons[0].ratio > settings.factor


@pytest.mark.slow
def test_a_workload_the_base_cannot_run_is_not_comparable(slow_clone, tmp_path):
    repo = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(slow_clone), str(repo)], check=True)
    _git(repo, "rm", "--quiet", "core/pipeline/source/release_name.py")
    _git(repo, "-c", "commit.gpgsign=false", "commit", "--quiet", "-m", "no parser")
    settings = CompareSettings(repo=repo, workloads=("parse",), rounds=2, values=4)
    (c,) = compare("HEAD", "HEAD~1", settings).comparisons
    assert c.verdict == "not comparable" and "base: ModuleNotFoundError" in c.reason

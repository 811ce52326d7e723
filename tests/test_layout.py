"""Size limits (issue #13): no module over 400 lines, no function over 60 lines or 8 parameters.

A module that long does more than one job; a function that long hides steps that want names, and
a long parameter list repeated between functions wants a small context object. The packages are
walked with ``ast``. Exceptions are listed in ``ALLOWED``, each with its reason; an entry that is
no longer over its limit fails too, so that the list only shrinks.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "synthetic", "benchmarks")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_PARAMETERS = 8  # self and cls not counted

VOCABULARY = "vocabulary data: keyword tables, not logic"
CLICK = "a click command: its parameters are its options"

# "<module path> lines", "<module path>::<function> lines" or "... parameters": its reason.
ALLOWED = {
    "core/pipeline/source/release_words.py lines": VOCABULARY,
    "synthetic/library/words.py lines": VOCABULARY,
    "core/cli/dev.py::synth_serve parameters": CLICK,
    "core/cli/metadata.py::enrich parameters": CLICK,
    "core/cli/recommend.py::recommend_batch_size parameters": CLICK,
    "core/pipeline/classify/stage.py::classify parameters": (
        "the classify stage's one entry point, called with keywords by the CLI, the run, the "
        "benchmarks and `bench compare` in other commits' trees"
    ),
    "core/ops/schedule.py::run_on_schedule parameters": (
        "keyword-only: the loop's two hooks (each report, each next-run time) and the seams tests "
        "drive it through (clock, sleep)"
    ),
    "core/store/migrations.py::m005_classification lines": (
        "a released migration: DDL that is never edited, only followed by new migrations"
    ),
}


def _parameters(args: ast.arguments) -> int:
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return sum(name not in ("self", "cls") for name in names)


def _functions(node: ast.AST, prefix: str = ""):
    """``(qualified name, function node)`` of every function, nested ones and methods included
    (a method is named ``Class.method``)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + child.name, child
            yield from _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


@cache
def over_the_limits() -> dict[str, str]:
    """Everything over a limit: ``"<where> lines|parameters"`` -> how far over."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            lines = len(text.splitlines())
            if lines > MAX_MODULE_LINES:
                found[f"{rel} lines"] = f"{lines} lines"
            for name, fn in _functions(ast.parse(text, filename=rel)):
                length = fn.end_lineno - fn.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found[f"{rel}::{name} lines"] = f"{length} lines"
                count = _parameters(fn.args)
                if count > MAX_PARAMETERS:
                    found[f"{rel}::{name} parameters"] = f"{count} parameters"
    return found


def test_nothing_over_the_limits_unless_allowed():
    unexpected = [f"{key}: {n}" for key, n in over_the_limits().items() if key not in ALLOWED]
    assert not unexpected, (
        f"over {MAX_MODULE_LINES} lines per module, {MAX_FUNCTION_LINES} lines or "
        f"{MAX_PARAMETERS} parameters per function; split them (or allow one, with its reason):\n"
        + "\n".join(unexpected)
    )


def test_every_allowed_entry_is_still_over_its_limit():
    stale = sorted(key for key in ALLOWED if key not in over_the_limits())
    assert not stale, "no longer over the limit; remove from ALLOWED:\n" + "\n".join(stale)


def test_the_walk_sees_what_it_should():
    """The walker itself: methods, nested functions, starred parameters, self and cls."""
    tree = ast.parse(
        "class A:\n"
        "    def m(self, a, *b, c, **d):\n"
        "        def inner(cls, x): pass\n"
        "    @classmethod\n"
        "    def k(cls): pass\n"
        "async def f(a, /, b): pass\n"
    )
    found = {name: _parameters(fn.args) for name, fn in _functions(tree)}
    assert found == {"A.m": 4, "A.m.inner": 1, "A.k": 0, "f": 2}

"""The store's two rules: only core/store writes SQL, and its modules import each other without a
cycle (the layering check of `make lint` will forbid cycles everywhere)."""

import ast
import re
from pathlib import Path

import core

CORE = Path(core.__file__).parent
STORE = CORE / "store"
SQL_ACCESS = re.compile(
    r"\.conn\b|\.execute\(|\.executemany\(|^\s*(import|from) (sqlite3|sqlite_utils)\b"
)


def test_no_sql_outside_the_store_package():
    found = [
        f"{path.relative_to(CORE.parent)}:{n}: {line.strip()}"
        for path in sorted(CORE.rglob("*.py"))
        if STORE not in path.parents
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL_ACCESS.search(line)
    ]
    assert found == []


def _store_imports(path: Path) -> set[str]:
    """The core.store modules ``path`` imports, at module level or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n.removeprefix("core.store.") for n in names if n.startswith("core.store.")}


def test_store_modules_import_each_other_without_a_cycle():
    modules = {p.stem for p in STORE.glob("*.py") if p.stem != "__init__"}
    graph = {m: _store_imports(STORE / f"{m}.py") & modules for m in modules}
    assert "db" not in graph["backup"] and "backup" in graph["db"]
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module not in done:
            for imported in graph[module]:
                visit(imported, (*path, module))
            done.add(module)

    for module in sorted(modules):
        visit(module, ())

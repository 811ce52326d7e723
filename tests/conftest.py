import pytest

from core.store import open_store


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "reelscale.db"


@pytest.fixture
def store(db_path):
    with open_store(db_path) as s:
        yield s


def make_files(root, relpaths):
    """Create empty files (and their folders) under ``root``; returns their paths."""
    paths = []
    for rel in relpaths:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        paths.append(path)
    return paths

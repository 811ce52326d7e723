"""Opening the store never imports numpy or pandas (sqlite-utils would, when they are installed:
6.3 MB of heap for every command, once matplotlib brought numpy in), and numpy still imports."""

import subprocess
import sys

import pytest

CODE = """
import sys
from core.store import open_store
assert "numpy" not in sys.modules and "pandas" not in sys.modules, "imported"
import sqlite_utils.db
assert sqlite_utils.db.np is None
import numpy
assert numpy.zeros(2).sum() == 0
print("ok")
"""


def test_the_store_does_not_import_numpy_and_numpy_still_works():
    pytest.importorskip("numpy")
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr

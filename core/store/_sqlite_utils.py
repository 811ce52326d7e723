"""sqlite-utils imported without numpy and pandas: ``from core.store._sqlite_utils import
sqlite_utils`` (in :mod:`core.store.db`, the package's first import of it).

sqlite-utils imports numpy and pandas whenever they are installed, only to map their scalar types
to SQL types on insert; reelscale never inserts either. matplotlib (the report charts) brings
numpy into every installation, and its import would then cost every command that opens the store
6.3 MB of heap: the gate's ``scan.peak_heap_mb[10000]`` went from 7.28 MB to 13.59 MB with the
same code once numpy was installed. So both are hidden while sqlite-utils is imported (its
``try: import ... except ImportError`` then leaves them out) and unhidden at once: a later
``import numpy`` (matplotlib drawing a report) works as usual.
"""

from __future__ import annotations

import sys

HIDDEN = tuple(name for name in ("numpy", "pandas") if name not in sys.modules)
for _name in HIDDEN:
    sys.modules[_name] = None  # type: ignore[assignment]  # `import name` raises ImportError
try:
    import sqlite_utils
finally:
    for _name in HIDDEN:
        if _name in sys.modules and sys.modules[_name] is None:
            del sys.modules[_name]

__all__ = ["sqlite_utils"]

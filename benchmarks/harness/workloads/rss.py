"""Run a module as ``python -m`` would and write its own peak RSS to a file.

    python -m benchmarks.harness.workloads.rss OUT.json core classify --db ...

Neither ``getrusage(RUSAGE_CHILDREN)`` in the parent nor ``ru_maxrss`` in the child will do:
both count the pages the child shared with its parent between fork and exec, so a big benchmark
process inflates them. :func:`core.pipeline.source.files.peak_rss_mb` reads ``VmHWM`` instead.
"""

from __future__ import annotations

import json
import runpy
import sys

from core.pipeline.profile import peak_rss_mb


def main() -> None:
    out, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    code = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        with open(out, "w") as fh:
            json.dump({"peak_rss_mb": peak_rss_mb(), "exit_code": code}, fh)
    raise SystemExit(code)


if __name__ == "__main__":
    main()

"""Tag stage: the decisions of a synced library written to a stand-in Radarr with no tags yet,
swept over library_size (movies): time of the stage, Radarr requests and writes (deterministic),
and the stage's memray peak heap in a fresh process.

The store is synced from the stand-in and every decision is taken from the ground truth
(``benchmarks.harness.gate.stage_inputs``), so the stage writes every membership of ten collections.
"""

import contextlib
import shutil
import tempfile
from pathlib import Path

from benchmarks.harness.gate.peak import stage_peak
from benchmarks.harness.gate.stage_inputs import workload
from benchmarks.suites._common import LIBRARY_SIZES, skip_large
from core.clients.radarr import RadarrClient
from core.config.files import load_collections
from core.config.model import RadarrSettings
from core.pipeline.sink.arr_tags import apply_tags
from core.store.db import open_store


class TagTime:
    params = LIBRARY_SIZES
    param_names = ["library_size"]
    number = 1
    repeat = (1, 3, 300.0)
    rounds = 1
    timeout = 3600

    def setup(self, size):
        skip_large(size)
        self.stack = contextlib.ExitStack()
        self.folder = Path(tempfile.mkdtemp(prefix="reelscale-asv-tag-"))
        spec, key = self.stack.enter_context(workload("tag", size).prepare(self.folder))
        self.collections = load_collections(spec["config"])
        self.store = self.stack.enter_context(open_store(spec["db"]))
        settings = RadarrSettings(url=spec["url"], api_key=key)
        self.client = self.stack.enter_context(RadarrClient(settings))

    def teardown(self, size):
        if hasattr(self, "stack"):
            self.stack.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def time_tag(self, size):
        self.summary = apply_tags(self.store, self.client, self.collections, run_id=1)


class TagCounters:
    params = LIBRARY_SIZES
    param_names = ["library_size"]
    timeout = 3600

    def setup(self, size):
        skip_large(size)

    def track_radarr_requests(self, size):
        with (
            tempfile.TemporaryDirectory(prefix="reelscale-asv-tag-") as tmp,
            workload("tag", size).prepare(Path(tmp)) as (spec, key),
            open_store(spec["db"]) as store,
            RadarrClient(RadarrSettings(url=spec["url"], api_key=key)) as client,
        ):
            apply_tags(store, client, load_collections(spec["config"]), run_id=1)
            return client.requests

    track_radarr_requests.unit = "requests"

    def track_peak_heap_mb(self, size):
        return stage_peak(workload("tag", size)) / 1e6

    track_peak_heap_mb.unit = "MB"

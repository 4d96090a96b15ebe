"""Time loading the model cache: verify (sha256, shapes) + build LeNet + set weights.

Usage::

    python tests/benchmarks/bench_cache.py [--runs 20]

Uses the cached model under DIGITPAD_HOME (or the user's) if there is one,
else saves a freshly initialised LeNet into a temporary cache first. TensorFlow
is imported before timing starts (the app imports it on a worker anyway);
the import itself is reported separately.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    started = time.perf_counter()
    import tensorflow  # noqa: F401

    import_s = time.perf_counter() - started

    from digitpad.net import saved_models
    from digitpad.net.lenet import ARCHITECTURE_ID, build_lenet
    from digitpad.storage.model_store import ModelStore, StoreError

    store = ModelStore()
    try:
        store.read_manifest()
        which = f"cached model in {store.root}"
    except StoreError:
        store = ModelStore(Path(tempfile.mkdtemp()) / "models")
        store.save(build_lenet().get_weights(), {"architecture": ARCHITECTURE_ID})
        which = "untrained LeNet saved to a temporary cache (no cached model found)"

    # The app's case: the first load in a process, right after the TF import.
    first = saved_models.load(store).load_seconds
    times = [saved_models.load(store).load_seconds for _ in range(args.runs)]
    print(f"model: {which}")
    print(f"import tensorflow:               {import_s:6.2f} s")
    print(f"cache load, first in the process: {first * 1000:6.1f} ms")
    print(
        f"cache load over {args.runs} runs: p50 {statistics.median(times) * 1000:6.1f} ms, "
        f"max {max(times) * 1000:6.1f} ms  (verify sha256 + shapes, build LeNet, set weights)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A process killed (SIGKILL) while saving the model never costs the model."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from digitpad.storage.model_store import ModelStore

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SHAPES = [(300, 1000), (1000,), (1000, 300)]  # ~2.4 MB: a save takes a while
ARCH = "fault-test"

SAVER = """
import sys
import numpy as np
from digitpad.storage.model_store import ModelStore
store = ModelStore(sys.argv[1])
shapes = {shapes!r}
print("ready", flush=True)
i = 0
while True:
    i += 1
    weights = [np.full(s, float(i), np.float32) for s in shapes]
    store.save(weights, {{"architecture": {arch!r}, "generation": i}})
"""


def load(store: ModelStore):
    return store.load(architecture=ARCH, shapes=SHAPES)


def test_sigkill_while_saving_keeps_a_valid_model(tmp_path, case):
    case("SIGKILL while saving (store, 12 kills)", "a complete model always loads; clean")
    store = ModelStore(tmp_path / "models")
    store.save([np.zeros(s, np.float32) for s in SHAPES], {"architecture": ARCH, "generation": 0})
    code = SAVER.format(shapes=SHAPES, arch=ARCH)
    rng = np.random.default_rng(0)
    generations = []
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(store.root)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(float(rng.uniform(0.02, 0.4)))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # The next start: whatever moment the kill hit, a complete model loads.
        weights, manifest = load(store)
        generation = manifest["generation"]
        assert all((w == float(generation)).all() for w in weights)
        generations.append(generation)
        store.clean()
        stray = [p.name for p in store.root.iterdir() if p.name.startswith(".tmp-")]
        assert stray == []
        assert len(list(store.root.glob("*.npz"))) == 1
    assert max(generations) > 0, "the saver never got to save: the test proved nothing"


def test_next_app_start_after_killed_saves_loads_a_model_and_leaves_no_strays(
    qtbot, make_window, message_boxes, case
):
    # The real cache and the real architecture; the next start is the window's.
    entry = case(
        "SIGKILL while saving, then the window starts",
        "a model loads; no temp files or orphans left",
    )
    from digitpad.net.lenet import ARCHITECTURE_ID, weight_shapes
    from digitpad.storage import paths

    store = ModelStore(paths.models_dir())
    shapes = weight_shapes()
    store.save([np.zeros(s, np.float32) for s in shapes], {"architecture": ARCHITECTURE_ID})
    code = SAVER.format(shapes=shapes, arch=ARCHITECTURE_ID)
    rng = np.random.default_rng(1)
    strays_left = 0
    for _ in range(5):
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(store.root)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(float(rng.uniform(0.05, 0.5)))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        strays_left = len(list(store.root.glob(".tmp-*")))
        if strays_left:
            break
    if not strays_left:  # the kills all fell between files: leave what one would
        (store.root / ".tmp-killed-save").write_bytes(b"\0" * 1000)
        (store.root / "base-0123456789abcdef.npz").write_bytes(b"\0" * 1000)
    generation = store.read_manifest().get("generation", 0)

    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=90_000)
    assert window.session.manifest().get("generation", 0) == generation
    assert message_boxes.shown == []
    assert not list(store.root.glob(".tmp-*"))
    assert [p.name for p in store.root.glob("*.npz")] == [
        window.session.manifest()["weights_file"]
    ]
    left = f"{strays_left} temp file(s) the kills left" if strays_left else "planted strays"
    entry.note(f"generation {generation} loaded; {left} swept")

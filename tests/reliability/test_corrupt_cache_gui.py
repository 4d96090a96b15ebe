"""A damaged model cache, as the user meets it: the real window starts on it.

For each form of damage the window must report it in a dialog, move the
files aside into ``quarantine/``, never predict with them, and offer to
retrain (the test declines, so nothing is trained here).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import ONE, draw_strokes
from PySide6.QtCore import QObject

from digitpad.net.lenet import ARCHITECTURE_ID, weight_shapes
from digitpad.storage import paths
from digitpad.storage.model_store import ModelStore

TIMEOUT_MS = 90_000
DAMAGED = "The saved model is damaged"


def fake_weights(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [(0.05 * rng.standard_normal(s)).astype(np.float32) for s in weight_shapes()]


def save_valid(store: ModelStore) -> dict:
    return store.save(fake_weights(), {"architecture": ARCHITECTURE_ID, "test_accuracy": 0.99})


def weights_path(store: ModelStore, manifest: dict) -> Path:
    return store.root / manifest["weights_file"]


def rewrite_weights(change):
    def damage(store: ModelStore, tmp_path: Path) -> None:
        manifest = save_valid(store)
        path = weights_path(store, manifest)
        path.write_bytes(change(path.read_bytes()))

    return damage


def flip_one_byte(raw: bytes) -> bytes:
    middle = len(raw) // 2
    return raw[:middle] + bytes([raw[middle] ^ 0x01]) + raw[middle + 1 :]


def other_architecture(store: ModelStore, tmp_path: Path) -> None:
    # A smaller network's weights, honestly checksummed, under our architecture id.
    other = [np.zeros((3, 3, 1, 8), np.float32), np.zeros((8,), np.float32)]
    store.save(other, {"architecture": ARCHITECTURE_ID})


def manifest_of_other_architecture(store: ModelStore, tmp_path: Path) -> None:
    store.save(fake_weights(), {"architecture": "resnet-50"})


def edit_manifest(change):
    def damage(store: ModelStore, tmp_path: Path) -> None:
        save_valid(store)
        path = store.manifest_path()
        path.write_bytes(change(path.read_bytes()))

    return damage


def other_checksum(raw: bytes) -> bytes:
    manifest = json.loads(raw)
    manifest["sha256"] = "0" * 64
    return json.dumps(manifest).encode()


def weights_named(name: str):
    def change(raw: bytes) -> bytes:
        manifest = json.loads(raw)
        manifest["weights_file"] = name
        return json.dumps(manifest).encode()

    return change


def keras_model_with_lambda(tmp_path: Path, suffix: str) -> bytes:
    """A real whole-model file whose config holds a Lambda layer (code)."""
    import keras

    model = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Lambda(lambda x: x * 2.0, name="payload")]
    )
    path = tmp_path / f"whole-model{suffix}"
    model.save(path)
    data = path.read_bytes()
    if suffix == ".keras":
        with zipfile.ZipFile(path) as archive:
            assert "Lambda" in archive.read("config.json").decode()
    return data


def whole_model_at_weights_path(suffix: str):
    def damage(store: ModelStore, tmp_path: Path) -> None:
        manifest = save_valid(store)
        weights_path(store, manifest).write_bytes(keras_model_with_lambda(tmp_path, suffix))

    return damage


def whole_model_named_by_manifest(store: ModelStore, tmp_path: Path) -> None:
    # The manifest itself points at a .keras file with a Lambda layer.
    save_valid(store)
    (store.root / "base.keras").write_bytes(keras_model_with_lambda(tmp_path, ".keras"))
    path = store.manifest_path()
    path.write_bytes(weights_named("base.keras")(path.read_bytes()))


def symlinked_weights(store: ModelStore, tmp_path: Path) -> None:
    manifest = save_valid(store)
    path = weights_path(store, manifest)
    target = tmp_path / "elsewhere.npz"
    shutil.move(path, target)
    path.symlink_to(target)


def symlinked_manifest(store: ModelStore, tmp_path: Path) -> None:
    save_valid(store)
    path = store.manifest_path()
    target = tmp_path / "elsewhere.json"
    shutil.move(path, target)
    path.symlink_to(target)


# (id, damage, what the dialog must name)
CASES = [
    ("empty", rewrite_weights(lambda raw: b""), "0 bytes"),
    ("truncated", rewrite_weights(lambda raw: raw[: len(raw) // 2]), "bytes, the manifest says"),
    ("random-bytes", rewrite_weights(lambda raw: os.urandom(len(raw))), "sha256"),
    ("one-flipped-byte", rewrite_weights(flip_one_byte), "sha256"),
    ("other-architecture-weights", other_architecture, "do not fit"),
    ("manifest-names-other-architecture", manifest_of_other_architecture, "resnet-50"),
    ("manifest-garbled-binary", edit_manifest(lambda raw: os.urandom(300)), "manifest"),
    ("manifest-truncated-json", edit_manifest(lambda raw: raw[: len(raw) // 2]), "manifest"),
    ("manifest-other-checksum", edit_manifest(other_checksum), "sha256"),
    ("keras-lambda-at-weights-path", whole_model_at_weights_path(".keras"), "bytes|sha256"),
    ("h5-at-weights-path", whole_model_at_weights_path(".h5"), "bytes|sha256"),
    ("manifest-names-keras-file", whole_model_named_by_manifest, "bad weights file name"),
    ("symlink-at-weights-path", symlinked_weights, "symbolic link"),
    ("symlink-at-manifest-path", symlinked_manifest, "symbolic link"),
]


def probabilities(window) -> list[float]:
    return window.findChild(QObject, "predictionBars").property("probabilities")


@pytest.mark.parametrize(("damage", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_damaged_cache_is_reported_quarantined_never_loaded_and_retraining_offered(
    qtbot, make_window, message_boxes, tmp_path, case, damage, reason, request
):
    entry = case(
        f"cache: {request.node.callspec.id} (window start)",
        "dialog names it; quarantined; not loaded; retrain offered",
    )
    store = ModelStore(paths.models_dir())
    damage(store, tmp_path)
    outside = {p: p.read_bytes() for p in tmp_path.glob("elsewhere.*")}

    window = make_window()  # the offer is declined: message_boxes answers Cancel
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.session.state.value == "none", timeout=TIMEOUT_MS)

    # Reported, with the reason, and retraining offered (declined).
    assert message_boxes.titles() == [DAMAGED], message_boxes.texts()
    text = message_boxes.texts()
    assert re.search(reason, text), text
    assert "Train a new network now?" in text
    assert "Traceback" not in text
    assert not window.session.is_training()
    assert window.findChild(QObject, "actionRetrain").isEnabled()
    assert window.status_text() == "No model: Model > Retrain… trains one"
    # Quarantined: nothing of it is left where the app loads from.
    quarantined = {p.name for p in (store.root / "quarantine").iterdir()}
    assert quarantined, "nothing was moved aside"
    assert any(name.endswith("-base.json") for name in quarantined), quarantined
    left = {p.name for p in store.root.iterdir()} - {".lock", "quarantine"}
    assert not {n for n in left if n.endswith((".json", ".npz"))}, left
    for path, data in outside.items():
        assert path.read_bytes() == data, "a symlink's target must not be touched"
    # Never loaded: no prediction, and the next start finds no model at all.
    assert not window.session.is_model_ready()
    draw_strokes(qtbot, window.canvas, ONE)
    qtbot.wait(300)
    assert probabilities(window) == []
    assert not ModelStore(paths.models_dir()).has()
    entry.note(f"quarantined {len(quarantined)} file(s)")


def test_intact_cache_loads_control(qtbot, make_window, message_boxes, case):
    # The control for the cases above: the same set-up, undamaged, loads and predicts.
    case("cache: intact (control for the damaged cases)", "loads and predicts, no dialog")
    save_valid(ModelStore(paths.models_dir()))
    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    draw_strokes(qtbot, window.canvas, ONE)
    qtbot.waitUntil(lambda: len(probabilities(window)) == 10, timeout=TIMEOUT_MS)
    assert message_boxes.shown == []
    assert not (paths.models_dir() / "quarantine").exists()


def test_missing_manifest_is_a_first_launch_and_orphan_weights_are_never_loaded(
    qtbot, make_window, message_boxes, case
):
    # The manifest is the commit point of a save: weights without one are what a
    # save killed before committing leaves, so the app starts as on first launch
    # (training by itself, no dialog) and never loads the orphan.
    case(
        "cache: manifest missing (orphan weights)",
        "first launch: trains by itself; orphan never loaded, removed",
    )
    store = ModelStore(paths.models_dir())
    orphan = weights_path(store, save_valid(store))
    store.manifest_path().unlink()
    window = make_window()
    qtbot.waitUntil(window.session.is_training, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.session.state.value == "none", timeout=TIMEOUT_MS)
    assert window.status_text().startswith("No model yet: training the first one")
    window.session.cancel_job()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.session.state.value == "none", timeout=TIMEOUT_MS)
    assert not window.session.is_model_ready()
    assert message_boxes.shown == []
    assert window.status_text() == "No model: Model > Retrain… trains one"
    assert not orphan.exists(), "the orphaned weights are cleaned at start"

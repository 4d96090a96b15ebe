import json
import os
import threading
import zipfile

import numpy as np
import pytest

from digitpad.net.lenet import ARCHITECTURE_ID, weight_shapes
from digitpad.storage.model_store import CorruptModelError, ModelStore, NoModelError, StoreError


def fake_weights(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(np.float32) for shape in weight_shapes()]


def load(store: ModelStore, name: str = "base"):
    return store.load(name, architecture=ARCHITECTURE_ID, shapes=weight_shapes())


@pytest.fixture
def store(tmp_path) -> ModelStore:
    return ModelStore(tmp_path / "models")


@pytest.fixture
def saved(store):
    manifest = store.save(fake_weights(), {"architecture": ARCHITECTURE_ID, "test_accuracy": 0.99})
    return store, manifest


def weights_path(store: ModelStore, manifest: dict):
    return store.root / manifest["weights_file"]


def test_round_trip_keeps_weights_and_manifest(saved):
    store, manifest = saved
    weights, loaded_manifest = load(store)
    for a, b in zip(weights, fake_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert loaded_manifest == manifest
    assert manifest["architecture"] == ARCHITECTURE_ID
    assert len(manifest["sha256"]) == 64
    assert manifest["created"].endswith("+00:00")


def test_nothing_cached_is_not_an_error_of_corruption(store):
    with pytest.raises(NoModelError, match="No trained model"):
        load(store)


def test_saving_again_replaces_and_removes_old_weights(saved):
    store, first = saved
    second = store.save(fake_weights(1), {"architecture": ARCHITECTURE_ID})
    assert first["weights_file"] != second["weights_file"]
    assert not weights_path(store, first).exists()
    np.testing.assert_array_equal(load(store)[0][0], fake_weights(1)[0])


def assert_quarantined(store: ModelStore, match: str) -> CorruptModelError:
    with pytest.raises(CorruptModelError, match=match) as info:
        load(store)
    assert info.value.quarantined, "the bad files must be moved aside"
    assert all(path.parent == store.root / "quarantine" for path in info.value.quarantined)
    # Never loaded again: the next start finds nothing and retrains.
    with pytest.raises(NoModelError):
        load(store)
    return info.value


def corrupt_weights(store, manifest, data: bytes):
    weights_path(store, manifest).write_bytes(data)


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        (lambda raw: b"", "bytes"),
        (lambda raw: raw[: len(raw) // 2], "bytes"),
        (lambda raw: os.urandom(len(raw)), "sha256"),
        (lambda raw: raw[:1000] + bytes([raw[1000] ^ 1]) + raw[1001:], "sha256"),
    ],
    ids=["empty", "truncated", "random-bytes", "one-flipped-byte"],
)
def test_damaged_weights_are_quarantined(saved, damage, match):
    store, manifest = saved
    raw = weights_path(store, manifest).read_bytes()
    corrupt_weights(store, manifest, damage(raw))
    assert_quarantined(store, match)


def test_weights_of_another_architecture_are_refused(store):
    other = [np.zeros((3, 3, 1, 8), np.float32), np.zeros((8,), np.float32)]
    store.save(other, {"architecture": ARCHITECTURE_ID})
    assert_quarantined(store, "do not fit")


def test_manifest_naming_another_architecture_is_refused(store):
    store.save(fake_weights(), {"architecture": "resnet-50"})
    assert_quarantined(store, "resnet-50")


def test_missing_manifest_means_no_model_and_its_weights_are_set_aside_not_deleted(saved):
    store, manifest = saved
    store.manifest_path().unlink()
    with pytest.raises(NoModelError):
        load(store)
    (moved,) = store.clean()
    assert moved.parent == store.root / "quarantine"
    assert moved.name.endswith(manifest["weights_file"])
    assert not weights_path(store, manifest).exists()


def test_debris_of_a_killed_save_is_swept(saved):
    store, manifest = saved
    stray = store.root / "base-0123456789abcdef.npz"
    stray.write_bytes(b"half a save")
    temp = store.root / ".tmp-abc"
    temp.write_bytes(b"x")
    assert sorted(store.clean()) == sorted([stray, temp])
    assert weights_path(store, manifest).is_file()


@pytest.mark.parametrize(
    "text",
    ["", "{", "[]", '{"format": 1}', '{"format": 99}', "\x00\xff garbage"],
    ids=["empty", "truncated", "list", "fields-missing", "future-format", "binary"],
)
def test_garbled_manifest_is_quarantined(saved, text):
    store, _ = saved
    store.manifest_path().write_text(text, encoding="latin-1")
    assert_quarantined(store, "manifest")


def test_manifest_naming_another_checksum_is_refused(saved):
    store, manifest = saved
    manifest["sha256"] = "0" * 64
    store.manifest_path().write_text(json.dumps(manifest))
    assert_quarantined(store, "sha256")


def test_manifest_pointing_outside_the_cache_is_refused(saved, tmp_path):
    store, manifest = saved
    manifest["weights_file"] = "../../etc/passwd"
    store.manifest_path().write_text(json.dumps(manifest))
    assert_quarantined(store, "bad weights file name")


def test_whole_model_keras_file_at_the_cache_path_is_never_loaded(saved):
    store, manifest = saved
    # A .keras archive with a Lambda layer: config that would run code if
    # deserialized. It must be refused on its checksum, unopened.
    path = weights_path(store, manifest)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "config.json",
            json.dumps({"class_name": "Lambda", "config": {"function": "os.system('x')"}}),
        )
        archive.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
    assert_quarantined(store, "bytes|sha256")


def test_h5_file_at_the_cache_path_is_never_loaded(saved):
    store, manifest = saved
    corrupt_weights(store, manifest, b"\x89HDF\r\n\x1a\n" + os.urandom(4096))
    assert_quarantined(store, "bytes|sha256")


def test_symlink_at_the_cache_path_is_refused(saved, tmp_path):
    store, manifest = saved
    path = weights_path(store, manifest)
    real = tmp_path / "elsewhere.npz"
    real.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(real)
    assert_quarantined(store, "symbolic link")
    assert real.exists(), "the link's target is not touched"


def test_nan_weights_are_refused(store):
    weights = fake_weights()
    weights[0][0, 0, 0, 0] = np.nan
    store.save(weights, {"architecture": ARCHITECTURE_ID})
    assert_quarantined(store, "NaN")


def test_failed_save_keeps_the_previous_model(saved, monkeypatch):
    store, manifest = saved
    real_replace = os.replace

    def full_disk(src, dst):
        if str(dst).endswith(".json"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(StoreError, match="No space left"):
        store.save(fake_weights(5), {"architecture": ARCHITECTURE_ID})
    monkeypatch.setattr(os, "replace", real_replace)
    weights, loaded = load(store)
    assert loaded["sha256"] == manifest["sha256"]
    assert not [p for p in store.root.iterdir() if p.name.startswith(".tmp-")]
    # The orphaned new weights file is cleaned on the next start.
    store.clean()
    assert sorted(p.name for p in store.root.glob("*.npz")) == [manifest["weights_file"]]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_cache_gives_a_clear_error(saved):
    store, _ = saved
    store.root.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="Could not save"):
            store.save(fake_weights(2), {"architecture": ARCHITECTURE_ID})
    finally:
        store.root.chmod(0o700)


def test_unwritable_cache_location_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(StoreError, match="Could not save"):
        ModelStore(blocker / "models").save(fake_weights(), {"architecture": ARCHITECTURE_ID})


def test_lock_excludes_another_writer(store):
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with store.lock():
            entered.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(5)
    try:
        with pytest.raises(TimeoutError), store.lock(timeout=0.2):
            pass
        assert store.clean() == []
    finally:
        release.set()
        holder.join()
    with store.lock(timeout=1):
        pass


def test_bad_entry_name_is_refused(store):
    with pytest.raises(ValueError, match="entry name"):
        store.manifest_path("../base")


def test_the_entry_in_use_is_base_until_told_otherwise(saved):
    store, _manifest = saved
    assert store.active_name() == "base"
    store.save(fake_weights(5), {"architecture": ARCHITECTURE_ID}, name="personal")
    store.set_active("personal")
    assert store.active_name() == "personal"
    # Both entries verify on their own; saving one leaves the other intact.
    assert load(store, "personal")[0][0].tolist() == fake_weights(5)[0].tolist()
    assert load(store)[0][0].tolist() == fake_weights()[0].tolist()
    store.set_active("base")
    assert store.active_name() == "base"
    with pytest.raises(ValueError, match="invalid model entry name"):
        store.set_active("../evil")


@pytest.mark.parametrize("text", ["", "{", '{"active": "../x"}', '{"active": 3}', "[]"])
def test_a_garbled_choice_means_base(store, text):
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / "active.json").write_text(text)
    assert store.active_name() == "base"


def test_clean_keeps_both_entries_weights(saved):
    store, manifest = saved
    personal = store.save(fake_weights(5), {"architecture": ARCHITECTURE_ID}, name="personal")
    store.clean()
    assert (store.root / manifest["weights_file"]).is_file()
    assert (store.root / personal["weights_file"]).is_file()


def test_manifest_round_trips_and_names_the_bad_field(saved):
    from digitpad.storage.manifest import Manifest

    _store, manifest = saved
    assert Manifest.from_dict(manifest).as_dict() == manifest
    with pytest.raises(ValueError, match="field 'test_loss' must be a finite number or null"):
        Manifest.from_dict({**manifest, "test_loss": float("nan")})
    with pytest.raises(ValueError, match="field 'size'"):
        Manifest.from_dict({**manifest, "size": True})


def test_promote_makes_a_candidate_the_base_without_tensorflow(saved):
    store, _base = saved
    candidate = store.save(fake_weights(7), {"architecture": ARCHITECTURE_ID}, name="candidate")
    promoted = store.promote("candidate", "base")
    assert promoted["sha256"] == candidate["sha256"]
    assert promoted["weights_file"].startswith("base-")
    assert not store.has("candidate")
    assert load(store)[0][0].tolist() == fake_weights(7)[0].tolist()
    assert sorted(p.name for p in store.root.glob("*.npz")) == [promoted["weights_file"]]


def test_a_personal_network_of_another_base_is_not_put_in_use(saved):
    store, base = saved
    info = {"architecture": ARCHITECTURE_ID, "base_sha256": base["sha256"]}
    store.save(fake_weights(5), info, name="personal")
    store.save(fake_weights(6), {"architecture": ARCHITECTURE_ID})  # a new base
    with pytest.raises(StoreError, match="adapted from an earlier base network"):
        store.set_active("personal")
    assert store.active_name() == "base"

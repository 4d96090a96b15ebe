"""The run store: runs kept across restarts, damaged ones quarantined, disk use capped."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from digitpad.storage.model_store import ModelStore
from digitpad.storage.runs import RunError, RunStore

SHAPES = [(5, 5, 1, 20), (20,), (5, 5, 20, 50), (50,), (1800, 500), (500,), (500, 10), (10,)]


def weights(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(np.float32) for shape in SHAPES]


def info(label: str = "seed: 1 epoch", **extra) -> dict:
    return {
        "kind": "train",
        "label": label,
        "architecture": "lenet-article-v1",
        "settings": {"name": "seed", "learning_rate": 0.001},
        "history": {
            "batch_x": [0.5, 1.0],
            "batch_loss": [1.0, 0.5],
            "batch_accuracy": [0.6, 0.8],
            "epochs": [{"epoch": 1.0, "loss": 0.7}],
        },
        "test_accuracy": 0.95,
        "test_loss": 0.2,
        **extra,
    }


def test_a_run_persists_with_its_verified_network(tmp_path):
    store = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    kept = store.record(info(), weights())
    reopened = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    assert [run.id for run in reopened.runs()] == [kept.id]
    run = reopened.get(kept.id)
    assert run.history["batch_loss"] == [1.0, 0.5]
    assert run.pen_test_accuracy is None
    assert run.network["shapes"][4] == [1800, 500]
    for got, expected in zip(reopened.weights(kept.id), weights(), strict=True):
        np.testing.assert_array_equal(got, expected)
    assert list((tmp_path / "runs").glob(".tmp-*")) == []


def test_a_damaged_run_file_is_quarantined_and_listed_as_damaged(tmp_path):
    store = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    good = store.record(info("good"), weights())
    bad = store.record(info("bad"), weights(1))
    record = store.root / bad.id / "run.json"
    record.write_text(record.read_text()[:50])  # torn
    listing = RunStore(store.root, models=store.models).listing()
    assert [run.id for run in listing.runs] == [good.id]
    assert len(listing.damaged) == 1
    assert bad.id in listing.damaged[0].name
    assert "damaged" in listing.damaged[0].reason
    assert not (store.root / bad.id).exists()


def test_a_network_file_changed_on_disk_is_refused(tmp_path):
    store = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    kept = store.record(info(), weights())
    path = store.root / kept.id / kept.network["file"]
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(RunError, match="sha256"):
        store.weights(kept.id)


def test_a_field_of_the_wrong_type_is_damage(tmp_path):
    store = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    kept = store.record(info(), weights())
    path = store.root / kept.id / "run.json"
    data = json.loads(path.read_text())
    data["test_accuracy"] = "high"
    path.write_text(json.dumps(data))
    with pytest.raises(RunError, match="test_accuracy"):
        store.get(kept.id)


def test_the_cap_drops_the_oldest_unpinned_networks_never_pinned_or_in_use(tmp_path):
    models = ModelStore(tmp_path / "models")
    store = RunStore(tmp_path / "runs", models=models, cap_bytes=1 << 40)
    runs = [store.record(info(f"run {i}"), weights(i)) for i in range(5)]
    store.set_pinned(runs[0].id, True)
    store.save_as_entry(runs[1].id, "base")  # run 1's network is the one in use
    assert store.in_use_id() == runs[1].id
    size = runs[0].network_bytes()
    dropped = store.prune(cap_bytes=3 * size)
    assert dropped == [runs[2].id, runs[3].id]
    after = {run.id: run for run in store.runs()}
    assert after[runs[0].id].network is not None  # pinned
    assert after[runs[1].id].network is not None  # in use
    assert after[runs[4].id].network is not None  # newest
    assert after[runs[2].id].network is None
    assert "disk space" in after[runs[2].id].network_note
    assert after[runs[2].id].test_accuracy == 0.95  # the record stays
    with pytest.raises(RunError, match="no network kept"):
        store.weights(runs[2].id)
    assert len(list((store.root / runs[2].id).glob("*.npz"))) == 0


def test_use_makes_a_runs_network_the_base_in_use(tmp_path):
    models = ModelStore(tmp_path / "models")
    store = RunStore(tmp_path / "runs", models=models)
    kept = store.record(info(), weights(3))
    manifest = store.use(kept.id)
    assert manifest["run_id"] == kept.id
    assert models.active_name() == "base"
    loaded, _ = models.load("base", architecture="lenet-article-v1", shapes=SHAPES)
    np.testing.assert_array_equal(loaded[0], weights(3)[0])
    assert not models.has("candidate")
    assert store.in_use_id() == kept.id


def test_a_bad_cap_refuses_keeping_a_run_and_nothing_else(tmp_path, monkeypatch):
    store = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    kept = store.record(info("before"), weights())
    monkeypatch.setenv("DIGITPAD_RUNS_CAP_MB", "abc")
    store = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    # Listing and pinning never apply the cap: they work whatever it holds.
    assert [run.id for run in store.runs()] == [kept.id]
    assert store.set_pinned(kept.id, True).pinned
    with pytest.raises(ValueError, match="DIGITPAD_RUNS_CAP_MB .* 'abc'; unset it or fix it"):
        store.record(info("after"), weights(1))
    assert [run.id for run in store.runs()] == [kept.id]  # refused before anything was written
    with pytest.raises(ValueError, match="DIGITPAD_RUNS_CAP_MB"):
        store.prune()


@pytest.mark.parametrize("value", ["abc", "0", "-3", "nan", "inf"])
def test_cap_from_env_refuses_what_is_no_positive_number(value, monkeypatch):
    from digitpad.storage.runs import cap_from_env

    monkeypatch.setenv("DIGITPAD_RUNS_CAP_MB", value)
    with pytest.raises(ValueError, match="DIGITPAD_RUNS_CAP_MB must be a positive number"):
        cap_from_env()
    monkeypatch.setenv("DIGITPAD_RUNS_CAP_MB", "1.5")
    assert cap_from_env() == int(1.5 * 1024 * 1024)


@pytest.mark.parametrize("raw", [b"\x00\xff{not json", b"{not json", b"\xff\xfe{}"])
def test_a_record_that_is_not_json_is_said_damaged_in_a_sentence_naming_it(tmp_path, raw):
    """Not the decoder's own words ("'utf-16-be' codec can't decode byte…")."""
    store = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    bad = store.record(info("bad"), weights())
    (store.root / bad.id / "run.json").write_bytes(raw)
    with pytest.raises(RunError) as caught:
        store.get(bad.id)
    message = str(caught.value)
    assert "its record run.json is damaged (not readable JSON)" in message
    assert "codec" not in message
    assert "Expecting" not in message
    (damaged,) = store.listing().damaged
    assert damaged.reason == "its record run.json is damaged (not readable JSON)"


def test_a_network_file_missing_or_of_the_wrong_size_is_listed_unusable(tmp_path):
    store = RunStore(tmp_path / "runs", models=ModelStore(tmp_path / "models"))
    good = store.record(info("good"), weights(0))
    truncated = store.record(info("truncated"), weights(1))
    missing = store.record(info("missing"), weights(2))
    dropped = store.record(info("no network"), None)
    path = store.root / truncated.id / truncated.network["file"]
    os.truncate(path, 5000)
    (store.root / missing.id / missing.network["file"]).unlink()
    listing = store.listing()
    assert [run.id for run in listing.runs] == [good.id, truncated.id, missing.id, dropped.id]
    assert set(listing.unusable) == {truncated.id, missing.id}
    assert listing.unusable[truncated.id] == (
        f"its network file {path.name} is 5000 bytes, its record says "
        f"{truncated.network['size']} (truncated or changed)"
    )
    assert "is missing" in listing.unusable[missing.id]
    assert store.network_problem(good) is None
    assert store.network_problem(dropped) is None

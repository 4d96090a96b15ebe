import datetime as dt
import io
import os
import re
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pytest

from digitpad.drawing.mnist_format import to_mnist
from digitpad.storage import paths
from digitpad.storage import samples as samples_module
from digitpad.storage.sample_folders import load_sample_dir
from digitpad.storage.samples import (
    Sample,
    SampleError,
    SampleStore,
    prepare_sample,
    read_sample,
    sample_checksum,
)

REPO = Path(__file__).resolve().parents[1]


# -- drawings ----------------------------------------------------------------


def bar_canvas(side: int = 280) -> np.ndarray:
    """A "1": a vertical bar, ink 1.0 on 0.0."""
    canvas = np.zeros((side, side), dtype=np.float32)
    canvas[side // 5 : side * 4 // 5, side // 2 - side // 30 : side // 2 + side // 30] = 1.0
    return canvas


def ring_canvas(side: int = 280) -> np.ndarray:
    """A "0": an oval ring."""
    rows, cols = np.mgrid[0:side, 0:side].astype(np.float32)
    r = np.hypot((rows - side / 2) / (0.38 * side), (cols - side / 2) / (0.26 * side))
    return ((r > 0.8) & (r < 1.0)).astype(np.float32)


def x28_of(canvas: np.ndarray) -> np.ndarray:
    x28 = to_mnist(canvas)
    assert x28 is not None
    return x28


ONE = x28_of(bar_canvas())
ZERO = x28_of(ring_canvas())
STROKES = [[(140.0, 50.0), (139.5, 120.0), (139.0, 230.0)], [(100.0, 60.0), (140.0, 50.0)]]


@pytest.fixture
def store(tmp_path) -> SampleStore:
    return SampleStore(tmp_path / "samples")


def sample_files(store: SampleStore) -> list[str]:
    return sorted(p.name for p in store.root.glob("*.npz"))


def quarantined(store: SampleStore) -> list[str]:
    folder = store.root / "quarantine"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def rewrite(path: Path, **changes) -> None:
    """Rewrite a sample file with some fields changed (the checksum kept as is)."""
    with np.load(path, allow_pickle=False) as npz:
        fields = {name: npz[name] for name in npz.files}
    fields.update(changes)
    buffer = io.BytesIO()
    np.savez(buffer, **fields)
    path.write_bytes(buffer.getvalue())


def with_valid_checksum(fields: dict) -> dict:
    fields["checksum"] = np.str_(
        sample_checksum(
            int(fields["format"]),
            int(fields["label"]),
            fields["x28"],
            fields["points"],
            fields["stroke_lengths"],
            float(fields["pen_width"]),
            str(fields["created"]),
        )
    )
    return fields


# -- the store ---------------------------------------------------------------


def test_default_root_is_the_samples_dir(digitpad_home):
    assert paths.samples_dir() == digitpad_home / "data" / "samples"
    assert SampleStore().root == paths.samples_dir()
    assert SampleStore().samples() == []


def test_round_trip_keeps_everything(store):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    added = store.add(ONE, 1, STROKES, pen_width=12.5)
    after = dt.datetime.now(dt.UTC)

    assert added.path == store.root / f"1_{added.id}.npz"
    assert added.path.is_file()
    assert sample_files(store) == [f"1_{added.id}.npz"]

    [read] = SampleStore(store.root).samples()
    assert isinstance(read, Sample)
    assert read.id == added.id
    assert read.label == 1
    assert read.x28.dtype == np.float32
    assert read.x28.shape == (28, 28)
    np.testing.assert_array_equal(read.x28, ONE)
    assert len(read.strokes) == 2
    for stroke, expected in zip(read.strokes, STROKES, strict=True):
        assert stroke.dtype == np.float32
        np.testing.assert_array_equal(stroke, np.array(expected, dtype=np.float32))
    assert read.pen_width == 12.5
    assert read.created == added.created
    created = dt.datetime.fromisoformat(read.created)
    assert created.utcoffset() == dt.timedelta(0)
    assert before <= created <= after
    assert read.path == added.path
    # The arrays handed out are shared with the cache: they must not be writable.
    with pytest.raises(ValueError, match="read-only"):
        read.x28[0, 0] = 1.0


def test_images_without_strokes_and_28x28x1_input(store):
    added = store.add(ZERO[..., None], 0)
    [read] = store.samples()
    assert read.strokes == ()
    assert read.pen_width == 18.0
    np.testing.assert_array_equal(read.x28, ZERO)
    assert added.id == read.id


def test_many_adds_have_unique_ids_in_order_and_right_counts(store):
    added = [store.add(ONE if i % 3 else ZERO, i % 10) for i in range(120)]
    ids = [s.id for s in added]
    assert len(set(ids)) == 120
    assert all(re.fullmatch(r"[0-9A-Za-z-]+", i) for i in ids)
    assert [s.id for s in store.samples()] == ids
    assert store.counts() == dict.fromkeys(range(10), 12)
    assert len(store) == 120
    assert len(sample_files(store)) == 120
    assert sorted(f"{s.label}_{s.id}.npz" for s in added) == sample_files(store)


def test_ids_stay_unique_and_ordered_when_the_clock_stands_still(store, monkeypatch):
    import digitpad.storage.samples as samples_module

    frozen = dt.datetime(2026, 1, 2, 3, 4, 5, 999998, tzinfo=dt.UTC)

    class FrozenClock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return frozen

    clock = types.SimpleNamespace(datetime=FrozenClock, timedelta=dt.timedelta, UTC=dt.UTC)
    monkeypatch.setattr(samples_module, "dt", clock)
    monkeypatch.setattr(samples_module, "_last_time", None)
    added = [store.add(ONE, 1) for _ in range(5)]
    ids = [s.id for s in added]
    assert [i.split("-")[0] for i in ids] == [
        "20260102T030405999998",
        "20260102T030405999999",
        "20260102T030406000000",
        "20260102T030406000001",
        "20260102T030406000002",
    ]
    assert sorted(ids) == ids
    assert len(set(ids)) == 5
    assert [s.id for s in store.samples()] == ids
    assert all(s.created == "2026-01-02T03:04:05+00:00" for s in added[:2])


def test_counts_have_all_ten_digits(store):
    store.add(ONE, 1)
    store.add(ONE, 1)
    store.add(ZERO, 0)
    assert store.counts() == {0: 1, 1: 2, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0}


def test_arrays(store):
    store.add(ZERO, 0)
    store.add(ONE, 7)
    x, y = store.arrays()
    assert x.dtype == np.float32
    assert x.shape == (2, 28, 28)
    assert y.dtype == np.int64
    assert y.tolist() == [0, 7]
    np.testing.assert_array_equal(x[0], ZERO)
    np.testing.assert_array_equal(x[1], ONE)
    empty_x, empty_y = SampleStore(store.root / "none").arrays()
    assert empty_x.shape == (0, 28, 28)
    assert empty_y.shape == (0,)


def test_remove(store):
    first = store.add(ONE, 1)
    second = store.add(ZERO, 0)
    store.remove(first.id)
    assert not first.path.exists()
    assert [s.id for s in store.samples()] == [second.id]
    store.remove(first.id)  # already gone: no error
    store.remove("20200101T000000000000-deadbeef")
    assert len(store) == 1
    with pytest.raises(ValueError, match="not a sample id"):
        store.remove("../1_x")


def test_many_removed_with_one_folder_sync(store, monkeypatch):
    kept = [store.add(ONE, 1) for _ in range(5)]
    syncs = []
    monkeypatch.setattr(samples_module, "fsync_dir", syncs.append)
    for sample in kept[:4]:
        store.remove(sample.id, sync=False)
    assert syncs == []
    store.sync()
    assert syncs == [store.root]
    assert [s.id for s in store.samples()] == [kept[4].id]
    store.remove(kept[4].id)
    assert syncs == [store.root, store.root]


def test_samples_sees_files_added_and_removed_by_others(store):
    other = SampleStore(store.root)
    assert store.samples() == []
    added = other.add(ONE, 4)
    assert [s.id for s in store.samples()] == [added.id]
    other.remove(added.id)
    assert store.samples() == []


# -- damaged files -----------------------------------------------------------


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_byte(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    at = bytes(raw).find(ONE.tobytes()[1000:1016])
    assert at > 0
    raw[at] ^= 0xFF
    path.write_bytes(bytes(raw))


def tamper(path: Path) -> None:
    with np.load(path) as npz:
        x28 = npz["x28"].copy()
    x28[0, 0] = 0.5
    rewrite(path, x28=x28)


def wrong_name(path: Path) -> None:
    path.rename(path.with_name("5" + path.name[1:]))


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(3000))


def nan_pixels(path: Path) -> None:
    with np.load(path) as npz:
        fields = {name: npz[name] for name in npz.files}
    fields["x28"] = fields["x28"].copy()
    fields["x28"][3, 3] = np.nan
    buffer = io.BytesIO()
    np.savez(buffer, **with_valid_checksum(fields))
    path.write_bytes(buffer.getvalue())


def wrong_label_inside(path: Path) -> None:
    with np.load(path) as npz:
        fields = {name: npz[name] for name in npz.files}
    fields["label"] = np.int64(8)
    buffer = io.BytesIO()
    np.savez(buffer, **with_valid_checksum(fields))
    path.write_bytes(buffer.getvalue())


def object_dtype(path: Path) -> None:
    rewrite(path, created=np.array(["2026-01-01T00:00:00+00:00"], dtype=object))


def stroke_lengths_off(path: Path) -> None:
    with np.load(path) as npz:
        fields = {name: npz[name] for name in npz.files}
    fields["stroke_lengths"] = np.array([2, 2], dtype=np.int64)  # 5 points stored
    buffer = io.BytesIO()
    np.savez(buffer, **with_valid_checksum(fields))
    path.write_bytes(buffer.getvalue())


def symlink(path: Path) -> None:
    outside = path.parent.parent / "outside.npz"
    path.rename(outside)
    path.symlink_to(outside)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (truncate, "truncated or corrupt"),
        (flip_byte, "truncated or corrupt|checksum"),
        (tamper, "checksum does not match"),
        (wrong_name, "labelled 3 but its name says 5"),
        (garbage, "not an .npz archive"),
        (nan_pixels, "NaN"),
        (wrong_label_inside, "labelled 8 but its name says 3"),
        (object_dtype, "Python objects"),
        (stroke_lengths_off, "stroke lengths"),
        (symlink, "symbolic link"),
    ],
)
def test_damaged_files_are_quarantined_and_reported(store, damage, reason):
    keep_before = store.add(ONE, 1)
    victim = store.add(ONE, 3, STROKES)
    keep_after = store.add(ZERO, 0)
    damage(victim.path)
    damaged_name = next(p.name for p in store.root.glob(f"?_{victim.id}.npz"))

    found = store.samples()

    assert [s.id for s in found] == [keep_before.id, keep_after.id]
    assert len(store.problems) == 1
    assert damaged_name in store.problems[0]
    assert "moved to" in store.problems[0]
    assert re.search(reason, store.problems[0]), store.problems[0]
    assert not any(store.root.glob(f"?_{victim.id}.npz"))
    [moved] = quarantined(store)
    assert moved.endswith(damaged_name)
    # Reported once: the next read is clean.
    assert [s.id for s in store.samples()] == [keep_before.id, keep_after.id]
    assert store.problems == []
    assert store.counts()[3] == 0


def test_symlink_target_is_left_alone(store):
    victim = store.add(ONE, 3)
    symlink(victim.path)
    outside = store.root.parent / "outside.npz"
    assert store.samples() == []
    assert outside.is_file()
    assert read_sample(outside, 3).label == 3


def test_a_file_changed_after_being_read_is_verified_again(store):
    victim = store.add(ONE, 3)
    assert len(store.samples()) == 1
    time.sleep(0.01)
    tamper(victim.path)
    assert store.samples() == []
    assert "checksum" in store.problems[0]


def test_named_pipe_is_refused_without_blocking(store):
    store.add(ONE, 1)
    os.mkfifo(store.root / "2_20260101T000000000000-abcdef01.npz")
    assert len(store.samples()) == 1
    assert "(it is a named pipe, not a file)" in store.problems[0]


def test_other_files_and_folders_are_left_alone(store):
    store.add(ONE, 1)
    (store.root / "notes.txt").write_text("mine")
    (store.root / "3_subfolder.npz").mkdir()
    assert len(store.samples()) == 1
    assert store.problems == []
    assert (store.root / "notes.txt").exists()
    assert (store.root / "3_subfolder.npz").is_dir()


def test_temp_leftovers_are_ignored_and_old_ones_removed(store):
    added = store.add(ONE, 1)
    fresh = store.root / ".tmp-fresh"
    stale = store.root / ".tmp-stale"
    fresh.write_bytes(added.path.read_bytes()[:100])
    stale.write_bytes(b"half a sample")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    assert [s.id for s in store.samples()] == [added.id]
    assert store.problems == []
    assert fresh.exists()
    assert not stale.exists()


# -- invalid input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x28": np.zeros((28, 27))}, "28x28"),
        ({"x28": np.zeros((1, 28, 28))}, "28x28"),
        ({"x28": np.full((28, 28), np.nan)}, "NaN"),
        ({"x28": np.full((28, 28), 1.5)}, r"\[0, 1\]"),
        ({"x28": np.full((28, 28), -0.1)}, r"\[0, 1\]"),
        ({"x28": np.full((28, 28), "a")}, "dtype"),
        ({"label": 10}, "0..9"),
        ({"label": -1}, "0..9"),
        ({"label": True}, "integer"),
        ({"label": 3.0}, "integer"),
        ({"label": "3"}, "integer"),
        ({"strokes": [[(1.0, 2.0, 3.0)]]}, "stroke 0"),
        ({"strokes": [[(1.0, 2.0)], [(np.nan, 1.0)]]}, "stroke 1 has NaN"),
        ({"strokes": [[(1.0, np.inf)]]}, "stroke 0 has NaN or infinite"),
        ({"strokes": ["ab"]}, "stroke 0"),
        ({"pen_width": 0.0}, "pen_width"),
        ({"pen_width": float("nan")}, "pen_width"),
        ({"pen_width": "wide"}, "pen_width"),
    ],
)
def test_invalid_input_is_refused(store, kwargs, message):
    arguments = {"x28": ONE, "label": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        store.add(**arguments)
    assert not store.root.exists() or sample_files(store) == []


def test_numpy_integer_labels_and_float64_input_are_accepted(store):
    added = store.add(ONE.astype(np.float64), np.int64(9), [np.array(STROKES[0])])
    assert added.label == 9
    assert store.samples()[0].x28.dtype == np.float32


# -- disk trouble ----------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_gives_a_sample_error(store):
    kept = store.add(ONE, 1)
    store.root.chmod(0o555)
    try:
        with pytest.raises(SampleError, match=str(store.root)) as info:
            store.add(ZERO, 0)
        assert "writable" in str(info.value)
        with pytest.raises(SampleError, match="delete"):
            store.remove(kept.id)
        assert [s.id for s in store.samples()] == [kept.id]
    finally:
        store.root.chmod(0o755)


def test_unusable_location_gives_a_sample_error(tmp_path):
    # Runs as root too: a file where the folder should be stops anyone.
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    store = SampleStore(blocker / "samples")
    with pytest.raises(SampleError, match="Could not save the sample in .*blocker") as info:
        store.add(ONE, 1)
    assert "was not kept" in str(info.value)
    assert store.samples() == []
    assert len(store.problems) == 1


def test_crash_mid_write_leaves_no_sample(store, monkeypatch):
    kept = store.add(ONE, 1)

    def crash(*_args, **_kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SampleError, match="Input/output error"):
        store.add(ZERO, 0)
    monkeypatch.undo()
    assert sample_files(store) == [kept.path.name]
    assert [p.name for p in store.root.iterdir() if p.name.startswith(".tmp-")] == []
    assert [s.id for s in SampleStore(store.root).samples()] == [kept.id]


def test_killed_write_leaves_only_a_temp_file_that_is_ignored(store):
    kept = store.add(ONE, 1)
    (store.root / ".tmp-k1ll3d").write_bytes(kept.path.read_bytes()[:-40])
    assert [s.id for s in store.samples()] == [kept.id]
    assert store.problems == []


# -- batches -----------------------------------------------------------------


def temp_files(store: SampleStore) -> list[str]:
    return [p.name for p in store.root.iterdir() if p.name.startswith(".tmp-")]


def test_add_many_stores_a_batch_with_one_folder_fsync(store, monkeypatch):
    before = store.add(ZERO, 0)
    batch = [prepare_sample(ONE, 1, STROKES, 9.0), prepare_sample(ZERO, 0), prepare_sample(ONE, 7)]
    assert all(item.sample.path is None for item in batch)
    fsyncs = []
    monkeypatch.setattr(samples_module, "fsync_dir", fsyncs.append)

    added = store.add_many(batch)

    assert fsyncs == [store.root]
    assert [s.id for s in added] == [item.sample.id for item in batch]
    assert [s.path for s in added] == [store.root / item.file_name for item in batch]
    assert [s.id for s in store.samples()] == [before.id, *(s.id for s in added)]
    assert store.problems == []
    again = read_sample(added[0].path)
    assert (again.label, again.pen_width, again.created) == (1, 9.0, added[0].created)
    np.testing.assert_array_equal(again.x28, ONE)
    for got, given in zip(again.strokes, STROKES, strict=True):
        np.testing.assert_array_equal(got, np.array(given, np.float32))
    assert store.add_many([]) == []
    assert temp_files(store) == []


def fail_on_call(number: int, real):
    """``real``, except that call ``number`` (from 1) raises an I/O error."""
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == number:
            raise OSError(5, "Input/output error")
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize("where", ["writing", "renaming"])
def test_add_many_is_all_or_nothing_when_a_file_fails_in_the_middle(store, monkeypatch, where):
    kept = store.add(ONE, 1)
    batch = [prepare_sample(ZERO if i % 2 else ONE, i % 10, STROKES) for i in range(20)]
    if where == "writing":
        real = samples_module._write_temp
        monkeypatch.setattr(samples_module, "_write_temp", fail_on_call(11, real))
    else:
        monkeypatch.setattr(os, "replace", fail_on_call(11, os.replace))

    with pytest.raises(SampleError, match="Input/output error.*none of these 20 drawings"):
        store.add_many(batch)
    monkeypatch.undo()

    # The folder is as before: the one sample, no file of the batch, no temp file.
    assert sample_files(store) == [kept.path.name]
    assert temp_files(store) == []
    fresh = SampleStore(store.root)
    assert [s.id for s in fresh.samples()] == [kept.id]
    assert fresh.sample_ids() == [kept.id]
    assert fresh.problems == []
    # The same drawings can be added afterwards.
    assert len(store.add_many(batch)) == 20
    assert len(SampleStore(store.root).samples()) == 21


def test_add_many_refuses_a_drawing_given_twice(store):
    item = prepare_sample(ONE, 1)
    with pytest.raises(ValueError, match="given twice"):
        store.add_many([item, prepare_sample(ZERO, 0), item])
    assert not store.root.exists()


def test_sample_files_are_npz_files_numpy_reads_and_numpys_are_read(store, tmp_path):
    sample = store.add(ONE, 3, STROKES, 11.0)
    with np.load(sample.path, allow_pickle=False) as npz:
        fields = {name: npz[name] for name in npz.files}
    np.testing.assert_array_equal(fields["x28"], ONE)
    assert str(fields["created"]) == sample.created
    assert sorted(fields) == sorted(samples_module._FIELDS)
    # Files written by np.savez (digitpad's earlier versions), stored or compressed.
    for save in (np.savez, np.savez_compressed):
        path = tmp_path / save.__name__ / sample.path.name
        path.parent.mkdir()
        save(path, **fields)
        again = read_sample(path)
        np.testing.assert_array_equal(again.x28, sample.x28)
        assert (again.label, again.created, again.pen_width) == (3, sample.created, 11.0)
        assert [s.tolist() for s in again.strokes] == [s.tolist() for s in sample.strokes]


def test_damaged_bytes_are_refused_with_a_reason_or_read_exactly(store):
    good = store.add(ONE, 3, STROKES).path.read_bytes()
    path = store.root / "3_20260101T000000000000-0badf11e.npz"
    rng = np.random.default_rng(5)
    reasons = []
    for _ in range(300):
        damaged = bytearray(good)
        for index in rng.integers(0, len(good), size=int(rng.integers(1, 6))):
            damaged[index] = int(rng.integers(0, 256))
        path.write_bytes(bytes(damaged[: int(rng.integers(len(good) // 2, len(good) + 1))]))
        try:
            sample = read_sample(path)
        except ValueError as exc:
            reasons.append(str(exc))
            continue
        # Read: only bytes the content does not depend on were changed.
        np.testing.assert_array_equal(sample.x28, ONE)
    assert len(reasons) > 250
    assert [reason for reason in reasons if not reason.startswith(("it ", "its "))] == []


def test_importing_samples_imports_neither_qt_nor_tensorflow():
    code = (
        "import sys, digitpad.storage.samples\n"
        "heavy = sorted(m for m in ('PySide6', 'tensorflow', 'keras') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


# -- load_sample_dir ----------------------------------------------------------------


def save_png(path: Path, gray: np.ndarray) -> None:
    """Save an 8-bit grayscale array (0 black .. 255 white) as an image via Qt."""
    from PySide6.QtGui import QImage

    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    height, width = gray.shape
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    stride = image.bytesPerLine()
    view = np.frombuffer(image.bits(), dtype=np.uint8, count=height * stride)
    view.reshape(height, stride)[:, :width] = gray
    assert image.save(str(path)), path


def dark_on_light(ink: np.ndarray) -> np.ndarray:
    return np.rint(255 * (1.0 - 0.9 * ink)).astype(np.uint8)


def light_on_dark(ink: np.ndarray) -> np.ndarray:
    return np.rint(20 + 220 * ink).astype(np.uint8)


def centre_of_mass(x28: np.ndarray) -> tuple[float, float]:
    rows, cols = np.mgrid[0:28, 0:28]
    total = x28.sum()
    return float((rows * x28).sum() / total), float((cols * x28).sum() / total)


def test_load_sample_dir_reads_images_of_any_size_and_polarity(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    save_png(folder / "1_dark-on-light.png", dark_on_light(bar_canvas(120)))
    save_png(folder / "0_light-on-dark.png", light_on_dark(ring_canvas(300)))
    wide = np.zeros((90, 200), dtype=np.float32)
    wide[10:80, 95:105] = 1.0
    save_png(folder / "1_wide.bmp", dark_on_light(wide))

    x, y, problems = load_sample_dir(folder)

    assert problems == []
    assert x.dtype == np.float32
    assert x.shape == (3, 28, 28)
    assert y.dtype == np.int64
    assert y.tolist() == [0, 1, 1]  # sorted file names
    for image in x:
        assert image.max() == pytest.approx(1.0, abs=0.02)
        assert image.min() >= 0.0
        row, col = centre_of_mass(image)
        assert abs(row - 14) < 1.5
        assert abs(col - 14) < 1.5
    zero, one, wide_one = x
    # The "0" is a ring: ink all round, a hole in the middle.
    assert zero[12:16, 12:16].max() < 0.1
    assert zero[:, :10].sum() > 5
    assert zero[:, 18:].sum() > 5
    # The "1"s are tall and thin: almost all ink in the middle columns.
    for bar in (one, wide_one):
        assert bar[:, 10:18].sum() > 0.95 * bar.sum()
        inked_rows = np.flatnonzero(bar.max(axis=1) > 0.5)
        assert inked_rows[-1] - inked_rows[0] >= 17
    # Same as the canvas's own preparation of the same drawing.
    np.testing.assert_allclose(one, x28_of(bar_canvas(120)), atol=0.1)


def test_load_sample_dir_reads_the_apps_own_sample_files(tmp_path, store):
    first = store.add(ONE, 1, STROKES)
    second = store.add(ZERO, 0)
    x, y, problems = load_sample_dir(store.root)
    assert problems == []
    assert y.tolist() == [0, 1]  # 0_... sorts before 1_...
    np.testing.assert_array_equal(x[0], ZERO)
    np.testing.assert_array_equal(x[1], ONE)
    assert first.path.exists()
    assert second.path.exists()


def test_load_sample_dir_reports_bad_files_and_keeps_the_rest(tmp_path, store):
    good = store.add(ONE, 1)
    bad = store.add(ZERO, 0)
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / good.path.name).write_bytes(good.path.read_bytes())
    damaged = folder / bad.path.name
    damaged.write_bytes(bad.path.read_bytes()[:500])
    save_png(folder / "7_seven.png", dark_on_light(bar_canvas(200)))
    save_png(folder / "5_blank.png", np.full((60, 60), 255, dtype=np.uint8))
    (folder / "6_broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (folder / "8_empty.jpg").write_bytes(b"")
    save_png(folder / "seven.png", dark_on_light(bar_canvas(200)))
    (folder / "notes.txt").write_text("hello")
    (folder / "4_notes.txt").write_text("hello")
    (folder / ".hidden.png").write_text("ignored")
    sub = folder / "3_sub"
    sub.mkdir()
    save_png(sub / "3_inside.png", dark_on_light(bar_canvas(100)))

    x, y, problems = load_sample_dir(folder)

    assert y.tolist() == [1, 7]
    assert x.shape == (2, 28, 28)
    np.testing.assert_array_equal(x[0], ONE)
    text = "\n".join(problems)
    assert len(problems) == 7, text
    assert f"{damaged.name}: not a usable sample" in text
    assert "5_blank.png: the image is blank" in text
    assert "6_broken.png" in text
    assert "8_empty.jpg" in text
    assert "empty" in text
    assert "seven.png: not named <digit>_<anything>.png" in text
    assert "notes.txt: not named" in text
    assert "4_notes.txt: not an image" in text
    assert "3_sub" not in text
    assert "hidden" not in text
    # Not our folder: the damaged file is reported, never moved.
    assert damaged.exists()
    assert not (folder / "quarantine").exists()


def test_load_sample_dir_with_only_npz_files_does_not_import_qt(tmp_path):
    store = SampleStore(tmp_path / "s")
    store.add(ONE, 1)
    code = (
        "import sys\n"
        "from digitpad.storage.sample_folders import load_sample_dir\n"
        f"x, y, p = load_sample_dir({str(store.root)!r})\n"
        "print('LOADED', y.tolist(), 'PySide6' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert "LOADED [1] False" in result.stdout, result.stdout + result.stderr


def test_load_sample_dir_errors(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SampleError, match="No usable sample"):
        load_sample_dir(empty)
    with pytest.raises(SampleError, match="does not exist"):
        load_sample_dir(tmp_path / "missing")
    a_file = tmp_path / "3_file.png"
    a_file.write_bytes(b"x")
    with pytest.raises(SampleError, match="not a folder"):
        load_sample_dir(a_file)
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "readme.md").write_text("no digits here")
    with pytest.raises(SampleError, match=r"No usable sample(.|\n)*readme.md: not named"):
        load_sample_dir(only_bad)


def test_read_ids_reads_only_those_samples(tmp_path) -> None:
    store = SampleStore(tmp_path)
    x = np.zeros((28, 28), np.float32)
    x[10:18, 12:16] = 1.0
    kept = [store.add(x, digit) for digit in (1, 2, 3)]
    (tmp_path / f"4_{'0' * 8}-deadbeef.npz").write_bytes(b"damaged")
    found = store.read_ids([kept[0].id, kept[2].id, "0" * 8 + "-deadbeef", "unknown"])
    assert [s.id for s in found] == [kept[0].id, kept[2].id]
    assert [s.label for s in found] == [1, 3]
    assert SampleStore(tmp_path / "none").read_ids([kept[0].id]) == []

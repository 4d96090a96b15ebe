import csv
import json
import os
import time

import numpy as np
import pytest
from PySide6.QtGui import QImage

from digitpad.cli import main
from digitpad.storage import sample_export
from digitpad.storage.mnist import _read_idx
from digitpad.storage.sample_export import export_samples, import_samples, png_bytes
from digitpad.storage.samples import SampleError, SampleStore, prepare_sample


def drawing(rng, label):
    """A 28x28 input of unrounded floats (not multiples of 1/255), blank margins like MNIST."""
    x = np.zeros((28, 28), np.float32)
    x[4:24, 4:24] = rng.random((20, 20), dtype=np.float32)
    x[rng.random((28, 28)) < 0.6] = 0.0
    x[10 + label % 5, 10] = 1.0
    return x


@pytest.fixture
def kept(tmp_path):
    """A store of 30 drawings: odd ones with strokes, even ones opened images."""
    rng = np.random.default_rng(7)
    store = SampleStore(tmp_path / "kept")
    for i in range(30):
        strokes = [rng.random((5 + i, 2)) * 280, rng.random((3, 2)) * 280] if i % 2 else ()
        store.add(drawing(rng, i % 10), i % 10, strokes, pen_width=12.0 + i)
    return store


def content(store):
    return sorted((s.label, s.x28.tobytes()) for s in store.samples())


def test_export_writes_pngs_csv_strokes_and_mnist_idx(kept, tmp_path):
    samples = kept.samples()
    out = tmp_path / "export"
    report = export_samples(samples, out)
    assert (report.count, report.with_strokes) == (30, 15)

    rows = list(csv.DictReader((out / "labels.csv").open(encoding="utf-8")))
    assert [r["file"] for r in rows] == [f"{s.label}/{s.id}.png" for s in samples]
    assert [int(r["digit"]) for r in rows] == [s.label for s in samples]
    assert [r["date"] for r in rows] == [s.created for s in samples]
    assert [float(r["pen_width"]) for r in rows] == [s.pen_width for s in samples]
    for row, sample in zip(rows, samples, strict=True):
        image = QImage(str(out / row["file"]))
        assert (image.width(), image.height()) == (28, 28)
        assert image.isGrayscale()
        grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
        pixels = np.array(
            [[grey.pixelColor(c, r).red() for c in range(28)] for r in range(28)], np.uint8
        )
        np.testing.assert_array_equal(pixels, np.rint(sample.x28 * 255).astype(np.uint8))

    images = _read_idx(out / "images-idx3-ubyte.gz", 0x803, (30, 28, 28))
    labels = _read_idx(out / "labels-idx1-ubyte.gz", 0x801, (30,))
    np.testing.assert_array_equal(labels, [s.label for s in samples])
    np.testing.assert_array_equal(images[3], np.rint(samples[3].x28 * 255).astype(np.uint8))

    lines = (out / "strokes.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    with_strokes = [s for s in samples if s.strokes]
    assert [r["file"] for r in records] == [f"{s.label}/{s.id}.png" for s in with_strokes]
    first = with_strokes[0]
    assert len(records[0]["strokes"]) == len(first.strokes)
    np.testing.assert_allclose(records[0]["strokes"][0], first.strokes[0], atol=0.006)
    assert records[0]["pen_width"] == first.pen_width
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def test_export_then_import_gives_the_same_drawings(kept, tmp_path):
    out = tmp_path / "export"
    export_samples(kept.samples(), out)
    fresh = SampleStore(tmp_path / "fresh")
    report = import_samples(out, fresh)
    assert (report.added, report.duplicates, report.problems) == (30, 0, [])
    assert content(fresh) == content(kept)
    by_content = {(s.label, s.x28.tobytes()): s for s in fresh.samples()}
    for sample in kept.samples():
        again = by_content[(sample.label, sample.x28.tobytes())]
        assert again.pen_width == sample.pen_width
        assert len(again.strokes) == len(sample.strokes)
        for a, b in zip(again.strokes, sample.strokes, strict=True):
            np.testing.assert_array_equal(a, b)

    # Importing again adds nothing.
    again = import_samples(out, fresh)
    assert (again.added, again.duplicates) == (0, 30)
    assert len(fresh) == 30


def test_an_export_without_its_sample_files_imports_from_the_pngs(kept, tmp_path):
    out = tmp_path / "export"
    export_samples(kept.samples(), out)
    for path in (out / "samples").iterdir():
        path.unlink()
    fresh = SampleStore(tmp_path / "fresh")
    report = import_samples(out, fresh)
    assert report.added == 30
    fresh_samples = fresh.samples()
    assert sorted(s.label for s in fresh_samples) == sorted(s.label for s in kept.samples())
    # An exported 28x28 PNG is taken as the input itself, not prepared again:
    # the same grey levels (pixels fainter than load_ink's noise floor aside).
    for sample in kept.samples():
        theirs = np.rint(sample.x28 * 255) / 255
        strong = theirs >= 0.2
        closest = min(
            (s for s in fresh_samples if s.label == sample.label),
            key=lambda s: float(np.abs(s.x28[strong] - theirs[strong]).max()),
        )
        np.testing.assert_allclose(closest.x28[strong], theirs[strong], atol=1 / 255 + 1e-6)
        assert not closest.x28[theirs == 0].any()


def test_import_of_named_images_prepares_them_and_reports_what_it_skips(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    big = np.full((100, 80), 255, np.uint8)
    big[20:80, 35:45] = 0  # a dark "1" on white paper
    image = QImage(big.data, 80, 100, 80, QImage.Format.Format_Grayscale8)
    assert image.copy().save(str(folder / "1_photo.png"))
    (folder / "7_blank.png").write_bytes(png_bytes(np.zeros((28, 28), np.uint8)))
    (folder / "3_broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    (folder / "notes.txt").write_text("hello")
    (folder / "4_fake.npz").write_bytes(b"PK\x03\x04 no zip")
    os.mkfifo(folder / "5_pipe.png")
    (folder / ".hidden.png").write_bytes(b"ignored")
    store = SampleStore(tmp_path / "store")

    report = import_samples(folder, store)

    assert report.added == 1
    [sample] = store.samples()
    assert sample.label == 1
    assert sample.strokes == ()
    assert sample.x28.shape == (28, 28)
    assert sample.x28.max() == pytest.approx(1.0)
    problems = "\n".join(report.problems)
    assert len(report.problems) == 5, problems
    for name in ("7_blank.png", "3_broken.png", "notes.txt", "4_fake.npz", "5_pipe.png"):
        assert name in problems
    assert ".hidden" not in problems


def test_digit_folders_give_their_digit(tmp_path):
    folder = tmp_path / "dataset"
    (folder / "8").mkdir(parents=True)
    pixels = np.zeros((28, 28), np.uint8)
    pixels[6:22, 12:16] = 255
    (folder / "8" / "whatever.png").write_bytes(png_bytes(pixels))
    (folder / "8" / "deeper").mkdir()
    store = SampleStore(tmp_path / "store")
    assert import_samples(folder, store).added == 1
    assert [s.label for s in store.samples()] == [8]


def test_nothing_to_import_and_missing_folders_are_errors(tmp_path):
    with pytest.raises(SampleError, match="does not exist"):
        import_samples(tmp_path / "missing", SampleStore(tmp_path / "s"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(SampleError, match="Nothing to import"):
        import_samples(tmp_path / "empty", SampleStore(tmp_path / "s"))


def test_export_refuses_a_non_empty_folder_and_an_empty_store(kept, tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("keep me")
    with pytest.raises(SampleError, match="not empty"):
        export_samples(kept.samples(), busy)
    assert os.listdir(busy) == ["mine.txt"]
    with pytest.raises(SampleError, match="no kept drawings"):
        export_samples([], tmp_path / "new")
    (tmp_path / "empty").mkdir()
    assert export_samples(kept.samples(), tmp_path / "empty").count == 30


def test_export_under_a_file_says_the_parent_is_a_file(kept, tmp_path):
    """Not mkdir's "(File exists)"."""
    png = tmp_path / "one.png"
    png.write_bytes(b"PNG?")
    for target in (png / "sub", png / "sub" / "deeper"):
        with pytest.raises(SampleError) as caught:
            export_samples(kept.samples(), target)
        assert str(caught.value) == (
            f"{png} is a file, not a folder, so {target} cannot be created; "
            "choose a new or empty folder."
        )
    assert sorted(os.listdir(tmp_path)) == ["kept", "one.png"]


def test_a_failed_export_leaves_nothing(kept, tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sample_export, "idx_bytes", full_disk)
    with pytest.raises(SampleError, match="No space left"):
        export_samples(kept.samples(), tmp_path / "out")
    assert sorted(os.listdir(tmp_path)) == ["kept"]


def test_a_failure_in_the_middle_of_an_export_leaves_nothing(kept, tmp_path, monkeypatch):
    real = sample_export._write_new
    written = []

    def full_disk_at_the_ninth(path, data):
        written.append(path)
        if len(written) == 9:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(sample_export, "_write_new", full_disk_at_the_ninth)
    with pytest.raises(SampleError, match="No space left.*nothing was written"):
        export_samples(kept.samples(), tmp_path / "out")
    assert sorted(os.listdir(tmp_path)) == ["kept"]


def test_an_import_adds_in_batches_and_a_failed_batch_leaves_the_earlier_ones(
    kept, tmp_path, monkeypatch
):
    out = tmp_path / "export"
    export_samples(kept.samples(), out)
    monkeypatch.setattr(sample_export, "BATCH", 7)
    fresh = SampleStore(tmp_path / "fresh")
    batches = []
    real = fresh.add_many

    def third_fails(prepared):
        batches.append(len(prepared))
        if len(batches) == 3:
            raise SampleError("Could not save the samples (No space left on device).")
        return real(prepared)

    monkeypatch.setattr(fresh, "add_many", third_fails)
    with pytest.raises(SampleError, match="The 14 drawings imported before stay"):
        import_samples(out, fresh)
    assert batches == [7, 7, 7]
    assert len(SampleStore(fresh.root).samples()) == 14

    # Imported again, the 14 are found already kept and the rest is added.
    monkeypatch.setattr(fresh, "add_many", real)
    report = import_samples(out, fresh)
    assert (report.added, report.duplicates, report.problems) == (16, 14, [])
    assert content(fresh) == content(kept)


def test_one_drawing_imported_before_a_failed_batch_is_said_in_the_singular(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    for name, column in (("1_a.png", 12), ("1_b.png", 16)):
        pixels = np.zeros((28, 28), np.uint8)
        pixels[5:23, column : column + 3] = 255
        (folder / name).write_bytes(png_bytes(pixels))
    monkeypatch.setattr(sample_export, "BATCH", 1)
    store = SampleStore(tmp_path / "store")
    real = store.add_many
    batches = []

    def second_fails(prepared):
        batches.append(len(prepared))
        if len(batches) == 2:
            raise SampleError("Could not save the samples (No space left on device).")
        return real(prepared)

    monkeypatch.setattr(store, "add_many", second_fails)
    with pytest.raises(SampleError) as failure:
        import_samples(folder, store)
    assert str(failure.value) == (
        "Could not save the samples (No space left on device). "
        "The drawing imported before stays in the store."
    )


@pytest.mark.parametrize("read", ["import", "adapt"])
def test_a_reason_that_ends_a_sentence_is_not_followed_by_a_second_stop(
    read, tmp_path, monkeypatch
):
    from digitpad.drawing import images
    from digitpad.storage.sample_folders import load_sample_dir

    def refuse(path):
        raise images.ImageError(f"{path}: the scanner left it unreadable.")

    monkeypatch.setattr(images, "load_ink", refuse)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "3_a.png").write_bytes(png_bytes(np.eye(28, dtype=np.uint8) * 255))
    if read == "import":
        problems = import_samples(folder, SampleStore(tmp_path / "store")).problems
    else:
        with pytest.raises(SampleError) as failure:
            load_sample_dir(folder)
        problems = str(failure.value).split("\n  ")[1:]
    assert problems == ["3_a.png: the scanner left it unreadable; skipped."]


def test_stopping_an_import_keeps_what_was_added(kept, tmp_path):
    out = tmp_path / "export"
    export_samples(kept.samples(), out)
    fresh = SampleStore(tmp_path / "fresh")
    report = import_samples(out, fresh, progress=lambda done, total: done < 10)
    assert report.stopped
    assert report.added == 10
    assert len(fresh) == 10


def test_cli_export_and_import(kept, tmp_path, capsys, monkeypatch, digitpad_home):
    from digitpad.storage import paths

    # The app's own store is under DIGITPAD_HOME: fill it from the fixture's files.
    paths.samples_dir().mkdir(parents=True)
    for sample in kept.samples():
        (paths.samples_dir() / sample.path.name).write_bytes(sample.path.read_bytes())
    out = tmp_path / "out"
    assert main(["export-samples", str(out)]) == 0
    assert capsys.readouterr().out == f"Exported 30 drawings to {out} (15 with strokes).\n"
    assert main(["export-samples", str(out)]) == 1
    assert "is not empty" in capsys.readouterr().err

    for path in paths.samples_dir().iterdir():
        path.unlink()
    (out / "stray.txt").write_text("?")
    assert main(["import-samples", str(out)]) == 1  # a file was skipped
    captured = capsys.readouterr()
    assert captured.err == (
        "digitpad: stray.txt: not an image named <digit>_<anything> (or in a folder named "
        "after its digit) nor a digitpad sample; skipped.\n"
    )
    assert captured.out.startswith("Imported 30 drawings into ")
    assert content(SampleStore()) == content(kept)
    assert main(["import-samples", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.slow
def test_round_trip_of_5000_drawings_is_exact(tmp_path):
    rng = np.random.default_rng(1)
    source = SampleStore(tmp_path / "source")
    strokes = [[[(i, 1.0), (2.0, 3.0)]] for i in range(5000)]
    source.add_many(
        [prepare_sample(drawing(rng, i % 10), i % 10, strokes[i]) for i in range(5000)]
    )

    started = time.perf_counter()
    samples = SampleStore(source.root).samples()
    export_samples(samples, tmp_path / "out")
    exported = time.perf_counter() - started
    fresh = SampleStore(tmp_path / "fresh")
    report = import_samples(tmp_path / "out", fresh)
    total = time.perf_counter() - started
    print(f"\n5000 drawings: export {exported:.1f} s, export + import {total:.1f} s")

    assert (report.added, report.problems) == (5000, [])
    assert content(fresh) == content(source)
    # Issue #15's target (under 10 s) is measured by
    # tests/benchmarks/bench_samples.py, not asserted here: machines are noisy.

import json
import logging
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from PySide6.QtGui import QImage

from digitpad import __version__
from digitpad.cli import main


def save_digit(path, pixels: np.ndarray, invert: bool = False, scale: int = 4) -> str:
    """Save a 28x28 uint8 MNIST digit as a PNG, enlarged, maybe dark-on-light."""
    big = np.kron(pixels, np.ones((scale, scale), np.uint8))
    if invert:
        big = 255 - big
    big = np.ascontiguousarray(big)
    image = QImage(
        big.data, big.shape[1], big.shape[0], big.shape[1], QImage.Format.Format_Grayscale8
    )
    assert image.copy().save(str(path))
    return str(path)


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"digitpad {__version__}"


def test_python_m_digitpad_help():
    proc = subprocess.run(
        [sys.executable, "-m", "digitpad", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    for command in ("train", "evaluate", "predict", "info"):
        assert command in proc.stdout


def test_info_without_a_model(capsys, digitpad_home):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert str(digitpad_home) in out
    assert "No trained model is cached yet" in out


@pytest.mark.parametrize(
    "argv",
    [["train", "--epochs", "0"], ["train", "--recipe", "fancy"], ["frobnicate"], ["predict"]],
)
def test_bad_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage" in capsys.readouterr().err


def test_evaluate_without_a_model_says_to_train(capsys):
    assert main(["evaluate"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "digitpad train" in err


def test_train_with_a_bad_mnist_path(capsys, tmp_path):
    assert main(["train", "--mnist", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("digitpad: MNIST copy not found")
    assert "Traceback" not in err


@pytest.mark.mnist
def test_train_then_evaluate_then_info(mnist, capsys, digitpad_home):
    argv = ["train", "--recipe", "seed", "--samples", "3000", "--epochs", "1"]
    assert main([*argv, "--mnist", mnist.source]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("test loss: ")
    assert lines[1].startswith("test accuracy: ")
    trained_accuracy = float(lines[1].split(": ")[1])
    assert trained_accuracy > 0.8
    assert "epoch 1/1" in captured.err  # the progress bar

    assert main(["evaluate", "--mnist", mnist.source]) == 0
    out = capsys.readouterr().out
    assert float(out.splitlines()[1].split(": ")[1]) == pytest.approx(trained_accuracy, abs=1e-4)

    assert main(["info"]) == 0
    out = capsys.readouterr().out
    manifest = json.loads(out[out.index("{") :])
    assert manifest["recipe"]["train_samples"] == 3000
    assert manifest["recipe"]["name"] == "seed"
    assert manifest["test_accuracy"] == pytest.approx(trained_accuracy, abs=1e-4)


@pytest.mark.mnist
def test_predict_reads_mnist_digits_in_both_polarities(mnist, cached_model_home, tmp_path, capsys):
    picks = [int(np.flatnonzero(mnist.y_test == d)[0]) for d in (0, 1, 7)]
    files = [
        save_digit(tmp_path / f"d{i}.png", mnist.x_test[i], invert=bool(n % 2))
        for n, i in enumerate(picks)
    ]
    assert main(["predict", "--json", *files]) == 0
    # JSON Lines: one object per image, in order, whatever the number of images.
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["digit"] for r in results] == [0, 1, 7]
    assert [r["image"] for r in results] == files
    for result in results:
        assert sum(result["probabilities"]) == pytest.approx(1.0, abs=1e-4)
        assert result["confidence"] == max(result["probabilities"])

    assert main(["predict", files[0]]) == 0
    assert capsys.readouterr().out.startswith(f"{files[0]}: 0 (")


def test_predict_blank_and_unreadable_images(tmp_path, capsys):
    blank = save_digit(tmp_path / "blank.png", np.zeros((28, 28), np.uint8))
    assert main(["predict", blank]) == 1
    assert "no digit found" in capsys.readouterr().err
    (tmp_path / "bad.png").write_text("not an image")
    assert main(["predict", str(tmp_path / "bad.png")]) == 1
    err = capsys.readouterr().err
    assert "not an image" in err
    assert err.count("\n") == 1


def test_predict_without_a_model(tmp_path, capsys):
    digit = np.zeros((28, 28), np.uint8)
    digit[5:23, 13:16] = 255
    assert main(["predict", save_digit(tmp_path / "one.png", digit)]) == 1
    assert "digitpad train" in capsys.readouterr().err


@pytest.mark.mnist
def test_train_with_a_damaged_pen_bundle_says_reinstall(mnist, capsys, tmp_path, monkeypatch):
    from digitpad.net import pen_training_set

    fake = tmp_path / "pendigits-train.gz"
    fake.write_bytes(b"damaged")
    monkeypatch.setattr(pen_training_set, "bundled_path", lambda: fake)
    assert main(["train", "--samples", "500", "--epochs", "1", "--mnist", mnist.source]) == 1
    err = capsys.readouterr().err
    assert "reinstall digitpad" in err
    assert "Traceback" not in err


def _sideways_pngs(mnist, folder, per_digit: int = 6) -> None:
    """PNGs named <digit>_<n>.png of digits turned a quarter, half of them inverted."""
    folder.mkdir()
    for digit in range(10):
        for n, index in enumerate(np.nonzero(mnist.y_test == digit)[0][:per_digit]):
            pixels = np.ascontiguousarray(np.rot90(mnist.x_test[index]))
            save_digit(folder / f"{digit}_{n}.png", pixels, invert=n % 2 == 1, scale=3 + n)


def test_adapt_from_images_then_predict_uses_the_personal_network(
    mnist, cached_model_home, tmp_path, capsys, monkeypatch
):
    import digitpad.net.adaptation
    from digitpad.net.adoption import Decision
    from digitpad.storage.model_store import ModelStore

    monkeypatch.setenv("DIGITPAD_ADAPT_STEPS", "20")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "3000")
    # The rules are tested in test_adoption/test_adapt; pinned here for the flow.
    monkeypatch.setattr(
        digitpad.net.adaptation, "decide", lambda b, a: Decision(True, "Adopted: pinned.")
    )
    folder = tmp_path / "mine"
    _sideways_pngs(mnist, folder)
    (folder / "notes.txt").write_text("not a drawing")
    assert main(["adapt", "--samples", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "60 drawings" in captured.err
    assert "notes.txt" in captured.err  # reported, skipped
    assert "your accuracy: before" in captured.out
    assert "MNIST test accuracy: before" in captured.out
    assert "Adopted: pinned." in captured.out
    store = ModelStore()
    assert store.active_name() == "personal"
    # Every drawing is read once by a network adapted without it (cross-validation).
    assert store.read_manifest("personal")["adapted"]["held_back"] == 60
    image = save_digit(tmp_path / "seven.png", mnist.x_test[0])
    assert main(["predict", "--json", image]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["network"] == "personal"
    assert set(result) >= {"digit", "sure", "reason", "confidence", "probabilities"}
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "in use:       personal network" in out
    assert "your personal LeNet, adapted" in out


def test_adapt_refused_keeps_the_base_network(
    mnist, cached_model_home, tmp_path, capsys, monkeypatch
):
    import digitpad.net.adaptation
    from digitpad.net.adoption import Decision
    from digitpad.storage.model_store import ModelStore

    monkeypatch.setenv("DIGITPAD_ADAPT_STEPS", "20")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "3000")
    monkeypatch.setattr(
        digitpad.net.adaptation,
        "decide",
        lambda b, a: Decision(False, "Kept the current network."),
    )
    folder = tmp_path / "mine"
    _sideways_pngs(mnist, folder)
    assert main(["adapt", "--samples", str(folder)]) == 0
    assert "Kept the current network." in capsys.readouterr().out
    assert not ModelStore().has("personal")
    assert ModelStore().active_name() == "base"


def test_adapt_with_too_few_or_no_drawings(tmp_path, capsys):
    folder = tmp_path / "few"
    folder.mkdir()
    assert main(["adapt", "--samples", str(folder)]) == 1
    assert "digitpad:" in capsys.readouterr().err
    for n in range(4):
        save_digit(folder / f"{n}_a.png", np.eye(28, dtype=np.uint8) * 255)
    assert main(["adapt", "--samples", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "at least 10" in err
    assert "Traceback" not in err
    assert main(["adapt", "--samples", str(tmp_path / "missing")]) == 1


NOT_AN_IMAGE = (
    "4_b.png: not an image digitpad can read (use PNG, JPEG, GIF, BMP, WebP, TIFF or "
    "PBM/PGM/PPM); skipped."
)


def test_adapt_names_a_skipped_file_once_and_says_skipped_once(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    save_digit(folder / "3_a.png", a_one())
    (folder / "4_b.png").write_text("not an image")
    # One drawing is too few to adapt: refused before anything heavy is loaded.
    assert main(["adapt", "--samples", str(folder)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"digitpad: {NOT_AN_IMAGE}"


def test_adapt_lists_the_files_it_skipped_one_per_line(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "4_b.png").write_text("not an image")
    assert main(["adapt", "--samples", str(folder)]) == 1
    assert capsys.readouterr().err == (
        f"digitpad: No usable sample in {folder}. Put images named <digit>_<anything>.png "
        f"(e.g. 3_mine.png) or digitpad sample files there.\n  {NOT_AN_IMAGE}\n"
    )


def test_predict_reads_a_number_in_a_png(mnist, cached_model_home, tmp_path):
    """MNIST test digits 7, 2, 1, 0 side by side: "number", "digits" and the text line."""
    gap = np.zeros((28, 6), np.uint8)
    parts = []
    for index in range(4):
        parts += [mnist.x_test[index], gap]
    number = np.concatenate(parts[:-1], axis=1)
    truth = "".join(str(int(mnist.y_test[i])) for i in range(4))
    path = tmp_path / "number.png"
    save_digit(path, number, invert=True)
    proc = subprocess.run(
        [sys.executable, "-m", "digitpad", "predict", "--json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["number"] == truth
    assert [d["digit"] for d in result["digits"]] == [int(c) for c in truth]
    lefts = [d["box"][0] for d in result["digits"]]
    assert lefts == sorted(lefts)
    assert all(len(d["probabilities"]) == 10 for d in result["digits"])
    text = subprocess.run(
        [sys.executable, "-m", "digitpad", "predict", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert text.stdout.splitlines()[0].startswith(f"{path}: {truth}")


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_of_size(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size, built by hand (compresses to little)."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", body)
        + (png_chunk(b"IEND", b""))
    )


def a_one() -> np.ndarray:
    digit = np.zeros((28, 28), np.uint8)
    digit[5:23, 13:16] = 255
    return digit


def test_import_samples_escapes_a_newline_in_a_file_name_it_lists(tmp_path, capsys):
    folder = tmp_path / "drawings"
    folder.mkdir()
    (folder / "new\nline.png").write_bytes(b"")
    (folder / "notes.txt").write_text("?")
    assert main(["import-samples", str(folder)]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [
        "  new\\nline.png: not an image named <digit>_<anything> (or in a folder named "
        "after its digit) nor a digitpad sample; skipped.",
        "  notes.txt: not an image named <digit>_<anything> (or in a folder named "
        "after its digit) nor a digitpad sample; skipped.",
    ]


def test_import_samples_says_why_an_image_was_skipped_in_one_sentence(tmp_path, capsys):
    folder = tmp_path / "drawings"
    folder.mkdir()
    (folder / "3_huge.png").write_bytes(png_of_size(20000, 20000))
    assert main(["import-samples", str(folder)]) == 1
    assert capsys.readouterr().err == (
        "digitpad: 3_huge.png: the image is too large (20000x20000 pixels, at most 8192 per "
        "side); scale it down first; skipped.\n"
    )


def test_one_drawing_is_counted_in_the_singular(tmp_path, capsys):
    folder = tmp_path / "drawings"
    folder.mkdir()
    save_digit(folder / "1_a.png", a_one())
    assert main(["import-samples", str(folder)]) == 0
    assert capsys.readouterr().out.startswith("Imported 1 drawing into ")
    assert main(["export-samples", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.startswith("Exported 1 drawing to ")


def test_predict_of_a_truncated_png_prints_only_its_own_message(tmp_path):
    path = tmp_path / "cut.png"
    save_digit(path, a_one())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    proc = subprocess.run(
        [sys.executable, "-m", "digitpad", "predict", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        f"digitpad: {path}: the image could not be decoded (the PNG data ends too early); "
        "it may be truncated or corrupt\n"
    )


def test_what_the_image_decoder_says_goes_to_the_log(tmp_path, capsys, caplog):
    """A damaged text chunk (libpng warns through Qt's log): logged, the image read."""
    raw = b"".join(b"\x00" + bytes(row) for row in a_one())
    path = tmp_path / "commented.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 28, 28, 8, 0, 0, 0, 0))
        + png_chunk(b"zTXt", b"Comment\x00\x00not zlib data")
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )
    caplog.set_level(logging.DEBUG, logger="digitpad.drawing.images")
    # Read, then refused for want of a network; Qt's warning would fail the
    # test (qt_log_level_fail) if it reached Qt's handler.
    assert main(["predict", str(path)]) == 1
    assert "digitpad train" in capsys.readouterr().err
    assert "libpng warning: zTXt" in caplog.text


@pytest.mark.mnist
@pytest.mark.parametrize(
    "extra", [["--samples", "100"], ["--samples", "1000", "--batch-size", "4096"]]
)
def test_train_with_fewer_images_than_one_batch(extra, mnist, capsys, digitpad_home):
    assert main(["train", *extra, "--epochs", "1", "--mnist", mnist.source]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.out.splitlines()[1].startswith("test accuracy: ")


def _cache_a_network(name: str) -> tuple:
    from digitpad.net.lenet import ARCHITECTURE_ID, weight_shapes
    from digitpad.storage.model_store import ModelStore

    rng = np.random.default_rng(0)
    weights = [rng.standard_normal(shape).astype(np.float32) * 0.01 for shape in weight_shapes()]
    store = ModelStore()
    manifest = store.save(weights, {"architecture": ARCHITECTURE_ID, "test_accuracy": 0.9}, name)
    return store, store.root / manifest["weights_file"]


@pytest.mark.parametrize("name", ["base", "personal", "candidate"])
def test_use_refuses_a_network_whose_weights_file_is_truncated(name, capsys, digitpad_home):
    store, weights_file = _cache_a_network(name)
    weights_file.write_bytes(weights_file.read_bytes()[:1000])
    assert main(["use", name]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("digitpad: The cached model is unusable: its weights file is 1000 bytes")
    assert f"The {name} network was not put in use." in err
    assert store.active_name() == "base"
    assert not store.has(name)  # quarantined, as loading would


def test_use_puts_a_verified_network_in_use(capsys, digitpad_home):
    store, _weights_file = _cache_a_network("personal")
    assert main(["use", "personal"]) == 0
    assert capsys.readouterr().out == "The personal network (90.00% on MNIST test) is in use.\n"
    assert store.active_name() == "personal"


@pytest.mark.parametrize("command", [["adapt"], ["export-samples", "out"]])
def test_a_home_that_is_a_file_is_said_in_one_line(command, tmp_path, capsys, monkeypatch):
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("DIGITPAD_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    assert main(command) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("digitpad: Cannot ")
    assert f"{home} is a file, not a folder" in lines[0]
    assert "Correct 10 more" not in captured.err
    assert captured.out == ""


def test_a_samples_folder_that_is_a_file_is_said_in_one_line(capsys, digitpad_home):
    from digitpad.storage import paths

    paths.samples_dir().parent.mkdir(parents=True)
    paths.samples_dir().write_text("not a folder")
    for command in (["adapt"], ["export-samples", str(digitpad_home / "out")]):
        assert main(command) == 1
        assert capsys.readouterr().err == (
            f"digitpad: Cannot read your drawings: {paths.samples_dir()} is a file, not a "
            "folder. Move it away or set DIGITPAD_HOME to another folder.\n"
        )

"""A hostile but realistic user: strange files for the CLI, a damaged model cache.

One test per item of the issue "Hostile files and a damaged cache: no abort,
no hang, no lost model". Commands that could abort or hang run in a child
process with a timeout, so an abort (exit 134) or a hang fails the test
instead of killing or stalling the run; their time and peak memory are
measured there and shown in the case table.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from digitpad.cli import main
from digitpad.storage import paths
from digitpad.storage.model_store import ModelStore

pytestmark = pytest.mark.mnist

MB = 1024 * 1024
REFUSAL_S = 5.0
RUN = """
import sys
from digitpad.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
# VmHWM: this process's own peak resident memory.
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM")]
print("PEAK", int(peak[0].split()[1]) * 1024, file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak: int

    @property
    def messages(self) -> list[str]:
        """digitpad's own lines on stderr (TensorFlow's start-up chatter left out)."""
        return [line for line in self.err.splitlines() if line.startswith("digitpad: ")]

    def summary(self) -> str:
        first = short((self.messages or ["(no message)"])[0])
        return f"exit {self.code}, {self.seconds:.1f} s: {first[:90]}"


def run(*args: str, timeout: float = 60.0) -> Run:
    """``digitpad ARGS`` in a child process (its own DIGITPAD_HOME from the environment)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "3"}
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", RUN, *args],
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"digitpad {' '.join(args)} hung (no answer in {timeout:.0f} s)")
    seconds = time.monotonic() - started
    err = proc.stderr.decode("utf-8", "replace")
    peaks = re.findall(r"^PEAK (\d+)$", err, re.MULTILINE)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), err, seconds,
               int(peaks[-1]) if peaks else 0)  # fmt: skip


def short(message: str) -> str:
    """``message`` without folder names (temporary paths say nothing in the table)."""
    return re.sub(r"/[^\s:]*/", "", message.removeprefix("digitpad: "))


def assert_clean_failure(result: Run, pattern: str, limit_s: float = REFUSAL_S) -> None:
    """Exit 1, one line of digitpad's on stderr matching ``pattern``, no traceback, in time."""
    assert result.code == 1, (result.code, result.err[-2000:])
    assert "Traceback" not in result.err, result.err
    assert len(result.messages) == 1, result.messages
    assert re.search(pattern, result.messages[0]), result.messages
    assert result.seconds < limit_s, f"{result.seconds:.1f} s"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def seven_png(mnist, tmp_path_factory) -> Path:
    """The first MNIST test "7", 4x enlarged, dark on white: the small model reads it."""
    seven = mnist.x_test[int(np.flatnonzero(mnist.y_test == 7)[0])]
    pixels = np.ascontiguousarray(255 - np.kron(seven, np.ones((4, 4), np.uint8)))
    image = QImage(pixels.data, 112, 112, 112, QImage.Format.Format_Grayscale8).copy()
    path = tmp_path_factory.mktemp("images") / "seven.png"
    assert image.save(str(path))
    return path


SVG_TEXT = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    '<text x="20" y="80">7</text></svg>'
)


def svg_image(href: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="100" height="100"><image xlink:href="{href}" href="{href}" '
        'width="100" height="100"/></svg>'
    )


# 1 ---------------------------------------------------------------------------


def test_svg_with_text_neither_aborts_predict_nor_adapt(tmp_path, case):
    failures: list[str] = []
    svg = tmp_path / "t.svg"
    svg.write_text(SVG_TEXT)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "7_t.png").write_text(SVG_TEXT)  # an SVG named .png
    for what, args, pattern in [
        ("predict", ["predict", str(svg)], r"t\.svg: SVG is not supported"),
        ("adapt --samples", ["adapt", "--samples", str(folder)], r"No usable sample"),
    ]:
        entry = case(f"1. SVG with <text>: {what}", "refused in one line, exit 1, no abort")

        def check(args=args, pattern=pattern, entry=entry, what=what):
            result = run(*args)
            assert result.code != 134, "aborted (QFontDatabase outside a QGuiApplication)"
            if what.startswith("adapt"):
                assert "7_t.png: SVG is not supported" in result.err, result.err
            assert_clean_failure(result, pattern)
            entry.note(result.summary())

        entry.check(failures, check)
    assert not failures, "\n".join(failures)


# 2 ---------------------------------------------------------------------------


def test_svg_naming_a_fifo_or_another_image_is_refused_unread(tmp_path, seven_png, case):
    failures: list[str] = []
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for what, href in [("<image> naming a FIFO", fifo), ("<image> naming a PNG", seven_png)]:
        entry = case(f"2. SVG {what}: predict", "refused at once, the named file not read")
        path = tmp_path / f"{len(what)}.svg"
        path.write_text(svg_image(str(href)))

        def check(path=path, entry=entry):
            result = run("predict", str(path))
            assert_clean_failure(result, "SVG is not supported")
            assert result.out == "", "the referenced image was read and classified"
            entry.note(result.summary())

        entry.check(failures, check)
    assert not failures, "\n".join(failures)


# 3 ---------------------------------------------------------------------------


def damage_format(manifest: dict) -> dict:
    return {**manifest, "format": 2}


def damage_weights_file(manifest: dict) -> dict:
    return {**manifest, "weights_file": "../../../etc/passwd"}


@pytest.mark.parametrize(
    ("entry_name", "damage", "label"),
    [
        ("base", damage_format, '"format": 2'),
        ("base", damage_weights_file, "weights_file outside the folder"),
        ("personal", damage_format, 'personal.json "format": 2'),
    ],
)
def test_a_damaged_manifest_never_costs_the_weights(
    cached_model_home, case, entry_name, damage, label
):
    entry = case(f"3. manifest {label}, then info + next start", "weights kept (quarantine)")
    store = ModelStore()
    if entry_name == "personal":
        weights, _ = store.load("base", architecture="lenet-article-v1", shapes=_shapes())
        store.save(weights, {"architecture": "lenet-article-v1"}, name="personal")
        store.set_active("personal")
    manifest = store.read_manifest(entry_name)
    weights_file = cached_model_home / manifest["weights_file"]
    digest = sha256(weights_file)
    store.manifest_path(entry_name).write_text(json.dumps(damage(manifest)))

    assert main(["info"]) == 0
    store.clean()  # what every start does after loading
    assert main(["info"]) == 0
    store.clean()

    quarantined = {
        sha256(path): path.name for path in (cached_model_home / "quarantine").glob("*.npz")
    }
    assert digest in quarantined, "the intact weights file was deleted"
    assert not weights_file.exists()
    entry.note(f"weights in quarantine/{quarantined[digest]}")


def _shapes():
    from digitpad.net.lenet import weight_shapes

    return weight_shapes()


# 4 ---------------------------------------------------------------------------


def test_a_weights_bomb_is_refused_before_it_is_unpacked(cached_model_home, seven_png, case):
    entry = case(
        "4. weights .npz unpacking to 1 GiB (sha256 updated)",
        "refused from the zip directory; RSS growth < 300 MB",
    )
    baseline = run("predict", str(seven_png))
    assert baseline.code == 0, baseline.err[-2000:]
    store = ModelStore()
    manifest = store.read_manifest()
    real = np.load(cached_model_home / manifest["weights_file"])
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i in range(len(real.files)):
            with archive.open(f"w{i}.npy", "w", force_zip64=True) as member:
                if i != 4:
                    np.lib.format.write_array(member, real[f"w{i}"])
                    continue
                # 1 GiB of zeros under a header that claims it all: 1 MB on disk.
                header = {"descr": "<f4", "fortran_order": False, "shape": (1 << 28,)}
                np.lib.format.write_array_header_1_0(member, header)
                zeros = bytes(16 * MB)
                for _ in range(64):
                    member.write(zeros)
    data = raw.getvalue()
    (cached_model_home / manifest["weights_file"]).write_bytes(data)
    store.manifest_path().write_text(
        json.dumps({**manifest, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
    )
    # The name must match the new sha256 too, or the manifest is refused first.
    manifest = json.loads(store.manifest_path().read_text())
    new_name = f"base-{manifest['sha256'][:16]}.npz"
    (cached_model_home / manifest["weights_file"]).rename(cached_model_home / new_name)
    store.manifest_path().write_text(json.dumps({**manifest, "weights_file": new_name}))

    result = run("predict", str(seven_png))
    assert_clean_failure(result, "do not fit the network's architecture", limit_s=60)
    growth = (result.peak - baseline.peak) / MB
    extra_s = result.seconds - baseline.seconds
    entry.note(f"{len(data) / MB:.1f} MB file; RSS growth {growth:.0f} MB; {extra_s:+.1f} s")
    entry.note(short(result.messages[0])[:90])
    assert growth < 300
    assert extra_s < REFUSAL_S


# 5 ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["active.json", "base.json", "weights"])
def test_a_fifo_in_the_cache_hangs_nothing(cached_model_home, seven_png, case, where):
    entry = case(f"5. FIFO at {where}: info, predict", "answer at once; the FIFO is refused")
    store = ModelStore()
    target = {
        "active.json": cached_model_home / "active.json",
        "base.json": store.manifest_path(),
        "weights": cached_model_home / store.read_manifest()["weights_file"],
    }[where]
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    info = run("info", timeout=30)
    assert info.code == 0, info.err
    assert "Traceback" not in info.err
    predict = run("predict", str(seven_png), timeout=60)
    assert "Traceback" not in predict.err
    if where == "active.json":
        assert predict.code == 0, predict.err  # a garbled choice means base
    elif where == "base.json":
        # info met it first: refused and set aside (with the weights, intact).
        assert "base.json is a named pipe, not a file" in info.out, info.out
        assert_clean_failure(predict, "No trained model is cached yet", limit_s=60)
        assert len(list((cached_model_home / "quarantine").glob("*.npz"))) == 1
    else:
        assert_clean_failure(predict, r"base-\w+\.npz is a named pipe", limit_s=60)
        assert (cached_model_home / "quarantine").is_dir()
    entry.note(f"info {info.seconds:.1f} s; predict: {predict.summary()}")


# 6 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("test_accuracy", "high"), ("recipe", "x"), ("calibration.images", "many")],
)
def test_a_manifest_field_of_the_wrong_type_is_a_clear_refusal(
    cached_model_home, seven_png, capsys, case, field, value
):
    entry = case(f"6. manifest {field}: {value!r}", "info and predict: one clear line")
    store = ModelStore()
    manifest = store.read_manifest()
    if "." in field:
        outer, inner = field.split(".")
        manifest[outer] = {**manifest[outer], inner: value}
    else:
        manifest[field] = value
    store.manifest_path().write_text(json.dumps(manifest))

    assert main(["predict", str(seven_png)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("digitpad: The cached model is unusable: its manifest base.json"), err
    assert f"field '{field}' must be" in err, err
    entry.note(err.strip()[len("digitpad: The cached model is unusable: ") :][:90])
    # Put the entry back as it was, and ask info.
    for path in (cached_model_home / "quarantine").iterdir():
        path.rename(cached_model_home / path.name.split("-", 2)[2])
    assert main(["info"]) == 0
    out, err = capsys.readouterr()
    assert f"field '{field}' must be" in out, out
    assert "Traceback" not in out + err


# 7 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("var", "value"),
    [("DIGITPAD_EPOCHS", "abc"), ("DIGITPAD_EPOCHS", "-1"), ("DIGITPAD_TRAIN_SAMPLES", "0")],
)
def test_bad_environment_values_are_refused_by_train_and_adapt_alike(
    tmp_path, capsys, monkeypatch, case, var, value
):
    entry = case(f"7. {var}={value}: train, adapt", "same clear refusal, exit 1, at once")
    monkeypatch.setenv(var, value)
    folder = tmp_path / "mine"
    folder.mkdir()
    messages = []
    for args in (["train"], ["adapt", "--samples", str(folder)]):
        started = time.monotonic()
        assert main(args) == 1
        assert time.monotonic() - started < REFUSAL_S
        out, err = capsys.readouterr()
        assert err.count("\n") == 1, err
        messages.append(err)
    assert messages[0] == messages[1]
    assert messages[0].startswith(f"digitpad: {var} must be a positive whole number")
    assert not paths.models_dir().exists()
    entry.note(messages[0].strip()[:90])


# 8 ---------------------------------------------------------------------------


def test_a_worse_training_is_kept_aside_and_a_stale_personal_is_refused(
    cached_model_home, mnist, capsys, case
):
    entry = case(
        "8a. train --samples 1000 --epochs 1 over a better model",
        "kept as candidate; in use unchanged; 'use candidate' works",
    )
    store = ModelStore()
    old = store.read_manifest()
    assert main(["train", "--recipe", "seed", "--samples", "1000", "--epochs", "1"]) == 0
    out, err = capsys.readouterr()
    candidate = store.read_manifest("candidate")
    assert candidate["test_accuracy"] < old["test_accuracy"]
    assert store.read_manifest() == old
    assert store.active_name() == "base"
    assert "Kept as 'candidate'" in err, err
    assert "digitpad use candidate" in err, err
    entry.note(
        f"{candidate['test_accuracy']:.1%} kept aside, {old['test_accuracy']:.1%} stays in use"
    )

    stale = case(
        "8b. adapt started before a train, saved after it",
        "personal not kept, not in use; told why",
    )
    from digitpad.net import saved_models
    from digitpad.net.recipes import get_recipe
    from digitpad.storage.model_store import StaleEntryError

    x_user = mnist.x_test[:40].astype(np.float32) / 255
    y_user = mnist.y_test[:40].astype(np.int64)
    recipe = get_recipe("seed", train_samples=1000, epochs=1)
    result, base = saved_models.adapt_base(x_user, y_user, mnist, recipe=recipe, steps=3)
    # Meanwhile the user made the kept candidate the base network.
    assert main(["use", "candidate"]) == 0
    assert store.read_manifest()["sha256"] == candidate["sha256"]
    assert not store.has("candidate")
    with pytest.raises(StaleEntryError, match="base network changed while adapting") as info:
        saved_models.save_personal(result, base.manifest)
    assert not store.has("personal")
    assert store.active_name() == "base"
    stale.note(str(info.value)[:90])


# 9 ---------------------------------------------------------------------------


def test_messages_say_what_really_happened(tmp_path, seven_png, monkeypatch, capsys, case):
    failures: list[str] = []

    def expect(description: str, expected: str, test) -> None:
        entry = case(f"9. {description}", expected)
        entry.check(failures, lambda: entry.note(test()))

    def non_utf8_name() -> str:
        name = os.fsdecode(b"seven-\xff.png")
        (tmp_path / name).write_bytes(seven_png.read_bytes())
        # No model here: the image is read, then the missing model is the complaint.
        assert main(["predict", str(tmp_path / name)]) == 1
        err = capsys.readouterr().err
        assert "No trained model" in err, err
        assert "no such file" not in err, err
        return short(err.strip())[:80]

    def special(path: str, words: str):
        def test() -> str:
            assert main(["predict", path]) == 1
            err = capsys.readouterr().err
            assert err == f"digitpad: {path}: {words}\n", err
            return short(err.strip())

        return test

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)

    def home_is_a_file() -> str:
        home = tmp_path / "home-file"
        home.write_text("")
        monkeypatch.setenv("DIGITPAD_HOME", str(home))
        started = time.monotonic()
        assert main(["train", "--samples", "500", "--epochs", "1"]) == 1
        assert time.monotonic() - started < REFUSAL_S, "found only after training"
        err = capsys.readouterr().err
        assert f"{home} is a file, not a folder" in err, err
        monkeypatch.undo()
        return short(err.strip())[:90]

    def active_names_a_missing_entry() -> str:
        store = ModelStore()
        store.save([np.zeros(3, np.float32)], {"architecture": "x", "test_accuracy": 0.9})
        (store.root / "active.json").write_text('{"active": "personal"}')
        assert main(["info"]) == 0
        out = capsys.readouterr().out
        assert "No trained model" not in out, out
        line = next(line for line in out.splitlines() if line.startswith("in use:"))
        assert "personal is chosen but not in the cache" in line, out
        return line

    expect("non-UTF-8 file name", "read, not 'File not found'", non_utf8_name)
    pipe_words = "is a named pipe, not an image file"
    expect("a FIFO given to predict", "'is a named pipe'", special(str(fifo), pipe_words))
    device_words = "is a device, not an image file"
    expect("/dev/zero given to predict", "'is a device'", special("/dev/zero", device_words))
    expect("DIGITPAD_HOME is a file: train", "refused before training", home_is_a_file)
    expect(
        "active.json names a missing entry: info",
        "base shown, in use explained",
        active_names_a_missing_entry,
    )
    assert not failures, "\n".join(failures)


# 10 --------------------------------------------------------------------------


def test_a_batch_reads_every_image(cached_model_home, seven_png, tmp_path, capsys, case):
    entry = case(
        "10. predict good, unreadable, good (+ a name with a newline)",
        "2 results, 1 error line, exit 1; one JSON line each",
    )
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    odd = tmp_path / "odd\nname.png"
    odd.write_bytes(seven_png.read_bytes())
    images = [str(seven_png), str(bad), str(odd)]

    assert main(["predict", "--json", *images]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    results = [json.loads(line) for line in lines]
    assert [r["digit"] for r in results] == [7, 7]
    assert set(results[0]) >= {"digit", "sure", "reason", "confidence", "probabilities"}
    assert err.count("\n") == 1, err
    assert err.startswith(f"digitpad: {bad}: not an image digitpad can read"), err
    assert main(["predict", "--json", str(seven_png)]) == 0
    single = capsys.readouterr().out
    assert single.count("\n") == 1, "not the same shape for one image"
    assert json.loads(single)["digit"] == 7

    assert main(["predict", *images]) == 1
    out, _err = capsys.readouterr()
    # The newline is shown escaped: no forged output line.
    assert out.splitlines()[2].startswith(f"{tmp_path}/odd\\nname.png: "), out
    assert len(out.splitlines()) == 4  # two results of two lines each
    entry.note(f"{len(results)} JSON lines; stderr: {err.strip()[len(str(tmp_path)) + 11 :][:50]}")

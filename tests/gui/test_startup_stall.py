"""TensorFlow's native libraries preloaded off the GIL (``digitpad.net.preload``).

The worker loads them before ``import tensorflow`` so that their static
initialisers do not freeze the GUI thread (measured, not asserted, by
``tests/benchmarks/bench_startup_stall.py``). Here: the preload never
breaks the start-up (a missing or broken file falls back to the plain
import), it runs inside the quiet block, and the real thing works.
"""

from __future__ import annotations

import _ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from digitpad import quiet
from digitpad.gui import inference_worker
from digitpad.gui.inference_worker import InferenceWorker
from digitpad.net import preload

REPO = Path(__file__).resolve().parents[2]


def test_a_missing_library_is_skipped(tmp_path: Path) -> None:
    assert preload.preload([tmp_path / "libmissing.so.2"]) == []


def test_a_file_that_is_no_library_is_skipped(tmp_path: Path) -> None:
    broken = tmp_path / "libbroken.so.2"
    broken.write_bytes(b"not an ELF file")
    assert preload.preload([broken]) == []


def test_a_real_library_is_loaded_and_the_rest_still_tried(tmp_path: Path) -> None:
    real = Path(_ctypes.__file__)  # already loaded: dlopen only counts it once more
    missing = tmp_path / "libmissing.so.2"
    assert preload.preload([missing, real]) == [real]


def test_nothing_found_to_call_dlopen_with_loads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preload, "_dl_functions", lambda: None)
    assert preload.preload([Path(_ctypes.__file__)]) == []


def test_preloading_tensorflow_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_paths: object, flags: int | None = None) -> list[Path]:
        raise OSError("boom")

    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    monkeypatch.setattr(preload, "preload", broken)
    assert preload.preload_tensorflow() == []


def test_tensorflow_missing_files_load_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preload, "TENSORFLOW_LIBRARIES", ("libnot_there.so.2",))
    assert preload.tensorflow_libraries() == []


def test_tensorflow_not_installed_loads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preload.importlib.util, "find_spec", lambda name: None)
    assert preload.tensorflow_libraries() == []


@pytest.mark.parametrize("value", ["0", "false", "no", "off"])
def test_the_preload_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(preload.PRELOAD_ENV, value)
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    called = []
    monkeypatch.setattr(preload, "preload", lambda paths, flags=None: called.append(1) or [])
    assert preload.preload_tensorflow() == []
    assert not called


def test_the_worker_preloads_inside_the_quiet_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """The libraries' static initialisers print TensorFlow's start-up lines."""
    monkeypatch.delenv(quiet.DEBUG_ENV, raising=False)
    seen = []
    monkeypatch.setattr(
        inference_worker.preload,
        "preload_tensorflow",
        lambda: seen.append(getattr(quiet._state, "capturing", False)) or [],
    )
    worker = InferenceWorker()
    no_model: list[str] = []
    failed: list[str] = []
    worker.noModel.connect(no_model.append)
    worker.loadFailed.connect(failed.append)
    worker.load()  # an empty home: a blank network
    assert seen == [True]
    assert not failed
    assert no_model


@pytest.mark.parametrize(
    ("libraries", "preloaded"),
    [
        (None, "'libtensorflow_framework.so.2', 'libtensorflow_cc.so.2'"),
        (("libnot_there.so.2",), ""),  # the plain import loads them, as before
    ],
    ids=["preloaded", "missing"],
)
def test_a_fresh_process_loads_and_stays_quiet(
    tmp_path: Path, libraries: tuple[str, ...] | None, preloaded: str
) -> None:
    """The libraries load before TensorFlow, or not at all; it then works; stderr stays clean."""
    code = (
        "import sys\n"
        "from digitpad.gui.inference_worker import InferenceWorker\n"
        "from digitpad.net import preload\n"
        f"if {libraries!r} is not None:\n"
        f"    preload.TENSORFLOW_LIBRARIES = {libraries!r}\n"
        "loaded = []\n"
        "real = preload.preload_tensorflow\n"
        "def spy():\n"
        "    loaded.extend(p.name for p in real())\n"
        "    loaded.append('tensorflow' in sys.modules)\n"
        "    return []\n"
        "preload.preload_tensorflow = spy\n"
        "worker = InferenceWorker()\n"
        "events = []\n"
        "worker.noModel.connect(lambda m: events.append('noModel'))\n"
        "worker.loadFailed.connect(lambda m: events.append('failed: ' + m))\n"
        "worker.load()\n"
        "import tensorflow as tf\n"
        "print(loaded, events, int(tf.constant(2) + 1))\n"
    )
    env = {**os.environ, "DIGITPAD_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)}
    for name in (quiet.DEBUG_ENV, quiet.TF_LEVEL_ENV, preload.PRELOAD_ENV):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    loaded = f"[{preloaded}, False]" if preloaded else "[False]"
    assert result.stdout.strip() == f"{loaded} ['noModel'] 3"
    assert "oneDNN" not in result.stderr, result.stderr
    assert "I0000" not in result.stderr, result.stderr

"""The model session with no widget at all: loading, reading, first-launch training.

Real inference thread, real training process, the real small LeNet; and
what the session says, in English and in Chinese.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from helpers import ONE

import digitpad.net.progress
import digitpad.net.training_job
from digitpad.drawing.number_input import Drawing
from digitpad.gui import i18n
from digitpad.gui.session import FALLBACK_LEAD, ModelSession, ModelState
from digitpad.gui.training_process import PHASES, exit_description, phase_text
from digitpad.gui.wording import recipe_text
from digitpad.net.recipes import RECIPES, get_recipe
from digitpad.net.training_job import ADAPT, TRAIN

CJK = re.compile(r"[\u4e00-\u9fff]")

TIMEOUT_MS = 120_000


def one_drawing() -> Drawing:
    return Drawing((np.asarray(ONE[0], np.float64),), (18.0,))


@pytest.fixture
def session(qtbot):
    made = ModelSession()
    yield made
    made.shutdown()


@pytest.mark.mnist
def test_loads_reads_and_calibrates_once(qtbot, session, cached_model_home):  # noqa: ARG001
    drawing = one_drawing()
    session.reading.set_drawing_source(lambda: drawing)
    session.reading.set_layers_wanted(True)
    with qtbot.waitSignal(session.modelReady, timeout=TIMEOUT_MS):
        session.start()
    assert session.state is ModelState.READY
    assert not session.is_training()
    with qtbot.waitSignal(session.reading.readingChanged, timeout=TIMEOUT_MS) as blocker:
        session.reading.read_now()
    shown = blocker.args[0]
    assert shown.text == "1"
    assert abs(sum(shown.probabilities) - 1.0) < 1e-6
    # The network view gets the very probabilities the bars show.
    assert np.allclose(shown.layers["probabilities"], shown.probabilities, atol=1e-6)
    assert shown.layers["conv1"].shape == (24, 24, 20)
    session.reading.set_drawing_source(Drawing)
    with qtbot.waitSignal(session.reading.readingChanged, timeout=TIMEOUT_MS) as blocker:
        session.reading.read_now()
    assert blocker.args[0] is None


@pytest.mark.mnist
def test_cancel_keeps_the_model_in_use(qtbot, session, cached_model_home, monkeypatch):  # noqa: ARG001
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    with qtbot.waitSignal(session.modelReady, timeout=TIMEOUT_MS):
        session.start()
    before = session.manifest()
    assert session.start_training()
    assert not session.start_training()  # one job at a time
    with qtbot.waitSignal(
        session.jobProgress, timeout=TIMEOUT_MS, check_params_cb=lambda f: f > 0
    ):
        pass
    session.cancel_job()
    qtbot.waitUntil(lambda: not session.is_training(), timeout=TIMEOUT_MS)
    assert session.manifest() == before
    assert session.state is ModelState.READY


def test_a_session_shut_down_before_its_start_starts_nothing(qtbot) -> None:
    """A window closed before its first event-loop turn: no load, no first-launch training."""
    made = ModelSession()  # an empty DIGITPAD_HOME: a first launch
    made.shutdown()
    with qtbot.assertNotEmitted(made.stateChanged, wait=200):
        made.start()
    assert not made.is_training()
    assert made.state is ModelState.LOADING


def test_a_training_that_cannot_be_saved_says_so_as_it_starts(qtbot, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.write_text("a file where the folder should be")
    monkeypatch.setenv("DIGITPAD_HOME", str(home))
    made = ModelSession()
    try:
        with qtbot.waitSignal(made.notice, timeout=5000) as said:
            assert made.start_training()
        assert said.args[0].startswith("The new network cannot be saved (")
        assert "is a file, not a folder" in said.args[0]
        assert said.args[0].endswith("it will read only until you close digitpad.")
        made.cancel_job()
        qtbot.waitUntil(lambda: not made.is_training(), timeout=TIMEOUT_MS)
    finally:
        made.shutdown()


FIRST_LAUNCH = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QTimer
    from digitpad.gui.session import ModelSession, ModelState

    app = QCoreApplication([])
    session = ModelSession()
    states = []
    session.stateChanged.connect(lambda: states.append(session.state.value))
    session.modelReady.connect(lambda: QTimer.singleShot(0, app.quit))
    QTimer.singleShot(0, session.start)
    QTimer.singleShot(240_000, app.quit)
    app.exec()
    print("states", " ".join(dict.fromkeys(states)))
    print("ready", session.state is ModelState.READY)
    trainers = ("digitpad.net.training", "digitpad.net.adaptation")
    print("training-code", [m for m in trainers if m in sys.modules] or False)
    session.shutdown()
    """
)


@pytest.mark.mnist
def test_first_launch_trains_in_another_process(tmp_path, mnist):  # noqa: ARG001
    env = {
        **os.environ,
        "DIGITPAD_HOME": str(tmp_path / "home"),
        "DIGITPAD_TRAIN_SAMPLES": "2048",
        "DIGITPAD_EPOCHS": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", FIRST_LAUNCH], env=env, capture_output=True, text=True, timeout=300
    )
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert result.returncode == 0, result.stderr[-2000:]
    assert lines["ready"] == "True"
    assert "learning" in lines["states"].split()  # a snapshot was read before the final network
    # This process never imported digitpad's training or adaptation code.
    assert lines["training-code"] == "False"


# -- what the session says ---------------------------------------------------------


@pytest.fixture
def chinese(qapp):
    """The zh_CN translators installed for one test, English again afterwards."""
    assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
    yield qapp
    i18n.install_translators(qapp, "en")


def sent_phases() -> set[str]:
    """The fixed texts the training job (and its progress reporter) send as ``("phase", text)``."""
    found = set()
    for module in (digitpad.net.training_job, digitpad.net.progress):
        found |= _phases_in(Path(module.__file__).read_text(encoding="utf-8"))
    return found


def _phases_in(source: str) -> set[str]:
    tree = ast.parse(source)
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Tuple)
            and len(node.elts) == 2
            and isinstance(node.elts[0], ast.Constant)
            and node.elts[0].value == "phase"
        ):
            found.add(node.elts[1])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_prepare_pen_digits"
        ):
            found.add(node.args[2])
    return {n.value for n in found if isinstance(n, ast.Constant)}


def test_every_fixed_phase_of_the_training_job_is_translated() -> None:
    sent = sent_phases()
    assert "Loading MNIST…" in sent
    assert sent <= PHASES, sent - PHASES


def test_exit_descriptions_read_as_before() -> None:
    assert exit_description(None) == "it did not exit"
    assert exit_description(3) == "exit code 3"
    assert exit_description(-signal.SIGKILL) == "killed by SIGKILL (perhaps out of memory)"
    assert exit_description(-signal.SIGTERM) == "killed by SIGTERM"
    assert exit_description(-200) == "killed by signal 200"


@pytest.mark.parametrize(
    "recipe",
    [
        RECIPES["seed"],
        RECIPES["default"],
        get_recipe("default", epochs=1, train_samples=2048),
        get_recipe("seed", epochs=3, train_samples=500),
    ],
    ids=["seed", "default", "default-short", "seed-short"],
)
def test_the_recipe_reads_as_the_training_process_says_it(recipe) -> None:
    assert recipe_text(recipe) == recipe.describe()


def test_job_lines_in_english(session) -> None:
    session.job = TRAIN
    session.state = ModelState.READY
    session._manifest = {"test_accuracy": 0.9912, "created": "2026-11-27T21:05:00"}
    progress = SimpleNamespace(fraction=0.999, eta_s=65.0, epoch=2, epochs=2)
    session.on_training_progress(progress, None)
    assert session.status_text().endswith(" — Training 99% · epoch 2/2 · ETA 1:05")
    session.job = ADAPT
    session.on_training_progress(SimpleNamespace(fraction=0.5, eta_s=None), None)
    assert session.status_text().endswith(" — Adapting to your handwriting 50%")
    session.cancel_job()
    assert session.is_cancelling()
    assert session.status_text().endswith(" — Cancelling…")
    session.on_training_phase("Saving the model…")
    assert session.status_text().endswith(" — Cancelling…")
    session.on_training_ended()
    assert not session.is_cancelling()


def test_a_death_reads_as_before(qtbot, session) -> None:
    session.job = TRAIN
    with qtbot.waitSignal(session.jobFailed) as blocker:
        session.on_training_died(exit_description(-signal.SIGKILL))
    title, text = blocker.args
    assert title == "Training failed"
    assert text == (
        "Training stopped unexpectedly (killed by SIGKILL (perhaps out of memory)).\n\n"
        "The current model, if any, stays in use."
    )
    assert session.history.outcome == "failed"


def test_a_cancel_that_came_as_the_network_was_saved_asks_nothing(qtbot, session) -> None:
    session.job = TRAIN
    session.cancel_job()
    worse = {"test_accuracy": 0.9}
    kept = {"in_use": False, "replaced_accuracy": 0.99}
    with qtbot.assertNotEmitted(session.candidateKept), qtbot.waitSignal(session.notice) as said:
        session.on_training_finished(None, worse, "", kept)
    assert said.args[0] == (
        "The training had finished when it was cancelled; the new network is kept as "
        "'candidate' and the network in use stays."
    )


def test_the_session_speaks_chinese(qtbot, chinese, session) -> None:  # noqa: ARG001
    assert phase_text("Loading MNIST…") == "正在加载 MNIST…"
    assert CJK.search(phase_text("Testing on 10,000 MNIST digits…"))
    assert phase_text("Something not a phase…") == "Something not a phase…"
    assert exit_description(-signal.SIGKILL) == "被 SIGKILL 终止（可能是内存不足）"
    assert CJK.search(recipe_text(RECIPES["default"]))
    session.job = ADAPT
    with qtbot.waitSignal(session.jobFailed) as blocker:
        session.on_training_died(exit_description(9))
    title, text = blocker.args
    assert title == "适应笔迹失败"
    assert text.startswith("无法让网络适应你的笔迹：适应笔迹意外中止（退出码 9）。\n\n")
    note = "Your personal network could not be used (it is gone); using the base network."
    with qtbot.waitSignal(session.notice) as blocker:
        session.on_worker_loaded(
            {"name": "base", "test_accuracy": 0.99, "created": "2026-11-27T21:05:00"}, note
        )
    assert blocker.args[0] == f"{i18n.translate('ModelSession', FALLBACK_LEAD)}（{note}）"
    assert CJK.search(blocker.args[0])

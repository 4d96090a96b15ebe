"""The model session with no widget at all: loading, reading, first-launch training.

Real inference thread, real training process, the real small LeNet.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from helpers import ONE

from digitpad.drawing.number_input import Drawing
from digitpad.gui.session import ModelSession, ModelState

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 120_000


def one_drawing() -> Drawing:
    return Drawing((np.asarray(ONE[0], np.float64),), (18.0,))


@pytest.fixture
def session(qtbot):
    made = ModelSession()
    yield made
    made.shutdown()


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

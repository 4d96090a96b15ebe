"""Shared test set-up: Qt offscreen, digitpad's files in a temp dir, real MNIST."""

from __future__ import annotations

import os
from pathlib import Path

# Before anything imports Qt: no display is needed or used.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# TensorFlow's C++ start-up chatter is noise in test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = REPO_ROOT.parent / "shared" / "data" / "mnist"
SHARED_PENDIGITS = REPO_ROOT.parent / "shared" / "data" / "pendigits"

if not os.environ.get("DIGITPAD_MNIST") and SHARED_MNIST.is_dir():
    os.environ["DIGITPAD_MNIST"] = str(SHARED_MNIST)
MNIST_PATH = os.environ.get("DIGITPAD_MNIST", "")


@pytest.fixture(autouse=True)
def digitpad_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own DIGITPAD_HOME: no test sees the user's files."""
    home = tmp_path / "digitpad-home"
    monkeypatch.setenv("DIGITPAD_HOME", str(home))
    # Never download in tests: a missing local copy must be a visible skip.
    monkeypatch.setenv("DIGITPAD_MNIST_URL", "http://127.0.0.1:9/unreachable-mnist.npz")
    return home


@pytest.fixture(scope="session")
def mnist():
    """The real MNIST, from DIGITPAD_MNIST (default ../shared/data/mnist)."""
    from digitpad.storage.mnist import load_mnist

    if not MNIST_PATH or not Path(MNIST_PATH).exists():
        pytest.skip(
            "real MNIST is not reachable: set DIGITPAD_MNIST to a local copy "
            f"(looked for {SHARED_MNIST})"
        )
    return load_mnist(MNIST_PATH)


@pytest.fixture(scope="session")
def small_model_dir(mnist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real LeNet trained briefly on real MNIST (~97% test), cached once per run.

    Good enough to read clearly drawn digits; tests copy it into their own
    DIGITPAD_HOME with :func:`cached_model_home`.
    """
    from digitpad.net import saved_models
    from digitpad.net.training import get_recipe, train
    from digitpad.storage.model_store import ModelStore

    folder = tmp_path_factory.mktemp("small-model")
    # Small batches: enough steps for a 12,000-image run to learn well.
    recipe = get_recipe("default", train_samples=12000, epochs=2, batch_size=128)
    result = train(recipe, mnist)
    saved_models.save(result, mnist, store=ModelStore(folder))
    return folder


@pytest.fixture
def cached_model_home(small_model_dir: Path, digitpad_home: Path) -> Path:
    """DIGITPAD_HOME holding a copy of the small trained model; returns models dir."""
    import shutil

    from digitpad.storage import paths

    target = paths.models_dir()
    shutil.copytree(small_model_dir, target)
    return target


# -- GUI fixtures (tests/gui and tests/reliability) -------------------------------

MODEL_TIMEOUT_MS = 90_000


@pytest.fixture
def make_window(qtbot):
    """Build, register and show MainWindows; all are closed (threads stopped) at teardown."""
    from digitpad.gui import MainWindow

    windows = []

    def make(**kwargs):
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        window.resize(860, 600)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def ready_window(qtbot, make_window, cached_model_home):
    """A shown window that has loaded the small trained model."""
    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=MODEL_TIMEOUT_MS)
    return window


class MessageBoxes:
    """Records every QMessageBox shown and answers it with ``answer``."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Cancel

    def texts(self) -> str:
        return "\n".join(" | ".join(item) for item in self.shown)

    def titles(self) -> list[str]:
        return [title for title, _text, _informative in self.shown]


@pytest.fixture
def message_boxes(monkeypatch) -> MessageBoxes:
    """Make QMessageBox.exec non-blocking: record the box, return ``answer``."""
    boxes = MessageBoxes()

    def fake_exec(box):
        boxes.shown.append((box.windowTitle(), box.text(), box.informativeText()))
        return boxes.answer

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(
        QMessageBox, "about", lambda parent, title, text: boxes.shown.append((title, text, ""))
    )
    return boxes

"""File > Export My Digits… and Import Drawings…, with real actions and a real store."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMainWindow

from digitpad.gui import sample_files
from digitpad.gui.corrections import CorrectionRecorder
from digitpad.storage.sample_export import INDEX_FILES
from digitpad.storage.samples import SampleStore


class Window(QMainWindow):
    """What install() needs of the main window: File menu with Quit, status bar, corrections."""

    def __init__(self, store: SampleStore) -> None:
        super().__init__()
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction("&Open…").setObjectName("actionOpen")
        file_menu.addSeparator()
        file_menu.addAction("&Quit").setObjectName("actionQuit")
        self.menuBar().addMenu("&Edit")
        self.corrections = CorrectionRecorder(store, parent=self)


@pytest.fixture
def store(tmp_path):
    store = SampleStore(tmp_path / "kept")
    rng = np.random.default_rng(3)
    for i in range(12):
        x = np.zeros((28, 28), np.float32)
        x[5:23, 8:20] = rng.random((18, 12), dtype=np.float32)
        store.add(x, i % 10, [rng.random((6, 2)) * 280] if i % 3 else (), pen_width=15.0)
    return store


@pytest.fixture
def window(qtbot, store):
    window = Window(store)
    qtbot.addWidget(window)
    sample_files.install(window)
    return window


def choose(monkeypatch, folder):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))


def status(window):
    return window.statusBar().currentMessage()


def test_the_actions_sit_in_the_file_menu_above_quit(window):
    file_menu = window.menuBar().actions()[0].menu()
    names = [a.objectName() or ("-" if a.isSeparator() else a.text()) for a in file_menu.actions()]
    assert names == [
        "actionOpen",
        "-",
        "actionExportSamples",
        "actionImportSamples",
        "-",
        "actionQuit",
    ]


def test_export_into_a_busy_folder_makes_a_new_one(qtbot, window, monkeypatch, tmp_path):
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("hi")
    choose(monkeypatch, documents)
    window.findChild(object, "actionExportSamples").trigger()
    qtbot.waitUntil(lambda: status(window).startswith("Exported"), timeout=20000)
    export = documents / "my-digits"
    assert status(window) == f"Exported 12 drawings to {export} (8 with strokes)."
    assert len(list(export.glob("[0-9]/*.png"))) == 12
    assert {p.name for p in export.iterdir()} >= INDEX_FILES
    assert window.findChild(object, "actionImportSamples").isEnabled()


def test_import_adds_the_drawings_and_tells_the_window(
    qtbot, window, monkeypatch, tmp_path, store
):
    from digitpad.storage.sample_export import export_samples

    export_samples(store.samples(), tmp_path / "export")
    (tmp_path / "export" / "junk.txt").write_text("?")
    for path in store.root.glob("*.npz"):
        path.unlink()
    assert window.corrections.count() == 0
    choose(monkeypatch, tmp_path / "export")
    with qtbot.waitSignal(window.corrections.samplesChanged, timeout=20000) as changed:
        window.findChild(object, "actionImportSamples").trigger()
    assert changed.args == [12]
    assert status(window).startswith("Imported 12 drawings; 1 skipped (junk.txt: not an image")
    assert len(window.corrections.store) == 12


def test_a_failed_import_says_why_and_changes_nothing(qtbot, window, monkeypatch, tmp_path):
    (tmp_path / "empty").mkdir()
    choose(monkeypatch, tmp_path / "empty")
    changed = []
    window.corrections.samplesChanged.connect(changed.append)
    window.findChild(object, "actionImportSamples").trigger()
    qtbot.waitUntil(lambda: status(window).startswith("Nothing to import"), timeout=20000)
    assert changed == []
    assert window.findChild(object, "actionExportSamples").isEnabled()


def test_cancelled_dialogs_do_nothing(window, monkeypatch):
    choose(monkeypatch, "")
    window.findChild(object, "actionImportSamples").trigger()
    window.findChild(object, "actionExportSamples").trigger()
    assert status(window) == ""


def test_a_translated_file_menu_is_found_by_its_actions(qtbot, store):
    window = Window(store)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.setTitle("文件(&F)")
    sample_files.install(window)
    assert len(window.menuBar().actions()) == 2  # no second File menu
    names = [a.objectName() for a in file_menu.actions() if not a.isSeparator()]
    assert names[-3:] == ["actionExportSamples", "actionImportSamples", "actionQuit"]


def test_the_import_message_says_each_count_once():
    from digitpad.storage.sample_export import ImportReport

    assert sample_files.import_message(ImportReport(added=1)) == "Imported 1 drawing."
    report = ImportReport(added=3, duplicates=2, problems=["a.png: not an image."], stopped=True)
    assert sample_files.import_message(report) == (
        "Imported 3 drawings; 2 already kept; 1 skipped (a.png: not an image.); "
        "stopped before the end."
    )
    last_skipped = ImportReport(added=0, problems=["b.png: not an image."])
    assert sample_files.import_message(last_skipped) == (
        "Imported 0 drawings; 1 skipped (b.png: not an image.)."
    )

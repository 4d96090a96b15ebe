"""File > Export My Digits… and File > Import Drawings…: the kept drawings as a dataset.

:func:`install` adds the two actions to a window's File menu. The work is
:mod:`digitpad.storage.sample_export`'s; it runs on a thread of its own,
because thousands of drawings take seconds (each imported drawing is
verified, and written to disk with fsync), and reports in the status bar.
The thread touches no widget: it works on its own
:class:`~digitpad.storage.samples.SampleStore` of the same folder and
answers through queued signals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu

from digitpad.gui.i18n import number, translate
from digitpad.storage.sample_export import (
    ExportReport,
    ImportReport,
    export_samples,
    import_samples,
    new_export_folder,
)
from digitpad.storage.samples import SampleError, SampleStore

log = logging.getLogger(__name__)

#: Progress is shown at most this often (seconds).
PROGRESS_INTERVAL_S = 0.25


def install(window: QMainWindow) -> SampleFiles:
    """Add Export My Digits… and Import Drawings… to ``window``'s File menu.

    ``window`` needs a menu bar with a File menu (the one holding
    ``actionQuit`` or ``actionOpen``; made if missing), a status bar and ``window.corrections`` (a
    :class:`~digitpad.gui.corrections.CorrectionRecorder`), whose
    ``samplesChanged`` is emitted after an import. Returns the controller
    (its :attr:`SampleFiles.imported` says when drawings were added).
    """
    return SampleFiles(window)


class SampleFiles(QObject):
    """The two actions and the thread that does their work.

    Signals:
        progressed(text): a status line while working.
        finished(text, imported): the outcome; ``imported``: drawings were added.
        imported(): drawings were added to the kept ones (after ``finished``).
    """

    progressed = Signal(str)
    finished = Signal(str, bool)
    imported = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("sampleFiles")
        self.window = window
        self.export_action = QAction(translate("SampleFiles", "&Export My Digits…"), window)
        self.export_action.setObjectName("actionExportSamples")
        self.export_action.setStatusTip(
            translate(
                "SampleFiles",
                "Save your kept drawings as a dataset: a PNG per drawing in a folder per "
                "digit, labels.csv, strokes.jsonl and MNIST-format files",
            )
        )
        self.import_action = QAction(translate("SampleFiles", "&Import Drawings…"), window)
        self.import_action.setObjectName("actionImportSamples")
        self.import_action.setStatusTip(
            translate(
                "SampleFiles",
                "Add drawings to your kept ones: an exported folder, images named "
                "<digit>_<anything>.png, or images in folders named 0 to 9",
            )
        )
        for action in (self.export_action, self.import_action):
            action.setToolTip(action.statusTip())
        self.export_action.triggered.connect(self.on_export_action_triggered)
        self.import_action.triggered.connect(self.on_import_action_triggered)
        self.progressed.connect(self.on_progressed)
        self.finished.connect(self.on_finished)
        _add_to_file_menu(window, [self.export_action, self.import_action])
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        # Closing the window stops an import at the next file (what was added stays).
        stop = self._stop
        window.destroyed.connect(lambda *_: stop.set())

    def is_busy(self) -> bool:
        """Whether an export or import is running."""
        return self._thread is not None and self._thread.is_alive()

    @Slot()
    def on_export_action_triggered(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self.window, translate("SampleFiles", "Export My Digits Into")
        )
        if not chosen:
            return
        folder = Path(chosen)
        # A folder with files in it (Documents, say) gets a new folder for the export.
        target = folder if _is_empty_dir(folder) else new_export_folder(folder)
        root = self.window.corrections.store.root
        self._start(
            lambda: self._export(root, target),
            translate("SampleFiles", "Exporting your drawings…"),
        )

    @Slot()
    def on_import_action_triggered(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self.window, translate("SampleFiles", "Import Drawings From")
        )
        if not chosen:
            return
        root = self.window.corrections.store.root
        self._start(
            lambda: self._import(root, Path(chosen)),
            translate("SampleFiles", "Importing drawings…"),
        )

    @Slot(str)
    def on_progressed(self, text: str) -> None:
        self.window.statusBar().showMessage(text)

    @Slot(str, bool)
    def on_finished(self, text: str, imported: bool) -> None:
        self._thread = None
        self.export_action.setEnabled(True)
        self.import_action.setEnabled(True)
        self.window.statusBar().showMessage(text, 15000)
        if imported:
            corrections = self.window.corrections
            corrections.samplesChanged.emit(corrections.count())
            self.imported.emit()

    def _start(self, work: Callable[[], tuple[str, bool]], text: str) -> None:
        if self.is_busy():
            return
        self.export_action.setEnabled(False)
        self.import_action.setEnabled(False)
        self.window.statusBar().showMessage(text)
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(work,), name="digitpad-sample-files", daemon=True
        )
        self._thread.start()

    def _run(self, work: Callable[[], tuple[str, bool]]) -> None:
        """The thread: do ``work``, answer with :attr:`finished` whatever happens."""
        try:
            text, imported = work()
        except SampleError as exc:
            text, imported = str(exc).splitlines()[0], False
        except Exception as exc:  # noqa: BLE001 - reported in the status bar, app carries on
            log.exception("exporting or importing drawings failed")
            text = translate("SampleFiles", "That did not work: {error}").format(error=exc)
            imported = False
        _emit(self.finished, text, imported)

    def _export(self, root: Path, target: Path) -> tuple[str, bool]:
        store = SampleStore(root)
        report: ExportReport = export_samples(store.samples(), target)
        if report.count == 1:
            text = translate(
                "SampleFiles", "Exported 1 drawing to {folder} ({strokes} with strokes)."
            )
        else:
            text = translate(
                "SampleFiles", "Exported {count} drawings to {folder} ({strokes} with strokes)."
            )
        return (
            text.format(
                count=number(report.count),
                folder=report.folder,
                strokes=number(report.with_strokes),
            ),
            False,
        )

    def _import(self, root: Path, source: Path) -> tuple[str, bool]:
        last = 0.0

        def progress(done: int, total: int) -> bool:
            nonlocal last
            if time.monotonic() - last >= PROGRESS_INTERVAL_S:
                last = time.monotonic()
                _emit(
                    self.progressed,
                    translate("SampleFiles", "Importing drawings… {done} of {total}").format(
                        done=number(done), total=number(total)
                    ),
                )
            return not self._stop.is_set()

        report: ImportReport = import_samples(source, SampleStore(root), progress)
        return import_message(report), report.added > 0


def import_message(report: ImportReport) -> str:
    """The status line for an import: counts, then the first file skipped.

    The reason a file was skipped comes from :mod:`digitpad.storage.sample_export`
    as it says it (in English).
    """
    if report.added == 1:
        parts = [translate("SampleFiles", "Imported 1 drawing")]
    else:
        parts = [
            translate("SampleFiles", "Imported {count} drawings").format(
                count=number(report.added)
            )
        ]
    if report.duplicates:
        parts.append(
            translate("SampleFiles", "{count} already kept").format(
                count=number(report.duplicates)
            )
        )
    if report.problems:
        parts.append(
            translate("SampleFiles", "{count} skipped ({first})").format(
                count=number(len(report.problems)), first=report.problems[0]
            )
        )
    if report.stopped:
        parts.append(translate("SampleFiles", "stopped before the end"))
    text = translate("SampleFiles", "; ").join(parts)
    if parts[-1].endswith((".", "。")):
        return text
    return translate("SampleFiles", "{parts}.").format(parts=text)


def _add_to_file_menu(window: QMainWindow, actions: list[QAction]) -> None:
    """Put ``actions`` in the File menu, in a group of their own above Quit."""
    menu = _file_menu(window)
    quit_action = next(
        (action for action in menu.actions() if action.objectName() == "actionQuit"), None
    )
    if quit_action is None:
        menu.addSeparator()
        menu.addActions(actions)
        return
    menu.insertActions(quit_action, actions)
    menu.insertSeparator(quit_action)


def _file_menu(window: QMainWindow) -> QMenu:
    """The File menu: found by its actions (its title may be translated)."""
    menus = [
        menu for action in window.menuBar().actions() if isinstance(menu := action.menu(), QMenu)
    ]
    for name in ("actionQuit", "actionOpen"):
        for menu in menus:
            if any(action.objectName() == name for action in menu.actions()):
                return menu
    for menu in menus:
        if menu.title().replace("&", "") == "File":
            return menu
    menu = window.menuBar().addMenu(translate("SampleFiles", "&File"))
    menu.setObjectName("menuFile")
    return menu


def _is_empty_dir(folder: Path) -> bool:
    try:
        return folder.is_dir() and not any(folder.iterdir())
    except OSError:
        return False


def _emit(signal: Any, *args: object) -> None:
    """Emit from the worker thread; the window may be gone by then."""
    try:
        signal.emit(*args)
    except RuntimeError:
        log.debug("the window closed before an export or import ended")

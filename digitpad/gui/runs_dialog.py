"""Runs: every training kept, compared side by side, one's network put back in use.

A table of the runs (:mod:`digitpad.storage.runs`): when, what kind, the
settings, MNIST test and pendigits-test accuracy, time, and whether its
network is kept. Selecting runs overlays their loss and accuracy curves
(:class:`~digitpad.gui.comparison_chart.ComparisonChart`). "Use this network"
asks for the selected run's network to be put in use (the window's
experiments controller does it through the model cache, verified); "Pin"
keeps a run's network whatever the disk cap. Damaged runs are listed under
the table, never loaded; a run whose network file is missing or not of the
size its record says (or failed verification when used) is shown as damaged
and cannot be used; a bad ``DIGITPAD_RUNS_CAP_MB`` (no run can be kept
under it) is said under the table too.

Reading the runs means reading and checking every record (the seed recipe's
curves make ~200 kB of JSON each: 20 runs take ~120 ms), so while a training
goes on the dialog reads them in a thread (:meth:`RunsDialog.refresh_later`)
and only fills the table on the GUI thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui import i18n
from digitpad.gui.comparison_chart import ComparisonChart
from digitpad.gui.i18n import translate
from digitpad.gui.training_history import TrainingHistory
from digitpad.storage.runs import RunError, RunListing, RunRecord, RunStore

log = logging.getLogger(__name__)

#: The table's headers (translated where shown).
COLUMNS = (
    QT_TRANSLATE_NOOP("RunsDialog", "When"),
    QT_TRANSLATE_NOOP("RunsDialog", "Kind"),
    QT_TRANSLATE_NOOP("RunsDialog", "Settings"),
    QT_TRANSLATE_NOOP("RunsDialog", "MNIST test"),
    QT_TRANSLATE_NOOP("RunsDialog", "Pen test"),
    QT_TRANSLATE_NOOP("RunsDialog", "Time"),
    QT_TRANSLATE_NOOP("RunsDialog", "Network"),
)
#: A run's kind, as the Kind column says it (translated where shown).
KINDS = {
    "train": QT_TRANSLATE_NOOP("RunsDialog", "train"),
    "ladder": QT_TRANSLATE_NOOP("RunsDialog", "ladder"),
    "import": QT_TRANSLATE_NOOP("RunsDialog", "import"),
}


class RunsDialog(QDialog):
    """The runs, compared.

    Signals:
        useRequested(run_id): put this run's network in use.
        openNetworkRequested(): import a network file (File > Open Network…).
    """

    useRequested = Signal(str)
    openNetworkRequested = Signal()
    _listed = Signal(int, object, object)  # generation, RunListing, in-use id (from a thread)

    def __init__(self, store: RunStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsDialog")
        self.setWindowTitle(translate("RunsDialog", "Runs"))
        self.resize(980, 620)
        self.store = store or RunStore()
        self._runs: list[RunRecord] = []
        self._histories: dict[str, TrainingHistory] = {}
        self._in_use: str | None = None
        # Run id -> why its network cannot be used: the listing's cheap checks
        # (size), and the Uses that failed verification (sha256) since it opened.
        self._unusable: dict[str, str] = {}
        self._failed: dict[str, str] = {}
        # Each read of the runs has a number; a thread's listing older than
        # the latest read is dropped.
        self._generation = 0
        self._reading = False
        self._read_again = False
        self._store_lock = threading.Lock()
        self._listed.connect(self.on_listed)

        self.table = QTableWidget(0, len(COLUMNS), objectName="runsTable")
        self.table.setHorizontalHeaderLabels([translate("RunsDialog", text) for text in COLUMNS])
        self.table.setAccessibleName(translate("RunsDialog", "Runs"))
        self.table.setAccessibleDescription(
            translate("RunsDialog", "Every training kept; select runs to compare their curves")
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.chart = ComparisonChart(
            empty_text=translate("RunsDialog", "Select runs in the table to compare their curves.")
        )
        self.chart.setAccessibleName(translate("RunsDialog", "Selected runs compared"))
        self.damaged_label = QLabel(objectName="runsDamaged")
        self.damaged_label.setWordWrap(True)
        self.damaged_label.setAccessibleName(translate("RunsDialog", "Damaged runs"))
        self.cap_label = QLabel(objectName="runsCapProblem")
        self.cap_label.setWordWrap(True)
        self.cap_label.setAccessibleName(translate("RunsDialog", "Runs not kept"))
        self.use_button = QPushButton(
            translate("RunsDialog", "Use this network"), objectName="runsUseButton"
        )
        self.use_button.setAccessibleDescription(
            translate("RunsDialog", "Read your drawings with the selected run's network")
        )
        self.pin_button = QPushButton(translate("RunsDialog", "Pin"), objectName="runsPinButton")
        self.pin_button.setAccessibleDescription(
            translate("RunsDialog", "Keep the selected run's network whatever the disk cap")
        )
        self.open_button = QPushButton(
            translate("RunsDialog", "Open Network…"), objectName="runsOpenButton"
        )
        self.open_button.setAccessibleDescription(
            translate("RunsDialog", "Import a network trained with the article's code")
        )
        close = QPushButton(translate("RunsDialog", "Close"), objectName="runsClose")
        self.use_button.clicked.connect(self.on_use_button_clicked)
        self.pin_button.clicked.connect(self.on_pin_button_clicked)
        self.open_button.clicked.connect(self.openNetworkRequested)
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self.on_table_itemSelectionChanged)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.pin_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        # Labels rewrap as they change; the shown dialog keeps its size.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.damaged_label)
        layout.addWidget(self.cap_label)
        layout.addLayout(buttons)
        self.refresh()

    def runs(self) -> list[RunRecord]:
        """The runs shown, in table order (oldest first)."""
        return list(self._runs)

    def refresh(self) -> None:
        """Read the runs again, now (after a pin; on the GUI thread)."""
        self._generation += 1
        with self._store_lock:
            listing = self.store.listing()
            in_use = self.store.in_use_id()
        self._show(listing, in_use)

    def refresh_later(self) -> None:
        """Read the runs again in a thread, and show them when read (after a training).

        Calls while a read goes on are coalesced into one more read after it.
        """
        self._generation += 1
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        threading.Thread(
            target=self._read, args=(self._generation,), name="digitpad-runs", daemon=True
        ).start()

    def _read(self, generation: int) -> None:
        """Read the listing (a worker thread) and hand it to the GUI thread."""
        listing: Any = None
        in_use: str | None = None
        try:
            with self._store_lock:
                listing = self.store.listing()
                in_use = self.store.in_use_id()
        except Exception:  # noqa: BLE001 - logged; the table keeps what it shows
            log.exception("reading the runs failed")
        with contextlib.suppress(RuntimeError):  # the dialog was deleted meanwhile
            self._listed.emit(generation, listing, in_use)

    @Slot(int, object, object)
    def on_listed(self, generation: int, listing: Any, in_use: str | None) -> None:
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.refresh_later()
        elif listing is not None and generation == self._generation:
            self._show(listing, in_use)

    def _show(self, listing: RunListing, in_use: str | None) -> None:
        """Fill the table with ``listing``, keeping the selection."""
        selected = set(self.selected_ids())
        self._runs = listing.runs
        self._in_use = in_use
        self._unusable = {**listing.unusable, **self._failed}
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._runs))
        for row, run in enumerate(self._runs):
            for column, text in enumerate(self._cells(run)):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, run.id)
                    item.setToolTip(run.id)
                if column >= 3 and column != 6:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 6 and run.id in self._unusable:
                    item.setToolTip(self._unusable[run.id])
                self.table.setItem(row, column, item)
        self.table.clearSelection()
        for row, run in enumerate(self._runs):
            if run.id in selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        if listing.damaged:
            names = ", ".join(f"{d.name} ({d.reason})" for d in listing.damaged)
            self.damaged_label.setText(
                translate("RunsDialog", "Damaged runs, moved aside and not loaded: {runs}").format(
                    runs=names
                )
            )
        self.damaged_label.setVisible(bool(listing.damaged))
        self._show_cap_problem()
        self.on_table_itemSelectionChanged()

    def _show_cap_problem(self) -> None:
        """Say under the table why no new run is kept (a bad disk cap), if so."""
        try:
            self.store.cap_bytes  # noqa: B018 - read to check it
        except ValueError as exc:
            self.cap_label.setText(
                translate(
                    "RunsDialog",
                    "New trainings are not kept as runs until this is fixed: {problem}",
                ).format(problem=exc)
            )
            self.cap_label.setVisible(True)
            return
        self.cap_label.setVisible(False)

    def mark_unusable(self, run_id: str, reason: str) -> None:
        """Show run ``run_id``'s network as damaged: a Use of it failed verification.

        Args:
            run_id: the run.
            reason: why (shown as the Use button's tooltip).
        """
        self._failed[run_id] = reason
        self._unusable[run_id] = reason
        for row, run in enumerate(self._runs):
            if run.id == run_id:
                self.table.setItem(row, 6, QTableWidgetItem(self._cells(run)[6]))
                self.table.item(row, 6).setToolTip(reason)
        self.on_table_itemSelectionChanged()

    def unusable_reason(self, run_id: str) -> str | None:
        """Why run ``run_id``'s network cannot be used (``None``: it can, or none is kept)."""
        return self._unusable.get(run_id)

    def selected_ids(self) -> list[str]:
        """The ids of the selected runs, in table order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._runs[row].id for row in rows if row < len(self._runs)]

    def select(self, run_ids: list[str]) -> None:
        """Select these runs (their curves are overlaid)."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row, run in enumerate(self._runs):
            if run.id in run_ids:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    @Slot()
    def on_table_itemSelectionChanged(self) -> None:
        chosen = [run for run in self._runs if run.id in set(self.selected_ids())]
        self.chart.set_runs([(_short_label(run), self._history(run)) for run in chosen])
        one = chosen[0] if len(chosen) == 1 else None
        damage = self._unusable.get(one.id) if one is not None else None
        self.use_button.setEnabled(one is not None and one.network is not None and not damage)
        if one is None:
            tip = ""
        elif one.network is None:
            tip = translate("RunsDialog", "Its network was not kept ({why}).").format(
                why=one.network_note or translate("RunsDialog", "dropped")
            )
        elif damage:
            tip = translate(
                "RunsDialog", "Its network is damaged and cannot be used: {why}"
            ).format(why=damage)
        else:
            tip = ""
        self.use_button.setToolTip(tip)
        self.pin_button.setEnabled(one is not None)
        self.pin_button.setText(
            translate("RunsDialog", "Unpin")
            if one is not None and one.pinned
            else translate("RunsDialog", "Pin")
        )

    @Slot()
    def on_use_button_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.useRequested.emit(ids[0])

    @Slot()
    def on_pin_button_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        run = next(run for run in self._runs if run.id == ids[0])
        try:
            self.store.set_pinned(run.id, not run.pinned)
        except RunError as exc:
            self.damaged_label.setText(str(exc))
            self.damaged_label.setVisible(True)
        self.refresh()

    def _history(self, run: RunRecord) -> TrainingHistory:
        if run.id not in self._histories:
            self._histories[run.id] = TrainingHistory.from_dict(run.history, run.label)
        return self._histories[run.id]

    def _cells(self, run: RunRecord) -> list[str]:
        if run.id == self._in_use:
            network = (
                translate("RunsDialog", "in use, pinned")
                if run.pinned
                else translate("RunsDialog", "in use")
            )
        elif run.network is not None and run.id in self._unusable:
            network = (
                translate("RunsDialog", "damaged, pinned")
                if run.pinned
                else translate("RunsDialog", "damaged")
            )
        elif run.network is not None:
            network = (
                translate("RunsDialog", "kept, pinned")
                if run.pinned
                else translate("RunsDialog", "kept")
            )
        else:
            network = (
                translate("RunsDialog", "dropped, pinned")
                if run.pinned
                else translate("RunsDialog", "dropped")
            )
        return [
            _when(run.created),
            translate("RunsDialog", KINDS[run.kind]) if run.kind in KINDS else run.kind,
            _settings_text(run),
            _percent(run.test_accuracy),
            _percent(run.pen_test_accuracy)
            if run.pen_test_accuracy is not None
            else translate("RunsDialog", "unknown"),
            translate("RunsDialog", "{seconds} s").format(seconds=i18n.number(run.seconds))
            if run.seconds is not None
            else "–",
            network,
        ]


def _settings_text(run: RunRecord) -> str:
    """A run's settings in the window's language (its stored English label otherwise).

    A training's label is its recipe's ``describe()``; the recipe's fields
    are kept with the run, so the window words it again in its language.
    An imported network's label names its file, which is shown as it is.
    """
    from types import SimpleNamespace

    from digitpad.gui.wording import recipe_text

    settings: dict[str, Any] = run.settings or {}
    needed = ("name", "epochs", "batch_size", "optimizer", "schedule")
    if run.kind == "import" or not all(key in settings for key in needed):
        return run.label
    fields = {key: settings.get(key) for key in (*needed, "augmentation", "pen_digits")}
    fields["train_samples"] = settings.get("train_samples")
    return recipe_text(SimpleNamespace(**fields))


def _short_label(run: RunRecord) -> str:
    settings: dict[str, Any] = run.settings or {}
    if run.kind == "import":
        return run.label
    return translate("RunsDialog", "{when} {optimizer} lr {rate} batch {batch}").format(
        when=_when(run.created),
        optimizer=settings.get("optimizer", "?"),
        rate=f"{settings.get('learning_rate', 0):g}",
        batch=settings.get("batch_size", "?"),
    )


def _when(created: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(created).astimezone()
    except ValueError:
        return created
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _percent(value: float | None) -> str:
    return i18n.percent(value, 2) if value is not None else "–"

"""Runs: every training kept, compared side by side, one's network put back in use.

A table of the runs (:mod:`digitpad.storage.runs`): when, what kind, the
settings, MNIST test and pendigits-test accuracy, time, and whether its
network is kept. Selecting runs overlays their loss and accuracy curves
(:class:`~digitpad.gui.training_chart.ComparisonChart`). "Use this network"
asks for the selected run's network to be put in use (the window's
experiments controller does it through the model cache, verified); "Pin"
keeps a run's network whatever the disk cap. Damaged runs are listed under
the table, never loaded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
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

from digitpad.gui.training_chart import ComparisonChart
from digitpad.gui.training_history import TrainingHistory
from digitpad.storage.runs import RunError, RunRecord, RunStore

COLUMNS = ("When", "Kind", "Settings", "MNIST test", "Pen test", "Time", "Network")


class RunsDialog(QDialog):
    """The runs, compared.

    Signals:
        useRequested(run_id): put this run's network in use.
        openNetworkRequested(): import a network file (File > Open Network…).
    """

    useRequested = Signal(str)
    openNetworkRequested = Signal()

    def __init__(self, store: RunStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsDialog")
        self.setWindowTitle("Runs")
        self.resize(980, 620)
        self.store = store or RunStore()
        self._runs: list[RunRecord] = []
        self._histories: dict[str, TrainingHistory] = {}
        self._in_use: str | None = None

        self.table = QTableWidget(0, len(COLUMNS), objectName="runsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.chart = ComparisonChart()
        self.damaged_label = QLabel(objectName="runsDamaged")
        self.damaged_label.setWordWrap(True)
        self.use_button = QPushButton("Use this network", objectName="runsUseButton")
        self.pin_button = QPushButton("Pin", objectName="runsPinButton")
        self.open_button = QPushButton("Open Network…", objectName="runsOpenButton")
        close = QPushButton("Close")
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
        layout.addLayout(buttons)
        self.refresh()

    def runs(self) -> list[RunRecord]:
        """The runs shown, in table order (oldest first)."""
        return list(self._runs)

    def refresh(self) -> None:
        """Read the runs again (after a training, an import, a pin)."""
        selected = set(self.selected_ids())
        listing = self.store.listing()
        self._runs = listing.runs
        self._in_use = self.store.in_use_id()
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
                self.table.setItem(row, column, item)
        self.table.clearSelection()
        for row, run in enumerate(self._runs):
            if run.id in selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        if listing.damaged:
            names = ", ".join(f"{d.name} ({d.reason})" for d in listing.damaged)
            self.damaged_label.setText(f"Damaged runs, moved aside and not loaded: {names}")
        self.damaged_label.setVisible(bool(listing.damaged))
        self.on_table_itemSelectionChanged()

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
        self.use_button.setEnabled(one is not None and one.network is not None)
        self.use_button.setToolTip(
            ""
            if one is None or one.network is not None
            else f"Its network was not kept ({one.network_note or 'dropped'})."
        )
        self.pin_button.setEnabled(one is not None)
        self.pin_button.setText("Unpin" if one is not None and one.pinned else "Pin")

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
        network = "kept" if run.network is not None else "dropped"
        if run.id == self._in_use:
            network = "in use"
        if run.pinned:
            network += ", pinned"
        return [
            _when(run.created),
            run.kind,
            run.label,
            _percent(run.test_accuracy),
            _percent(run.pen_test_accuracy) if run.pen_test_accuracy is not None else "unknown",
            f"{run.seconds:.0f} s" if run.seconds is not None else "–",
            network,
        ]


def _short_label(run: RunRecord) -> str:
    settings: dict[str, Any] = run.settings or {}
    if run.kind == "import":
        return run.label
    return (
        f"{_when(run.created)} {settings.get('optimizer', '?')} "
        f"lr {settings.get('learning_rate', 0):g} batch {settings.get('batch_size', '?')}"
    )


def _when(created: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(created).astimezone()
    except ValueError:
        return created
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _percent(value: float | None) -> str:
    return f"{value:.2%}" if value is not None else "–"

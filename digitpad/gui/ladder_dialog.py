"""Try Learning Rates: the article's "divide by three" method as one action.

The dialog asks for the rates (default 0.01, 0.003, 0.001, 0.0003), the
number of MNIST images and epochs, shows each rate's loss and accuracy
curves growing live, one colour per rate, and at the end says which
converged fastest and which oscillated or diverged, by the rule it states
(:data:`digitpad.net.lr_ladder.RULE`). The trainings themselves run in the
training process (the experiments controller starts them); the network in
use is never touched.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui import i18n
from digitpad.gui.comparison_chart import ComparisonChart
from digitpad.gui.i18n import translate
from digitpad.gui.training_chart import REDRAW_INTERVAL_MS
from digitpad.gui.training_history import TrainingHistory
from digitpad.net.lr_ladder import (
    CONVERGED,
    DEFAULT_RATES,
    DEFAULT_SUBSET,
    DIVERGED,
    OSCILLATED,
    RULE_MESSAGE,
    LadderPlan,
    LadderVerdict,
    judge,
)

#: What became of each rate, in words (translated where shown).
OUTCOMES = {
    CONVERGED: QT_TRANSLATE_NOOP("LadderDialog", "converged"),
    OSCILLATED: QT_TRANSLATE_NOOP("LadderDialog", "oscillated"),
    DIVERGED: QT_TRANSLATE_NOOP("LadderDialog", "diverged"),
}


class LadderDialog(QDialog):
    """Rates to try, their curves overlaid, and the verdict.

    Signals:
        startRequested(plan): try these rates (a :class:`LadderPlan`).
        cancelRequested(): stop the trainings.
    """

    startRequested = Signal(object)
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ladderDialog")
        self.setWindowTitle(translate("LadderDialog", "Try Learning Rates"))
        self.resize(900, 600)
        self.rates = QLineEdit(", ".join(f"{rate:g}" for rate in DEFAULT_RATES))
        self.rates.setObjectName("ladderRates")
        self.rates.setAccessibleName(translate("LadderDialog", "Learning rates"))
        self.rates.setAccessibleDescription(
            translate("LadderDialog", "The learning rates to try, separated by commas")
        )
        self.images = QSpinBox(objectName="ladderImages")
        self.images.setRange(100, 60000)
        self.images.setSingleStep(1000)
        self.images.setValue(DEFAULT_SUBSET)
        self.images.setAccessibleName(translate("LadderDialog", "MNIST images"))
        self.images.setAccessibleDescription(
            translate("LadderDialog", "How many MNIST training images each rate trains on")
        )
        self.epochs = QSpinBox(objectName="ladderEpochs")
        self.epochs.setRange(1, 20)
        self.epochs.setValue(1)
        self.epochs.setAccessibleName(translate("LadderDialog", "Epochs"))
        self.epochs.setAccessibleDescription(
            translate("LadderDialog", "How many passes over the images each rate trains")
        )
        # The rule is worded where it is applied (digitpad.net.lr_ladder).
        self.rule = QLabel(
            translate("LadderDialog", "<b>How the verdict is reached.</b> {rule}").format(
                rule=i18n.say(RULE_MESSAGE)
            ),
            objectName="ladderRule",
        )
        self.rule.setWordWrap(True)
        self.rule.setAccessibleName(translate("LadderDialog", "How the verdict is reached"))
        self.status = QLabel(
            translate(
                "LadderDialog",
                "Each rate trains the article's recipe (RMSprop, batch 32) from the same "
                "start, on the same images.",
            ),
            objectName="ladderStatus",
        )
        self.status.setWordWrap(True)
        self.status.setAccessibleName(translate("LadderDialog", "Status"))
        self.verdict_label = QLabel(objectName="ladderVerdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setAccessibleName(translate("LadderDialog", "Verdict"))
        self.chart = ComparisonChart(
            empty_text=translate(
                "LadderDialog", "Each rate's loss and accuracy curves are drawn here as it trains."
            )
        )
        self.chart.setAccessibleName(translate("LadderDialog", "Learning rates compared"))
        self.start_button = QPushButton(
            translate("LadderDialog", "Start"), objectName="ladderStart"
        )
        self.start_button.setAccessibleDescription(
            translate("LadderDialog", "Train once with each learning rate")
        )
        self.cancel_button = QPushButton(
            translate("LadderDialog", "Cancel"), objectName="ladderCancel"
        )
        self.cancel_button.setAccessibleDescription(
            translate("LadderDialog", "Stop the trainings; the rates tried so far are kept")
        )
        self.cancel_button.setEnabled(False)
        close = QPushButton(translate("LadderDialog", "Close"), objectName="ladderClose")
        self.start_button.clicked.connect(self.on_start_button_clicked)
        self.cancel_button.clicked.connect(self.cancelRequested)
        close.clicked.connect(self.close)

        form = QFormLayout()
        form.addRow(translate("LadderDialog", "&Learning rates:"), self.rates)
        form.addRow(translate("LadderDialog", "MNIST &images:"), self.images)
        form.addRow(translate("LadderDialog", "&Epochs:"), self.epochs)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        # Labels rewrap as they change; the shown dialog keeps its size.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.rule)
        layout.addLayout(buttons)

        self._histories: list[tuple[str, TrainingHistory]] = []
        self._losses: dict[float, list[float]] = {}
        self.verdict: LadderVerdict | None = None
        self._epochs = 1
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self.on_timer_timeout)

    def plan(self) -> LadderPlan:
        """The rates, images and epochs typed.

        Raises:
            ValueError: they are not a valid plan (the message says why).
        """
        texts = [part for part in self.rates.text().replace(";", ",").split(",") if part.strip()]
        try:
            rates = tuple(float(part) for part in texts)
        except ValueError:
            raise ValueError(
                translate(
                    "LadderDialog",
                    "Type the learning rates as numbers separated by commas, e.g. 0.01, 0.003",
                )
            ) from None
        # Said here in the window's language; LadderPlan checks the same again.
        if not rates:
            raise ValueError(
                translate("LadderDialog", "Type at least one learning rate, e.g. 0.01, 0.003")
            )
        for rate in rates:
            if not math.isfinite(rate) or not 0 < rate <= 1:
                raise ValueError(
                    translate(
                        "LadderDialog",
                        "A learning rate is more than 0 and at most 1 ({rate} is not).",
                    ).format(rate=f"{rate:g}")
                )
        if len(set(rates)) != len(rates):
            raise ValueError(translate("LadderDialog", "Each learning rate may be tried once."))
        return LadderPlan(rates=rates, subset=self.images.value(), epochs=self.epochs.value())

    def set_running(self, running: bool) -> None:
        """Start disabled and Cancel enabled while the trainings run."""
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for field in (self.rates, self.images, self.epochs):
            field.setEnabled(not running)

    @Slot()
    def on_start_button_clicked(self) -> None:
        try:
            plan = self.plan()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.startRequested.emit(plan)

    def begin(self, plan: LadderPlan) -> None:
        """The trainings of ``plan`` started: forget the last ones' curves."""
        self._histories = []
        self._losses = {}
        self._epochs = plan.epochs
        self.verdict = None
        self.verdict_label.setText("")
        self.chart.set_runs([])
        self.status.setText(
            translate("LadderDialog", "Trying {count} learning rates…").format(
                count=len(plan.rates)
            )
        )
        self.set_running(True)

    def rung_started(self, index: int, count: int, rate: float, text: str) -> None:
        """The training at ``rate`` (``index`` of ``count``) started."""
        history = TrainingHistory()
        history.reset(text)
        self._histories.append((_rate_label(rate), history))
        self._losses[rate] = []
        self.status.setText(
            translate("LadderDialog", "Learning rate {rate} ({index} of {count}): {run}").format(
                rate=f"{rate:g}", index=index + 1, count=count, run=text
            )
        )
        self._redraw_soon()

    def add_points(self, points: list[tuple[float, float, float]]) -> None:
        """Batch points of the rate being trained."""
        if not self._histories or not points:
            return
        self._histories[-1][1].add_batches(points)
        self._redraw_soon()

    def rung_done(self, index: int, rate: float, summary: dict[str, Any]) -> None:
        """The training at ``rate`` ended (kept as run ``summary["run_id"]``)."""
        self._losses[rate] = list(summary.get("batch_loss", []))
        accuracy = i18n.percent(summary.get("test_accuracy", 0), 2)
        if summary.get("run_id"):
            text = translate("LadderDialog", "Learning rate {rate}: {accuracy} on MNIST test")
        else:
            text = translate(
                "LadderDialog",
                "Learning rate {rate}: {accuracy} on MNIST test (not kept: {error})",
            )
        self.status.setText(
            text.format(rate=f"{rate:g}", accuracy=accuracy, error=summary.get("error"))
        )

    def finish(self, summaries: list[dict[str, Any]]) -> None:
        """Every rate was tried: judge the curves and say so."""
        self.set_running(False)
        self.verdict = judge({s["rate"]: s.get("batch_loss", []) for s in summaries})
        lines = []
        for verdict, summary in zip(self.verdict.verdicts, summaries, strict=True):
            line = (
                translate(
                    "LadderDialog",
                    "<b>{rate}</b>: {outcome} — fastest ({reason}); {accuracy} on MNIST test",
                )
                if verdict.rate == self.verdict.fastest
                else translate(
                    "LadderDialog", "<b>{rate}</b>: {outcome} ({reason}); {accuracy} on MNIST test"
                )
            )
            lines.append(
                line.format(
                    rate=f"{verdict.rate:g}",
                    outcome=_outcome(verdict.outcome),
                    reason=i18n.say(verdict.why),
                    accuracy=i18n.percent(summary.get("test_accuracy", 0), 2),
                )
            )
        if self.verdict.fastest is None:
            lines.append(translate("LadderDialog", "<b>No rate converged:</b> try smaller ones."))
        else:
            lines.append(
                translate("LadderDialog", "<b>Converged fastest: {rate}.</b>").format(
                    rate=f"{self.verdict.fastest:g}"
                )
            )
        self.verdict_label.setText("<br>".join(lines))
        self.status.setText(
            translate("LadderDialog", "Done: each rate is kept as a run (Model > Runs…).")
        )
        labels = {_rate_label(v.rate): v for v in self.verdict.verdicts}
        self._histories = [
            (
                translate("LadderDialog", "{rate} ({outcome})").format(
                    rate=label, outcome=_outcome(labels[label].outcome)
                )
                if label in labels
                else label,
                history,
            )
            for label, history in self._histories
        ]
        self._redraw()

    def stopped(self, message: str) -> None:
        """The trainings stopped early (cancelled, failed)."""
        self.set_running(False)
        self.status.setText(message)
        self._redraw()

    def curves(self) -> list[str]:
        """The labels of the curves drawn."""
        return self.chart.labels()

    def _redraw_soon(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def on_timer_timeout(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        self._timer.stop()
        # The x axis spans the plan's epochs from the start: the curves grow
        # to the right instead of the axis rescaling under them.
        self.chart.set_runs(self._histories, epochs=self._epochs)


def _rate_label(rate: float) -> str:
    """A rate's name in the chart's legend ("lr 0.003")."""
    return translate("LadderDialog", "lr {rate}").format(rate=f"{rate:g}")


def _outcome(outcome: str) -> str:
    """``converged``, ``oscillated`` or ``diverged`` in the window's language."""
    return translate("LadderDialog", OUTCOMES[outcome]) if outcome in OUTCOMES else outcome

"""Retrain Settings: the article's knobs, a preset to start from, refusals said as you type."""

from __future__ import annotations

import locale
import math
import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.i18n import number, translate
from digitpad.net.recipes import Recipe
from digitpad.net.training_settings import (
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_LEARNING_RATE,
    OPTIMIZERS,
    PRESETS,
    SCHEDULES,
    TrainingSettings,
)

#: The names :mod:`digitpad.net.training_settings` gives presets, optimizers
#: and schedules (``PRESETS``, ``OPTIMIZERS``, ``SCHEDULES``), marked for
#: translation; shown through :func:`_choice_text`. A test checks that every
#: name there is marked here.
CHOICE_TEXTS = (
    QT_TRANSLATE_NOOP("RetrainDialog", "The article's recipe"),
    QT_TRANSLATE_NOOP("RetrainDialog", "digitpad's default"),
    QT_TRANSLATE_NOOP("RetrainDialog", "RMSprop (the article's)"),
    QT_TRANSLATE_NOOP("RetrainDialog", "Adam"),
    QT_TRANSLATE_NOOP("RetrainDialog", "SGD with momentum 0.9"),
    QT_TRANSLATE_NOOP("RetrainDialog", "constant"),
    QT_TRANSLATE_NOOP("RetrainDialog", "one-cycle (warm-up, then cosine decay)"),
)


def _choice_text(text: str) -> str:
    """A preset's, optimizer's or schedule's name in the window's language."""
    return translate("RetrainDialog", text)


class RetrainDialog(QDialog):
    """Choose how to train: a preset, then optimizer, learning rate, batch size and epochs.

    The settings are checked on every change; the problems are listed under
    the fields (``settingsProblems``) and OK stays disabled while there are any.
    :meth:`recipe` gives the accepted settings as a
    :class:`~digitpad.net.recipes.Recipe`.
    """

    def __init__(self, parent: QWidget | None = None, recipe: Recipe | None = None) -> None:
        """Build the dialog.

        Args:
            parent: the window.
            recipe: settings to start from; default: digitpad's default preset.
        """
        super().__init__(parent)
        self.setObjectName("retrainDialog")
        self.setWindowTitle(translate("RetrainDialog", "Retrain Settings"))
        self.preset = QComboBox(objectName="settingsPreset")
        for name, text in PRESETS.items():
            self.preset.addItem(_choice_text(text), name)
        self.preset.setAccessibleDescription(
            translate("RetrainDialog", "Choosing a preset fills in every field below")
        )
        self.optimizer = QComboBox(objectName="settingsOptimizer")
        for name, text in OPTIMIZERS.items():
            self.optimizer.addItem(_choice_text(text), name)
        self.learning_rate = QLineEdit(objectName="settingsLearningRate")
        tip = translate(
            "RetrainDialog",
            "The article's way: try 0.01, then a third of it (0.003), 0.001, … "
            "(Model > Try Learning Rates… does it for you)",
        )
        self.learning_rate.setToolTip(tip)
        self.learning_rate.setAccessibleDescription(tip)
        self.batch_size = QSpinBox(objectName="settingsBatchSize")
        self.batch_size.setRange(0, 65536)
        self.epochs = QSpinBox(objectName="settingsEpochs")
        self.epochs.setRange(0, 1000)
        self.train_samples = QSpinBox(objectName="settingsTrainImages")
        self.train_samples.setRange(0, 60000)
        self.train_samples.setSingleStep(1000)
        self.train_samples.setSpecialValueText(
            translate("RetrainDialog", "all {count}").format(count=number(60000))
        )
        self.train_samples.setAccessibleDescription(
            translate("RetrainDialog", "How many of the MNIST training images to train on")
        )
        self.augment = QCheckBox(
            translate("RetrainDialog", "&Distort training images (rotation, zoom, shear, shift)")
        )
        self.augment.setObjectName("settingsAugment")
        self.pen_digits = QCheckBox(
            translate("RetrainDialog", "Also train on real &pen-drawn digits")
        )
        self.pen_digits.setObjectName("settingsPenDigits")
        self.schedule = QComboBox(objectName="settingsSchedule")
        for name, text in SCHEDULES.items():
            self.schedule.addItem(_choice_text(text), name)
        self.problems = QLabel(objectName="settingsProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #d04040")
        # Room for two lines of problems, kept while there are none: the
        # dialog does not jump as you type.
        self.problems.setMinimumHeight(2 * self.problems.fontMetrics().lineSpacing())
        self.problems.setAccessibleName(translate("RetrainDialog", "Problems with these settings"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        train = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        train.setText(translate("RetrainDialog", "&Train"))
        train.setAccessibleDescription(
            translate("RetrainDialog", "Train a new network with these settings")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("RetrainDialog", "Cancel")
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        fields = (
            (translate("RetrainDialog", "&Start from:"), self.preset),
            (translate("RetrainDialog", "&Optimizer:"), self.optimizer),
            (translate("RetrainDialog", "&Learning rate:"), self.learning_rate),
            (translate("RetrainDialog", "Learning-rate s&chedule:"), self.schedule),
            (translate("RetrainDialog", "&Batch size:"), self.batch_size),
            (translate("RetrainDialog", "&Epochs:"), self.epochs),
            (translate("RetrainDialog", "MNIST &images:"), self.train_samples),
        )
        for text, field in fields:
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(_accessible(text))
            form.addRow(label, field)
        for box in (self.augment, self.pen_digits):
            box.setAccessibleName(_accessible(box.text()))
            form.addRow(box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        order = [field for _text, field in fields] + [self.augment, self.pen_digits]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for first, second in ((order[-1], train), (train, cancel)):
            QWidget.setTabOrder(first, second)

        start = TrainingSettings.from_recipe(recipe) if recipe else None
        self.show_settings(start or TrainingSettings.from_preset("default"))
        self.preset.currentIndexChanged.connect(self.on_preset_currentIndexChanged)
        for combo in (self.optimizer, self.schedule):
            combo.currentIndexChanged.connect(self.on_field_changed)
        self.learning_rate.textChanged.connect(self.on_field_changed)
        for spin in (self.batch_size, self.epochs, self.train_samples):
            spin.valueChanged.connect(self.on_field_changed)
        for box in (self.augment, self.pen_digits):
            box.toggled.connect(self.on_field_changed)
        self.on_field_changed()
        # Size constraints settle before the native window exists.
        layout.activate()

    def setVisible(self, visible: bool) -> None:  # noqa: D102
        if visible and not self.isVisible():
            self.layout().activate()
        super().setVisible(visible)

    def show_settings(self, settings: TrainingSettings) -> None:
        """Fill the fields with ``settings``."""
        self.preset.setCurrentIndex(max(0, self.preset.findData(settings.preset)))
        self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(settings.optimizer)))
        self.learning_rate.setText(f"{settings.learning_rate:g}")
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(settings.schedule)))
        self.batch_size.setValue(settings.batch_size)
        self.epochs.setValue(settings.epochs)
        self.train_samples.setValue(settings.train_samples or 0)
        self.augment.setChecked(settings.augment)
        self.pen_digits.setChecked(settings.pen_digits)
        self._seed = settings.seed

    def settings(self) -> TrainingSettings:
        """The settings as the fields show them (maybe invalid: see ``problems()``)."""
        return TrainingSettings(
            preset=str(self.preset.currentData()),
            optimizer=str(self.optimizer.currentData()),
            learning_rate=_number(self.learning_rate.text()),
            batch_size=self.batch_size.value(),
            epochs=self.epochs.value(),
            augment=self.augment.isChecked(),
            pen_digits=self.pen_digits.isChecked(),
            schedule=str(self.schedule.currentData()),
            train_samples=self.train_samples.value() or None,
            seed=self._seed,
        )

    def recipe(self) -> Recipe:
        """The recipe to train with.

        Raises:
            ValueError: the settings are invalid (OK is disabled then).
        """
        return self.settings().to_recipe()

    def is_valid(self) -> bool:
        """Whether OK may be pressed."""
        return not self.settings().problems()

    def problem_texts(self) -> list[str]:
        """What is wrong with the fields, in the window's language (empty: nothing)."""
        return [self._problem_text(problem) for problem in self.settings().problems()]

    @Slot(int)
    def on_preset_currentIndexChanged(self, _index: int) -> None:
        self.show_settings(TrainingSettings.from_preset(str(self.preset.currentData())))

    @Slot()
    def on_field_changed(self) -> None:
        problems = self.problem_texts()
        self.problems.setText("\n".join(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def accept(self) -> None:  # noqa: D102
        if self.is_valid():
            super().accept()

    def _problem_text(self, problem: str) -> str:
        """One problem of :meth:`TrainingSettings.problems`, said for the field it is about.

        The fields this dialog can get wrong (the combo boxes hold only valid
        choices) are worded here; any other problem is shown as the settings
        say it.
        """
        if problem.startswith("The learning rate"):
            typed = self.learning_rate.text().strip()
            if math.isnan(_number(typed)):
                return translate(
                    "RetrainDialog", "The learning rate {typed} is not a number (type e.g. 0.001)."
                ).format(typed=repr(typed))
            return translate(
                "RetrainDialog",
                "The learning rate must be a number above 0 and at most {maximum} "
                "(the article tries 0.01, 0.003, 0.001…), not {value}.",
            ).format(maximum=f"{MAX_LEARNING_RATE:g}", value=repr(_number(typed)))
        if problem.startswith("The batch size"):
            return translate(
                "RetrainDialog",
                "The batch size must be a whole number from 1 to {maximum} "
                "(the article uses 32), not {value}.",
            ).format(maximum=MAX_BATCH_SIZE, value=self.batch_size.value())
        if problem.startswith("The number of epochs"):
            return translate(
                "RetrainDialog",
                "The number of epochs must be a whole number from 1 to {maximum}, not {value}.",
            ).format(maximum=MAX_EPOCHS, value=self.epochs.value())
        return problem


def _accessible(text: str) -> str:
    """A label's text as an accessible name: no mnemonic, no trailing colon."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "").rstrip(":：").strip()


def _number(text: str) -> float:
    """The number typed (a decimal comma accepted); NaN when it is none."""
    cleaned = text.strip().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        try:
            return locale.atof(text)
        except ValueError:
            return float("nan")

"""Retrain Settings: the article's knobs, a preset to start from, refusals said as you type."""

from __future__ import annotations

import locale
import math

from PySide6.QtCore import Slot
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

from digitpad.net.recipes import Recipe
from digitpad.net.training_settings import OPTIMIZERS, PRESETS, SCHEDULES, TrainingSettings


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
        self.setWindowTitle("Retrain Settings")
        self.preset = QComboBox(objectName="settingsPreset")
        for name, text in PRESETS.items():
            self.preset.addItem(text, name)
        self.optimizer = QComboBox(objectName="settingsOptimizer")
        for name, text in OPTIMIZERS.items():
            self.optimizer.addItem(text, name)
        self.learning_rate = QLineEdit(objectName="settingsLearningRate")
        self.learning_rate.setToolTip(
            "The article's way: try 0.01, then a third of it (0.003), 0.001, … "
            "(Model > Try Learning Rates… does it for you)"
        )
        self.batch_size = QSpinBox(objectName="settingsBatchSize")
        self.batch_size.setRange(0, 65536)
        self.epochs = QSpinBox(objectName="settingsEpochs")
        self.epochs.setRange(0, 1000)
        self.train_samples = QSpinBox(objectName="settingsTrainImages")
        self.train_samples.setRange(0, 60000)
        self.train_samples.setSingleStep(1000)
        self.train_samples.setSpecialValueText("all 60,000")
        self.augment = QCheckBox("Distort training images (rotation, zoom, shear, shift)")
        self.augment.setObjectName("settingsAugment")
        self.pen_digits = QCheckBox("Also train on real pen-drawn digits")
        self.pen_digits.setObjectName("settingsPenDigits")
        self.schedule = QComboBox(objectName="settingsSchedule")
        for name, text in SCHEDULES.items():
            self.schedule.addItem(text, name)
        self.problems = QLabel(objectName="settingsProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #d04040")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Train")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Start from:", self.preset)
        form.addRow("Optimizer:", self.optimizer)
        form.addRow("Learning rate:", self.learning_rate)
        form.addRow("Learning-rate schedule:", self.schedule)
        form.addRow("Batch size:", self.batch_size)
        form.addRow("Epochs:", self.epochs)
        form.addRow("MNIST images:", self.train_samples)
        form.addRow(self.augment)
        form.addRow(self.pen_digits)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

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

    @Slot(int)
    def on_preset_currentIndexChanged(self, _index: int) -> None:
        self.show_settings(TrainingSettings.from_preset(str(self.preset.currentData())))

    @Slot()
    def on_field_changed(self) -> None:
        problems = self.settings().problems()
        typed = self.learning_rate.text().strip()
        if math.isnan(_number(typed)):
            problems = [
                f"The learning rate {typed!r} is not a number (type e.g. 0.001)."
                if p.startswith("The learning rate")
                else p
                for p in problems
            ]
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def accept(self) -> None:  # noqa: D102
        if self.is_valid():
            super().accept()


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

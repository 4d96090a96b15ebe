"""The window's dialogs: questions, messages, file choosers, model info.

Kept apart from the window so each is one call returning the user's answer
(tests replace ``QMessageBox.exec`` or the ``QFileDialog`` statics to answer
them without blocking).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from digitpad.gui.wording import format_date

MNIST_FILTER = "MNIST (*.npz *.gz *-ubyte);;All files (*)"


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str = "",
    yes: str = "Yes",
    no: str = "Cancel",
    default_yes: bool = True,
) -> bool:
    """Ask a yes/no question; ``True`` for yes (Enter answers ``default_yes``)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName("questionBox")
    if informative:
        box.setInformativeText(informative)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(
        QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.Cancel
    )
    box.button(QMessageBox.StandardButton.Yes).setText(yes)
    box.button(QMessageBox.StandardButton.Cancel).setText(no)
    return box.exec() == QMessageBox.StandardButton.Yes


def warn(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    """Show a warning with an OK button."""
    _message(QMessageBox.Icon.Warning, "warningBox", parent, title, text, informative)


def inform(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    """Show a message with an OK button."""
    _message(QMessageBox.Icon.Information, "informationBox", parent, title, text, informative)


def _message(
    icon: QMessageBox.Icon,
    name: str,
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str,
) -> None:
    box = QMessageBox(icon, title, text, parent=parent)
    box.setObjectName(name)
    if informative:
        box.setInformativeText(informative)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def ask_mnist_location(parent: QWidget | None, message: str) -> str | None:
    """Say MNIST could not be obtained; let the user pick a local copy.

    Returns:
        The chosen folder or file, or ``None`` if the user gave up.
    """
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "MNIST is not available",
        "digitpad needs the MNIST handwritten digits once, to train its network, "
        "and could not get them.",
        parent=parent,
    )
    box.setObjectName("mnistMissingBox")
    box.setInformativeText(
        f"{message}\n\nChoose a folder holding LeCun's four MNIST files, or a Keras "
        "mnist.npz file."
    )
    box.setStandardButtons(
        QMessageBox.StandardButton.Open
        | QMessageBox.StandardButton.Retry
        | QMessageBox.StandardButton.Cancel
    )
    box.button(QMessageBox.StandardButton.Open).setText("Choose Folder…")
    box.button(QMessageBox.StandardButton.Retry).setText("Choose File…")
    box.setDefaultButton(QMessageBox.StandardButton.Open)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Open:
        folder = QFileDialog.getExistingDirectory(parent, "Folder with the MNIST files")
        return folder or None
    if answer == QMessageBox.StandardButton.Retry:
        path, _ = QFileDialog.getOpenFileName(parent, "MNIST file", "", MNIST_FILTER)
        return path or None
    return None


def show_model_info(
    parent: QWidget | None,
    manifest: dict[str, Any] | None,
    provisional: bool = False,
    training_html: str = "",
    offer_chart: bool = False,
) -> bool:
    """Show the model's manifest, formatted for people.

    Args:
        parent: the parent widget.
        manifest: the model's manifest, or ``None``.
        provisional: the network is still learning.
        training_html: the last training run's per-epoch figures, shown below.
        offer_chart: add a "Training Chart" button.

    Returns:
        Whether the user asked for the training chart.
    """
    box = QMessageBox(QMessageBox.Icon.Information, "Model info", "", parent=parent)
    box.setObjectName("modelInfoBox")
    box.setTextFormat(Qt.TextFormat.RichText)
    text = model_info_html(manifest, provisional)
    if training_html:
        text += f"<p><b>Last training run, per epoch</b></p>{training_html}"
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    chart = None
    if offer_chart:
        chart = box.addButton("Training Chart…", QMessageBox.ButtonRole.ActionRole)
        chart.setObjectName("showTrainingChart")
    box.exec()
    return chart is not None and box.clickedButton() is chart


def model_info_html(manifest: dict[str, Any] | None, provisional: bool = False) -> str:
    """The manifest as an HTML table."""
    if not manifest:
        if provisional:
            return "<b>The network is still learning.</b><br>Its first training run is not done."
        return "<b>No model is loaded yet.</b>"
    recipe = manifest.get("recipe") or {}
    rows = [
        ("Network", "LeNet (" + str(manifest.get("architecture", "?")) + ")"),
        ("Accuracy", _percent(manifest.get("test_accuracy")) + " on the 10,000 MNIST test digits"),
        ("Test loss", _number(manifest.get("test_loss"))),
        ("Trained", format_date(manifest.get("created"))),
        ("Recipe", _recipe_text(recipe)),
        ("Epochs completed", str(manifest.get("epochs_completed", "?"))),
        ("Training time", _seconds(manifest.get("fit_seconds"))),
        ("MNIST source", str(manifest.get("mnist_source", "?"))),
        (
            "Versions",
            ", ".join(
                f"{name} {manifest[key]}"
                for name, key in (
                    ("digitpad", "digitpad_version"),
                    ("Keras", "keras_version"),
                    ("TensorFlow", "tensorflow_version"),
                    ("Python", "python_version"),
                )
                if key in manifest
            )
            or "?",
        ),
        *_personal_rows(manifest),
        *_calibration_rows(manifest),
        ("Weights file", str(manifest.get("weights_file", "not saved"))),
        ("SHA-256", str(manifest.get("sha256", "–"))),
    ]
    body = "".join(
        f"<tr><td style='padding-right:12px'><b>{html.escape(k)}</b></td>"
        f"<td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    note = ""
    if manifest.get("saved") is False:
        note = "<p><b>This model could not be saved; it is used until the app closes.</b></p>"
    return f"<table>{body}</table>{note}"


def _personal_rows(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """Rows about adaptation, for a personal network."""
    adapted = manifest.get("adapted")
    if manifest.get("name") != "personal" or not isinstance(adapted, dict):
        return []
    return [
        ("Adapted to", f"your handwriting: {adapted.get('trained_on', '?')} drawings"),
        (
            "Your held-back drawings",
            f"{_percent(adapted.get('user_accuracy_before'))} read right before, "
            f"{_percent(adapted.get('user_accuracy_after'))} after "
            f"({adapted.get('held_back', '?')} drawings)",
        ),
        ("Base network's accuracy", _percent(adapted.get("mnist_accuracy_before"))),
    ]


def _calibration_rows(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """Rows about when the network says "?"."""
    data = manifest.get("calibration")
    if not isinstance(data, dict):
        return [("Not sure below", "90% (not calibrated: an older model)")]
    rows = [
        (
            "Not sure below",
            f"{_percent(data.get('threshold'))} calibrated probability "
            f"(temperature {_number(data.get('temperature'))}, fitted on "
            f"{data.get('images', '?')} held-out images)",
        )
    ]
    if data.get("not_sure_rate") is not None:
        rows.append(
            (
                "Held-out pen writers",
                f'"?" for {_percent(data.get("not_sure_rate"))}; the rest '
                f"{_percent(data.get('confident_accuracy'))} right",
            )
        )
    return rows


def _recipe_text(recipe: dict[str, Any]) -> str:
    if not recipe:
        return "?"
    parts = [str(recipe.get("name", "?"))]
    if "epochs" in recipe:
        parts.append(f"{recipe['epochs']} epochs")
    if "batch_size" in recipe:
        parts.append(f"batch {recipe['batch_size']}")
    if "optimizer" in recipe:
        parts.append(f"{recipe['optimizer']} {recipe.get('schedule', '')}".strip())
    if recipe.get("augmentation"):
        parts.append("augmentation")
    if recipe.get("train_samples"):
        parts.append(f"first {recipe['train_samples']} images")
    return ", ".join(parts)


def _percent(value: Any) -> str:
    try:
        return f"{float(value) * 100:.2f}%"
    except (TypeError, ValueError):
        return "?"


def _number(value: Any) -> str:
    try:
        return f"{float(value):.4f}"
    except (TypeError, ValueError):
        return "?"


def _seconds(value: Any) -> str:
    try:
        seconds = round(float(value))
    except (TypeError, ValueError):
        return "?"
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"

"""The window's dialogs: questions, messages, file choosers, model info.

Kept apart from the window so each is one call returning the user's answer
(tests replace ``QMessageBox.exec`` or the ``QFileDialog`` statics to answer
them without blocking).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from digitpad.gui.i18n import number, percent, translate
from digitpad.gui.wording import format_date

#: The file filter of "MNIST file" (translated where shown).
MNIST_FILTER = QT_TRANSLATE_NOOP("Dialogs", "MNIST (*.npz *.gz *-ubyte);;All files (*)")


@dataclass(frozen=True)
class MemoryState:
    """The personal memory (the instant learning from kept drawings) as the window shows it.

    Attributes:
        drawings: how many kept drawings it holds.
        on: whether it takes part in the readings now.
        learning: it is off because the network reading is still being trained.
        let_stand: how many of the drawings are readings the user let stand
            (:mod:`digitpad.gui.let_stand`), not corrections.
    """

    drawings: int
    on: bool
    learning: bool = False
    let_stand: int = 0


def memory_state(session: Any, let_stand: int = 0) -> MemoryState:
    """The memory of ``session`` (a :class:`~digitpad.gui.session.ModelSession`).

    ``let_stand``: how many readings let stand are kept (they are in the memory).

    The inference worker builds the memory with every trained network it
    puts in use, and drops it while a network still learning reads (its
    embeddings move with every snapshot).
    """
    if not session.is_predicting():
        return MemoryState(0, False)
    if session.is_provisional():
        return MemoryState(0, False, learning=True)
    return MemoryState(int(session.memory_size()), True, let_stand=let_stand)


def memory_text(memory: MemoryState) -> str:
    """One or two sentences on the memory, for My Digits and Model Info."""
    if not memory.on:
        if memory.learning:
            return translate(
                "Dialogs",
                "The memory is off while the network is still learning; your kept "
                "drawings count again once the training ends.",
            )
        return translate(
            "Dialogs",
            "The memory is off until a network is loaded; it then holds your kept drawings.",
        )
    if memory.drawings == 0:
        return translate(
            "Dialogs",
            "The memory holds no drawings yet; each drawing you correct changes the next "
            "readings at once.",
        )
    if memory.drawings == 1:
        text = translate(
            "Dialogs", "The memory holds 1 drawing; it changes the next readings at once."
        )
    else:
        text = translate(
            "Dialogs",
            "The memory holds {count} drawings; each one changes the next readings at once.",
        ).format(count=number(memory.drawings))
    if memory.let_stand:
        text = translate(
            "Dialogs",
            "{text} Readings you let stand (shown sure, cleared without a correction): {count}.",
        ).format(text=text, count=number(memory.let_stand))
    return text


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str = "",
    yes: str | None = None,
    no: str | None = None,
    default_yes: bool = True,
) -> bool:
    """Ask a yes/no question; ``True`` for yes (Enter answers ``default_yes``).

    Args:
        parent: the parent widget.
        title: the window title (translated by the caller, like the texts).
        text: the question.
        informative: details under it.
        yes: the yes button's text (default "Yes").
        no: the no button's text (default "Cancel").
        default_yes: Enter answers yes.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName("questionBox")
    box.setAccessibleName(title)
    if informative:
        box.setInformativeText(informative)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(
        QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.Cancel
    )
    box.button(QMessageBox.StandardButton.Yes).setText(yes or translate("Dialogs", "Yes"))
    box.button(QMessageBox.StandardButton.Cancel).setText(no or translate("Dialogs", "Cancel"))
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
    box.setAccessibleName(title)
    if informative:
        box.setInformativeText(informative)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def ask_mnist_location(parent: QWidget | None, message: str) -> str | None:
    """Say MNIST could not be obtained; let the user pick a local copy.

    Args:
        parent: the parent widget.
        message: why MNIST could not be obtained (as the loader says it).

    Returns:
        The chosen folder or file, or ``None`` if the user gave up.
    """
    title = translate("Dialogs", "MNIST is not available")
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title,
        translate(
            "Dialogs",
            "digitpad needs the MNIST handwritten digits once, to train its network, "
            "and could not get them.",
        ),
        parent=parent,
    )
    box.setObjectName("mnistMissingBox")
    box.setAccessibleName(title)
    box.setInformativeText(
        translate(
            "Dialogs",
            "{reason}\n\nChoose a folder holding LeCun's four MNIST files, or a Keras "
            "mnist.npz file.",
        ).format(reason=message)
    )
    box.setStandardButtons(
        QMessageBox.StandardButton.Open
        | QMessageBox.StandardButton.Retry
        | QMessageBox.StandardButton.Cancel
    )
    box.button(QMessageBox.StandardButton.Open).setText(translate("Dialogs", "Choose &Folder…"))
    box.button(QMessageBox.StandardButton.Retry).setText(translate("Dialogs", "Choose F&ile…"))
    box.button(QMessageBox.StandardButton.Cancel).setText(translate("Dialogs", "Cancel"))
    box.setDefaultButton(QMessageBox.StandardButton.Open)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Open:
        folder = QFileDialog.getExistingDirectory(
            parent, translate("Dialogs", "Folder with the MNIST files")
        )
        return folder or None
    if answer == QMessageBox.StandardButton.Retry:
        path, _ = QFileDialog.getOpenFileName(
            parent, translate("Dialogs", "MNIST file"), "", translate("Dialogs", MNIST_FILTER)
        )
        return path or None
    return None


def show_model_info(
    parent: QWidget | None,
    manifest: dict[str, Any] | None,
    provisional: bool = False,
    training_html: str = "",
    offer_chart: bool = False,
    memory: MemoryState | None = None,
) -> bool:
    """Show the model's manifest, formatted for people.

    Args:
        parent: the parent widget.
        manifest: the model's manifest, or ``None``.
        provisional: the network is still learning.
        training_html: the last training run's per-epoch figures, shown below.
        offer_chart: add a "Training Chart" button.
        memory: the personal memory's state (:func:`memory_state`), or
            ``None`` to leave it out.

    Returns:
        Whether the user asked for the training chart.
    """
    title = translate("Dialogs", "Model info")
    box = QMessageBox(QMessageBox.Icon.Information, title, "", parent=parent)
    box.setObjectName("modelInfoBox")
    box.setAccessibleName(title)
    box.setTextFormat(Qt.TextFormat.RichText)
    text = model_info_html(manifest, provisional, memory)
    if training_html:
        heading = html.escape(translate("Dialogs", "Last training run, per epoch"))
        text += f"<p><b>{heading}</b></p>{training_html}"
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    chart = None
    if offer_chart:
        chart = box.addButton(
            translate("Dialogs", "Training &Chart…"), QMessageBox.ButtonRole.ActionRole
        )
        chart.setObjectName("showTrainingChart")
        chart.setAccessibleDescription(
            translate("Dialogs", "Show the loss and accuracy curves of the last training run")
        )
    box.exec()
    return chart is not None and box.clickedButton() is chart


def model_info_html(
    manifest: dict[str, Any] | None,
    provisional: bool = False,
    memory: MemoryState | None = None,
) -> str:
    """The manifest as an HTML table (and the memory's state, when given)."""
    if not manifest:
        if provisional:
            text = "<b>{}</b><br>{}".format(
                html.escape(translate("Dialogs", "The network is still learning.")),
                html.escape(translate("Dialogs", "Its first training run is not done.")),
            )
        else:
            text = "<b>{}</b>".format(html.escape(translate("Dialogs", "No model is loaded yet.")))
        if memory is not None:
            label, value = _memory_row(memory)
            text += f"<p><b>{html.escape(label)}</b><br>{html.escape(value)}</p>"
        return text
    recipe = manifest.get("recipe") or {}
    rows = [
        (
            translate("Dialogs", "Network"),
            translate("Dialogs", "LeNet ({architecture})").format(
                architecture=manifest.get("architecture", "?")
            ),
        ),
        (
            translate("Dialogs", "Accuracy"),
            translate("Dialogs", "{accuracy} on the {count} MNIST test digits").format(
                accuracy=_percent(manifest.get("test_accuracy")), count=number(10000)
            ),
        ),
        (translate("Dialogs", "Test loss"), _number(manifest.get("test_loss"))),
        (translate("Dialogs", "Trained"), format_date(manifest.get("created"))),
        (translate("Dialogs", "Recipe"), _recipe_text(recipe)),
        (translate("Dialogs", "Epochs completed"), str(manifest.get("epochs_completed", "?"))),
        (translate("Dialogs", "Training time"), _seconds(manifest.get("fit_seconds"))),
        (translate("Dialogs", "MNIST source"), str(manifest.get("mnist_source", "?"))),
        (
            translate("Dialogs", "Versions"),
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
        *([_memory_row(memory)] if memory is not None else []),
        (
            translate("Dialogs", "Weights file"),
            str(manifest.get("weights_file") or translate("Dialogs", "not saved")),
        ),
        ("SHA-256", str(manifest.get("sha256", "–"))),
    ]
    body = "".join(
        f"<tr><td style='padding-right:12px'><b>{html.escape(k)}</b></td>"
        f"<td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    note = ""
    if manifest.get("saved") is False:
        note = "<p><b>{}</b></p>".format(
            html.escape(
                translate(
                    "Dialogs", "This model could not be saved; it is used until the app closes."
                )
            )
        )
    return f"<table>{body}</table>{note}"


def _memory_row(memory: MemoryState) -> tuple[str, str]:
    """The memory's row: on or off, how many drawings, and what it changes."""
    state = translate("Dialogs", "On") if memory.on else translate("Dialogs", "Off")
    text = translate("Dialogs", "{state}. {sentence}").format(
        state=state, sentence=memory_text(memory)
    )
    if memory.on:
        text = translate(
            "Dialogs", "{text} The test-set report reads with the network alone."
        ).format(text=text)
    return translate("Dialogs", "Personal memory"), text


def _personal_rows(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """Rows about adaptation, for a personal network."""
    adapted = manifest.get("adapted")
    if manifest.get("name") != "personal" or not isinstance(adapted, dict):
        return []
    return [
        (
            translate("Dialogs", "Adapted to"),
            translate("Dialogs", "your handwriting: {count} drawings").format(
                count=_count(adapted.get("trained_on"))
            ),
        ),
        (
            translate("Dialogs", "Your held-back drawings"),
            translate(
                "Dialogs", "{before} read right before, {after} after ({count} drawings)"
            ).format(
                before=_percent(adapted.get("user_accuracy_before")),
                after=_percent(adapted.get("user_accuracy_after")),
                count=_count(adapted.get("held_back")),
            ),
        ),
        (
            translate("Dialogs", "Base network's accuracy"),
            _percent(adapted.get("mnist_accuracy_before")),
        ),
    ]


def _calibration_rows(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """Rows about when the network says "?"."""
    data = manifest.get("calibration")
    label = translate("Dialogs", "Not sure below")
    if not isinstance(data, dict):
        return [
            (
                label,
                translate("Dialogs", "{threshold} (not calibrated: an older model)").format(
                    threshold=percent(0.9, 0)
                ),
            )
        ]
    rows = [
        (
            label,
            translate(
                "Dialogs",
                "{threshold} calibrated probability (temperature {temperature}, fitted on "
                "{count} held-out images)",
            ).format(
                threshold=_percent(data.get("threshold")),
                temperature=_number(data.get("temperature")),
                count=_count(data.get("images")),
            ),
        )
    ]
    if data.get("not_sure_rate") is not None:
        rows.append(
            (
                translate("Dialogs", "Held-out pen writers"),
                translate("Dialogs", '"?" for {unsure}; the rest {right} right').format(
                    unsure=_percent(data.get("not_sure_rate")),
                    right=_percent(data.get("confident_accuracy")),
                ),
            )
        )
    return rows


def _recipe_text(recipe: dict[str, Any]) -> str:
    if not recipe:
        return "?"
    parts = [str(recipe.get("name", "?"))]
    if "epochs" in recipe:
        epochs = recipe["epochs"]
        if epochs == 1:
            parts.append(translate("Dialogs", "1 epoch"))
        else:
            parts.append(translate("Dialogs", "{count} epochs").format(count=epochs))
    if "batch_size" in recipe:
        parts.append(translate("Dialogs", "batch {size}").format(size=recipe["batch_size"]))
    if "optimizer" in recipe:
        parts.append(f"{recipe['optimizer']} {recipe.get('schedule', '')}".strip())
    if recipe.get("augmentation"):
        parts.append(translate("Dialogs", "augmentation"))
    if recipe.get("train_samples"):
        parts.append(
            translate("Dialogs", "first {count} images").format(
                count=_count(recipe["train_samples"])
            )
        )
    return translate("Dialogs", ", ").join(parts)


def _percent(value: Any) -> str:
    try:
        return percent(float(value), 2)
    except (TypeError, ValueError):
        return "?"


def _count(value: Any) -> str:
    """A whole number from a manifest, with digit grouping ("?" when it is none)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "?" if value is None else str(value)
    return number(value)


def _number(value: Any) -> str:
    try:
        return number(float(value), 4)
    except (TypeError, ValueError):
        return "?"


def _seconds(value: Any) -> str:
    try:
        seconds = round(float(value))
    except (TypeError, ValueError):
        return "?"
    if seconds >= 60:
        return translate("Dialogs", "{minutes} min {seconds} s").format(
            minutes=seconds // 60, seconds=seconds % 60
        )
    return translate("Dialogs", "{seconds} s").format(seconds=seconds)

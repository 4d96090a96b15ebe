"""How the window words dates, durations, recipes and the network in use (no widgets).

Texts are translated in the context ``"Wording"``; figures follow the
window's locale.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from digitpad.gui import i18n
from digitpad.gui.i18n import translate


def format_date(value: Any) -> str:
    """An ISO time stamp as a local date and time ("2026-11-27 21:05")."""
    if not value:
        return "?"
    try:
        stamp = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone()
    return stamp.strftime("%Y-%m-%d %H:%M")


def ready_text(manifest: dict[str, Any]) -> str:
    """The status line for a ready model: "LeNet, 99.3% on MNIST test, trained …"."""
    accuracy = manifest.get("test_accuracy")
    figure = i18n.percent(float(accuracy), 1) if accuracy is not None else "?"
    when = format_date(manifest.get("created"))
    if manifest.get("name") == "personal":
        text = translate(
            "Wording", "Your personal LeNet, {accuracy} on MNIST test, adapted {when}"
        ).format(accuracy=figure, when=when)
    else:
        text = translate("Wording", "LeNet, {accuracy} on MNIST test, trained {when}").format(
            accuracy=figure, when=when
        )
    if manifest.get("saved") is False:
        text = translate("Wording", "{status} (not saved)").format(status=text)
    return text


def clock(seconds: float | None) -> str:
    """``m:ss`` (or ``h:mm:ss``) for people; "?" when unknown."""
    if seconds is None or not np.isfinite(seconds):
        return "?"
    seconds = max(0, round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


def recipe_text_as_sent(recipe: Any, sent: str) -> str:
    """``sent`` (a training process's English ``describe()``) in the window's language.

    Said again from ``recipe`` when ``sent`` describes it; otherwise ``sent``
    as it came (a recipe the window does not know).
    """
    return recipe_text(recipe) if recipe.describe() == sent else sent


def recipe_text(recipe: Any) -> str:
    """``recipe.describe()`` in the window's language (the same text in English).

    Translated in the context ``"ModelSession"``, where it was first worded.

    Args:
        recipe: a ``digitpad.net.recipes.Recipe`` (or anything with its fields).

    Returns:
        One line: recipe, epochs, batch size, optimizer and schedule, extras.
    """
    if recipe.epochs == 1:
        epochs = translate("ModelSession", "{count} epoch")
    else:
        epochs = translate("ModelSession", "{count} epochs")
    text = translate(
        "ModelSession", "{name}: {epochs}, batch {batch_size}, {optimizer} {schedule}"
    )
    text = text.format(
        name=recipe.name,
        epochs=epochs.format(count=recipe.epochs),
        batch_size=recipe.batch_size,
        optimizer=recipe.optimizer,
        schedule=recipe.schedule,
    )
    if recipe.augmentation:
        text = translate("ModelSession", "{recipe} + augmentation").format(recipe=text)
    if recipe.pen_digits:
        text = translate("ModelSession", "{recipe} + real pen digits").format(recipe=text)
    if recipe.train_samples:
        text = translate("ModelSession", "{recipe}, first {count} images").format(
            recipe=text, count=recipe.train_samples
        )
    return text

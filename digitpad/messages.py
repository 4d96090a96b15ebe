"""Sentences for people, made below the window and translated in it.

The network and storage layers have no Qt, yet some of what they say reaches
the window as a report (the learning-rate verdict, why Adapt kept or refused
a network). They say it as a :class:`Message`: an English template with
named ``{fields}`` (format specs allowed, "{rate:g}"), its translation
context, and the values. ``str(message)`` is the English sentence (the
command line, logs, manifests); the window translates the template with
Qt's translation system (:func:`digitpad.gui.i18n.say`) and fills in the same
values.

Templates are literals marked with :func:`QT_TRANSLATE_NOOP`, which
``pyside6-lupdate`` extracts into the translation sources like the window's
own texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate knows
    """Mark ``text`` for translation in ``context``; returns it unchanged."""
    return text


@dataclass(frozen=True)
class Message:
    """A sentence for people: a translatable template and its values.

    Attributes:
        context: the translation context ("" for a text that is never translated).
        template: the English text, ``str.format`` fields named.
        values: the fields' values; a value may itself be a :class:`Message`.
    """

    context: str
    template: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template.format(
            **{k: str(v) if isinstance(v, Message) else v for k, v in self.values.items()}
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for a pipe or a manifest)."""
        return {
            "context": self.context,
            "template": self.template,
            "values": {
                k: v.as_dict() if isinstance(v, Message) else v for k, v in self.values.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> Message | None:
        """A message from :meth:`as_dict`'s data; ``None`` when it is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("template"), str):
            return None
        values = {}
        for key, value in dict(data.get("values") or {}).items():
            nested = cls.from_dict(value) if isinstance(value, dict) else None
            values[str(key)] = nested if nested is not None else value
        return cls(str(data.get("context", "")), data["template"], values)


def plain(text: str) -> Message:
    """A sentence that is not translated (a test's, a file's own words)."""
    return Message("", "{text}", {"text": text})

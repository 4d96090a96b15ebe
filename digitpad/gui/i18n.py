"""The window's languages: Qt's own translation system, and locale formats.

Every user-visible string of the window goes through :func:`translate`
(``QCoreApplication.translate`` with an explicit context, which
``pyside6-lupdate`` extracts into ``resources/translations/*.ts``). Strings
defined before a translator can be installed (tables at module level) are
marked with ``QT_TRANSLATE_NOOP(context, text)`` and translated where they
are shown.

The language is the system's (``QLocale.system()``) unless View > Language
chose one; the choice is kept in the application's settings and takes
effect at the next start (widgets are built translated once).
"""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from digitpad.messages import Message
from digitpad.storage import paths

log = logging.getLogger(__name__)

#: The languages the window speaks: code -> the language's own name.
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
#: The settings key of View > Language ("" or missing: follow the system).
SETTINGS_KEY = "language"

_installed: list[QTranslator] = []


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the window's language (``QCoreApplication.translate``).

    Args:
        context: the translation context (a class or view name).
        text: the English source text; a literal, never an f-string, so that
            ``pyside6-lupdate`` can extract it. Fill values in afterwards
            with ``str.format``.
        disambiguation: tells two identical source texts apart.
        n: the count for ``%n`` plural forms, or -1.

    Returns:
        The translation, or ``text`` itself when there is none.
    """
    return QCoreApplication.translate(context, text, disambiguation, n)


def settings() -> QSettings:
    """The window's settings file (``settings.ini`` in digitpad's data folder)."""
    return QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def say(message: Message | str) -> str:
    """A :class:`~digitpad.messages.Message` from below the window, in its language.

    The template is translated in its context and filled with the message's
    values (nested messages are said the same way); a plain string is
    returned as it is. A translation whose fields do not fit the values
    gives the English sentence rather than an error.
    """
    if not isinstance(message, Message):
        return str(message)
    values = {
        key: say(value) if isinstance(value, Message) else value
        for key, value in message.values.items()
    }
    template = translate(message.context, message.template) if message.context else ""
    try:
        return (template or message.template).format(**values)
    except (KeyError, IndexError, ValueError):
        log.warning("translation of %r does not fit its values", message.template)
    try:
        return str(message)
    except (KeyError, IndexError, ValueError):
        return message.template


def led_by(context: str, lead: str, detail: str) -> str:
    """A lower layer's English sentence ``detail``, led by ``lead`` in the window's language.

    For sentences of ``digitpad.net`` and ``digitpad.storage`` that are not
    yet :class:`~digitpad.messages.Message`: an English window shows
    ``detail`` alone (it says everything); another language says ``lead``
    (a ``QT_TRANSLATE_NOOP`` text of ``context``) and keeps ``detail`` after it.
    """
    translated = translate(context, lead)
    if translated == lead:
        return detail
    return translate("Messages", "{lead} ({detail})").format(lead=translated, detail=detail)


def chosen_language() -> str:
    """The language View > Language chose ("" when it follows the system)."""
    value = settings().value(SETTINGS_KEY, "")
    return value if isinstance(value, str) and value in LANGUAGES else ""


def choose_language(code: str) -> bool:
    """Remember ``code`` ("" follows the system) for the next start.

    Returns:
        Whether it was saved (the settings file may be unwritable).
    """
    if code and code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    store = settings()
    store.setValue(SETTINGS_KEY, code)
    store.sync()
    return store.status() == QSettings.Status.NoError


def language_for(locale: QLocale) -> str:
    """The language code digitpad speaks for ``locale`` ("en" when none fits)."""
    if locale.language() == QLocale.Language.Chinese:
        return "zh_CN"
    return "en"


def effective_language() -> str:
    """The language the window speaks now: the chosen one, else the system's."""
    return chosen_language() or language_for(QLocale.system())


def install_translators(app: QCoreApplication, language: str | None = None) -> str:
    """Install digitpad's and Qt's translations of ``language`` into ``app``.

    Removes translators installed by an earlier call first. Also sets the
    default ``QLocale`` so that numbers and percentages follow the language.

    Args:
        app: the application.
        language: a code of :data:`LANGUAGES`; None uses
            :func:`effective_language`.

    Returns:
        The language installed.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    code = language or effective_language()
    if code not in LANGUAGES:
        code = "en"
    # Numbers follow the system's locale while the window speaks its
    # language (a German system: English words, German numbers); a language
    # chosen over the system's brings its own formats.
    system = QLocale.system()
    if system.language() == QLocale.Language.C:
        # No locale set (LANG=C, a bare session): English formats, "10,000", not "10000".
        system = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    locale = system if language_for(system) == code else QLocale(code)
    QLocale.setDefault(locale)
    if code == "en":
        return code
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(locale, "qtbase", "_", qt_folder):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    ours = QTranslator(app)
    path = translations_folder() / f"digitpad_{code}.qm"
    if ours.load(str(path)):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("no translation file %s; the window stays in English", path)
    return code


def translations_folder():  # noqa: ANN201 - a Traversable or a Path
    """The folder of the compiled ``.qm`` files (inside the installed package)."""
    return resources.files("digitpad.resources") / "translations"


def percent(fraction: float, decimals: int = 1) -> str:
    """``fraction`` as a percentage in the window's locale ("97.3%")."""
    locale = QLocale()
    return locale.toString(float(fraction) * 100.0, "f", decimals) + locale.percent()


def number(value: float, decimals: int = 0) -> str:
    """``value`` in the window's locale, with digit grouping ("10,000")."""
    locale = QLocale()
    if decimals == 0:
        return locale.toString(int(round(value)))
    return locale.toString(float(value), "f", decimals)

"""The translation files are in step with the code, and the window can speak Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from digitpad.gui import i18n, translation_files

CJK = re.compile(r"[\u4e00-\u9fff]")
#: The repository under test (its sources, not an installed copy's).
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def chinese(qapp):
    """The zh_CN translators installed for one test, English again afterwards."""
    assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
    yield qapp
    i18n.install_translators(qapp, "en")


def test_translation_sources_are_up_to_date(capsys) -> None:
    """Fails when code changed texts and the .ts/.qm were not regenerated.

    The fix is ``python -m digitpad.gui.translation_files update``, then
    translating what it lists as untranslated.
    """
    status = translation_files.check(REPO)
    assert status == 0, capsys.readouterr().out


def test_every_text_has_a_chinese_translation() -> None:
    ts = translation_files.ts_path("zh_CN", REPO)
    texts = translation_files.messages(ts)
    assert len(texts) > 300
    assert translation_files.untranslated(ts) == []
    for (context, source), message in texts.items():
        translation = message.findtext("translation") or ""
        for field in re.findall(r"\{[a-z_]*\}", source):
            assert field in translation, f"[{context}] {source!r} lost {field}"


def test_the_compiled_translation_ships_in_the_package() -> None:
    qm = i18n.translations_folder() / "digitpad_zh_CN.qm"
    assert qm.is_file()
    assert qm.read_bytes()[:4] == bytes.fromhex("3cb86418")  # Qt's .qm magic


def test_chinese_is_installed_and_removed(chinese) -> None:
    text = i18n.translate("Actions", "&Retrain…")
    assert CJK.search(text), text
    i18n.install_translators(chinese, "en")
    assert i18n.translate("Actions", "&Retrain…") == "&Retrain…"


def test_numbers_follow_the_language(chinese) -> None:
    assert QLocale().language() == QLocale.Language.Chinese
    assert i18n.percent(0.9731) == "97.3%"
    assert i18n.number(10000) == "10,000"


def test_english_numbers_are_grouped_on_a_system_without_a_locale(qapp, monkeypatch) -> None:
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.C)))
    i18n.install_translators(qapp, "en")
    try:
        assert i18n.number(10000) == "10,000"
    finally:
        monkeypatch.undo()
        i18n.install_translators(qapp, "en")


def test_the_chosen_language_is_remembered(qapp) -> None:
    i18n.choose_language("zh_CN")
    try:
        assert i18n.chosen_language() == "zh_CN"
        assert i18n.effective_language() == "zh_CN"
        with pytest.raises(ValueError):
            i18n.choose_language("xx")
    finally:
        i18n.choose_language("")
    assert i18n.chosen_language() == ""


def test_a_language_that_could_not_be_saved_says_so(qapp) -> None:
    from digitpad.storage import paths

    blocked = paths.data_dir() / "settings.ini"
    blocked.mkdir(parents=True)  # a folder where the settings file should be
    assert i18n.choose_language("zh_CN") is False
    assert i18n.chosen_language() == ""


def test_a_chinese_system_locale_picks_chinese() -> None:
    assert i18n.language_for(QLocale("zh_CN")) == "zh_CN"
    assert i18n.language_for(QLocale("zh_TW")) == "zh_CN"
    assert i18n.language_for(QLocale("de_DE")) == "en"

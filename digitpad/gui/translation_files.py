"""Keep the translation sources and compiled files in step with the code.

``python -m digitpad.gui.translation_files update [JSON ...]`` runs
PySide6's ``lupdate`` over ``digitpad/gui`` into
``resources/translations/digitpad_<lang>.ts`` (translations already there
are kept; translations given in JSON files are filled in), then ``lrelease``
into the ``.qm`` files the wheel ships. ``check`` fails when the ``.ts``
files do not hold exactly the texts the code uses, when a text is
untranslated, or when a ``.qm`` file is not the compilation of its ``.ts``.

A JSON file is a list of ``{"context": …, "source": …, "translation": …}``.
This is a developer's tool: it needs the PySide6 tools, never the window.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

#: The languages that have a translation file (English is the source).
TRANSLATED = ("zh_CN",)


def repository(start: Path | None = None) -> Path:
    """The repository holding the sources.

    ``start`` (default: the working folder) when it has ``digitpad/gui`` and
    ``resources/``, else the checkout this module sits in.
    """
    for root in (start or Path.cwd(), Path(__file__).resolve().parents[2]):
        if (root / "digitpad" / "gui").is_dir() and (root / "resources").is_dir():
            return root
    raise SystemExit("run this in the digitpad repository (digitpad/gui and resources/)")


Key = tuple[str, str]


def ts_path(language: str, root: Path) -> Path:
    """The translation source of ``language`` in the repository ``root``."""
    return root / "resources" / "translations" / f"digitpad_{language}.ts"


def qm_path(language: str, root: Path) -> Path:
    """The compiled translation of ``language`` in the repository ``root``."""
    return root / "resources" / "translations" / f"digitpad_{language}.qm"


def tool(name: str) -> str:
    """The path of a PySide6 tool (``pyside6-lupdate``), beside this Python first."""
    beside = Path(sys.executable).with_name(f"pyside6-{name}")
    if beside.exists():
        return str(beside)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: install PySide6")
    return found


def source_files(root: Path) -> list[Path]:
    """The Python files whose texts are translated.

    The window's modules, and the modules below it that word messages for
    it (:mod:`digitpad.messages`).
    """
    gui = root / "digitpad" / "gui"
    below = [
        path
        for path in (root / "digitpad").rglob("*.py")
        if path.parent != gui and "digitpad.messages import" in path.read_text("utf-8")
    ]
    return sorted([*gui.glob("*.py"), *below])


def lupdate(target: Path, root: Path) -> None:
    """Extract the texts of the code into ``target`` (kept translations stay)."""
    files = [str(p) for p in source_files(root)]
    subprocess.run(
        [tool("lupdate"), *files, "-locations", "none", "-no-obsolete", "-silent",
         "-ts", str(target)],
        check=True,
    )  # fmt: skip


def lrelease(source: Path, target: Path) -> None:
    """Compile ``source`` (.ts) into ``target`` (.qm)."""
    subprocess.run([tool("lrelease"), "-silent", str(source), "-qm", str(target)], check=True)


def messages(ts: Path) -> dict[Key, ET.Element]:
    """Every message of ``ts`` by (context, source)."""
    tree = ET.parse(ts)
    found: dict[Key, ET.Element] = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def untranslated(ts: Path) -> list[Key]:
    """The texts of ``ts`` with no finished translation."""
    missing = []
    for key, message in messages(ts).items():
        translation = message.find("translation")
        unfinished = translation is None or translation.get("type") in ("unfinished", "vanished")
        empty = translation is not None and not (translation.text or "").strip()
        if unfinished or (empty and not translation.findall("numerusform")):
            missing.append(key)
    return missing


def fill(ts: Path, given: dict[Key, str]) -> int:
    """Write ``given`` translations into ``ts``; returns how many were filled."""
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "")
            if key not in given:
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            for child in list(translation):
                translation.remove(child)
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                form = ET.SubElement(translation, "numerusform")
                form.text = given[key]
            else:
                translation.text = given[key]
            filled += 1
    ET.indent(tree, space="    ")
    with open(ts, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")
    return filled


def read_json(paths: list[Path]) -> dict[Key, str]:
    """Translations from JSON files (later files win)."""
    given: dict[Key, str] = {}
    for path in paths:
        for entry in json.loads(path.read_text(encoding="utf-8")):
            if entry.get("translation"):
                given[(entry["context"], entry["source"])] = entry["translation"]
    return given


def update(json_files: list[Path], root: Path) -> int:
    """Refresh every ``.ts`` from the code, fill ``json_files``, compile the ``.qm``."""
    (root / "resources" / "translations").mkdir(parents=True, exist_ok=True)
    given = read_json(json_files)
    for language in TRANSLATED:
        ts = ts_path(language, root)
        if not ts.exists():
            ts.write_text(
                '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                f'<TS version="2.1" language="{language}"></TS>\n',
                encoding="utf-8",
            )
        lupdate(ts, root)
        filled = fill(ts, given)
        lrelease(ts, qm_path(language, root))
        missing = untranslated(ts)
        _say(f"{ts.name}: {len(messages(ts))} texts, {filled} filled from JSON, "
             f"{len(missing)} untranslated")  # fmt: skip
        for context, source in missing:
            _say(f"  untranslated [{context}] {source!r}")
    return 0


def check(root: Path) -> int:
    """0 when the translation files are in step with the code, else 1 (says why)."""
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        for language in TRANSLATED:
            ts = ts_path(language, root)
            if not ts.exists():
                problems.append(f"{ts} is missing")
                continue
            fresh = Path(scratch) / ts.name
            shutil.copy(ts, fresh)
            lupdate(fresh, root)
            have, want = set(messages(ts)), set(messages(fresh))
            for context, source in sorted(want - have):
                problems.append(f"{ts.name}: new text not in the sources [{context}] {source!r}")
            for context, source in sorted(have - want):
                problems.append(f"{ts.name}: text no longer used [{context}] {source!r}")
            for context, source in untranslated(ts):
                problems.append(f"{ts.name}: untranslated [{context}] {source!r}")
            compiled = Path(scratch) / f"{language}.qm"
            lrelease(ts, compiled)
            qm = qm_path(language, root)
            if not qm.exists() or qm.read_bytes() != compiled.read_bytes():
                problems.append(f"{qm.name} is not the compilation of {ts.name}")
    for problem in problems:
        _say(problem)
    if problems:
        _say("run: python -m digitpad.gui.translation_files update")
    return 1 if problems else 0


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    """The command line (``update [JSON ...]`` or ``check``)."""
    parser = argparse.ArgumentParser(prog="python -m digitpad.gui.translation_files")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("update", help="refresh the .ts from the code and compile the .qm")
    up.add_argument("json", nargs="*", type=Path, help="translations to fill in")
    sub.add_parser("check", help="fail when the translation files are out of date")
    args = parser.parse_args(argv)
    root = repository()
    return update(args.json, root) if args.command == "update" else check(root)


if __name__ == "__main__":
    raise SystemExit(main())

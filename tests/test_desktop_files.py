import configparser
import os

import pytest

from digitpad.cli import main
from digitpad.storage import desktop_files, paths


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def read_entry(path):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_the_entry_and_icon_in_xdg_data_home(data_home, capsys):
    assert main(["install-desktop"]) == 0
    entry_path = data_home / "applications" / "digitpad.desktop"
    icon_path = data_home / "icons" / "hicolor" / "scalable" / "apps" / "digitpad.svg"
    assert capsys.readouterr().out == f"wrote {icon_path}\nwrote {entry_path}\n"
    entry = read_entry(entry_path)
    command = desktop_files.digitpad_command()
    assert entry["Exec"] == desktop_files.exec_value(command)
    assert os.path.isabs(command[0])
    assert os.path.exists(command[0])
    assert entry["Icon"] == "digitpad"
    assert entry["Name"] == "digitpad"
    assert entry["Type"] == "Application"
    assert entry["StartupWMClass"] == "digitpad"
    assert icon_path.read_bytes() == paths.resource_path("digitpad.svg").read_bytes()
    assert sorted(p.relative_to(data_home).as_posix() for p in data_home.rglob("*")) == [
        "applications",
        "applications/digitpad.desktop",
        "icons",
        "icons/hicolor",
        "icons/hicolor/scalable",
        "icons/hicolor/scalable/apps",
        "icons/hicolor/scalable/apps/digitpad.svg",
    ]


def test_uninstall_removes_exactly_those_files(data_home, capsys):
    apps = data_home / "applications"
    apps.mkdir(parents=True)
    (apps / "other.desktop").write_text("[Desktop Entry]\nName=other\n")
    assert main(["install-desktop"]) == 0
    assert main(["install-desktop", "--uninstall"]) == 0
    out = capsys.readouterr().out
    assert "removed " + str(apps / "digitpad.desktop") in out
    assert sorted(p.relative_to(data_home).as_posix() for p in data_home.rglob("*")) == [
        "applications",
        "applications/other.desktop",
        "icons",
        "icons/hicolor",
        "icons/hicolor/scalable",
        "icons/hicolor/scalable/apps",
    ]
    assert main(["install-desktop", "--uninstall"]) == 0
    assert "Nothing to remove" in capsys.readouterr().out


def test_uninstall_leaves_files_it_did_not_write(data_home, capsys):
    entry = desktop_files.desktop_file_path()
    icon = desktop_files.icon_path()
    desktop_files.install(["/opt/digitpad/bin/digitpad"])
    entry.write_text("[Desktop Entry]\nName=my own launcher\nExec=digitpad\n")
    assert main(["install-desktop", "--uninstall"]) == 0
    captured = capsys.readouterr()
    assert f"removed {icon}" in captured.out
    assert captured.err == (
        f"digitpad: {entry} was not written by digitpad (or changed); left alone.\n"
    )
    assert entry.read_text().startswith("[Desktop Entry]\nName=my own launcher")


def test_a_relative_xdg_data_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop_files.xdg_data_home() == tmp_path / ".local" / "share"


@pytest.mark.parametrize(
    ("argv", "value"),
    [
        (["/usr/bin/digitpad"], "/usr/bin/digitpad"),
        (["/home/a b/bin/python", "-m", "digitpad"], '"/home/a b/bin/python" -m digitpad'),
        (['/x/"q"$`'], r'"/x/\\"q\\"\\$\\`"'),
        (["/x/100%/digitpad"], "/x/100%%/digitpad"),
    ],
)
def test_exec_is_quoted_as_the_desktop_entry_spec_says(argv, value):
    assert desktop_files.exec_value(argv) == value


def test_a_path_with_a_line_break_is_refused(data_home):
    with pytest.raises(desktop_files.DesktopError, match="line break"):
        desktop_files.install(["/tmp/evil\nExec=rm"])
    assert not data_home.exists() or not any(data_home.rglob("*.desktop"))


def test_an_unwritable_folder_is_one_line(data_home, capsys):
    data_home.mkdir()
    (data_home / "applications").write_text("a file where a folder should be")
    assert main(["install-desktop"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("digitpad: Could not write ")
    assert err.count("\n") == 1

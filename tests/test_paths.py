import os
import subprocess
import sys
from pathlib import Path

from digitpad.storage import paths

REPO = Path(__file__).resolve().parents[1]


def test_home_overrides_every_folder(digitpad_home):
    assert paths.data_dir() == digitpad_home / "data"
    assert paths.cache_dir() == digitpad_home / "cache"
    assert paths.models_dir() == digitpad_home / "data" / "models"


def test_resources_are_found_where_digitpad_is_imported_from():
    assert paths.resource_path("digitpad.svg").is_file()
    assert paths.resource_path("pendigits-train.gz").is_file()


def test_resources_are_found_from_a_source_checkout():
    # Scripts and subprocess tests put the checkout first on the path; its
    # digitpad has no `resources` subpackage (that mapping exists only in an
    # install), so the top-level resources/ folder must be found instead.
    code = (
        "import digitpad.storage.paths as p\n"
        "print(p.__file__)\n"
        "print(p.resource_path('pendigits-train.gz').is_file())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    assert Path(out[0]).resolve().parent == REPO / "digitpad" / "storage"
    assert out[1] == "True"

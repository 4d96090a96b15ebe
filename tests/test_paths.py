import importlib.resources

from digitpad import paths


def test_home_overrides_every_folder(digitpad_home):
    assert paths.data_dir() == digitpad_home / "data"
    assert paths.cache_dir() == digitpad_home / "cache"
    assert paths.models_dir() == digitpad_home / "data" / "models"


def test_resources_are_found_installed_or_from_the_source_tree(monkeypatch):
    installed = paths.resource_path("digitpad.svg")
    assert installed.is_file()

    def not_installed(package):
        raise ModuleNotFoundError(f"No module named {package!r}")

    # Run from a checkout without an install: the top-level resources/ folder.
    monkeypatch.setattr(importlib.resources, "files", not_installed)
    from_source = paths.resource_path("pendigits-train.gz")
    assert from_source.is_file()
    assert from_source.parent.name == "resources"

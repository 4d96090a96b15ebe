"""``digitpad info``: where digitpad keeps its files, and the cached networks."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from digitpad import __version__
from digitpad.cli.common import (
    EXIT_OK,
    percent,
)
from digitpad.storage import paths


def info(args: argparse.Namespace) -> int:
    """``digitpad info``."""
    from digitpad.storage.mnist import describe_source
    from digitpad.storage.model_store import ModelStore, NoModelError, StoreError

    store = ModelStore()
    print(f"digitpad {__version__}")
    print(f"data folder:  {paths.data_dir()}")
    print(f"model cache:  {store.root}")
    print(f"cache folder: {paths.cache_dir()}")
    print(f"MNIST:        {describe_source()}")
    if os.environ.get(paths.HOME_ENV):
        print(f"(DIGITPAD_HOME={os.environ[paths.HOME_ENV]} overrides the default folders)")
    reason = paths.unusable_reason(store.root)
    if reason is not None:
        print(f"warning:      models cannot be saved: {reason}")
    name = store.active_name()
    manifests: dict[str, dict[str, Any]] = {}
    for entry in ("base", "personal", "candidate"):
        try:
            manifests[entry] = store.read_manifest(entry)
        except NoModelError:
            if entry == "base":
                print(f"base:         No trained model is cached yet ({store.manifest_path()})")
        except StoreError as exc:
            print(f"{entry + ':':<13} {exc}")
    for entry, manifest in manifests.items():
        recipe = manifest.get("recipe") or {}
        kind = "your personal LeNet, adapted" if entry == "personal" else "LeNet, trained"
        print(
            f"{entry + ':':<13} {kind} {manifest['created']}, recipe {recipe.get('name', '?')}, "
            f"test accuracy {percent(manifest.get('test_accuracy'))}"
        )
    if name in manifests:
        print(f"in use:       {name} network (not verified; 'digitpad evaluate' loads it)")
    elif name != "base" and "base" in manifests:
        print(f"in use:       base network ({name} is chosen but not in the cache)")
    else:
        print("in use:       none (train one: digitpad train)")
    if "candidate" in manifests:
        print("              (the candidate is not in use: digitpad use candidate)")
    shown = name if name in manifests else "base"
    if shown in manifests:
        print(json.dumps(manifests[shown], indent=2))
    return EXIT_OK

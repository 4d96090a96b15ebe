"""Load the cached network, or train one and cache it: the app's model life cycle.

Used by the CLI and by the GUI's workers (always off the GUI thread).
"""

from __future__ import annotations

import contextlib
import platform
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import keras
import numpy as np
import tensorflow as tf

from digitpad import __version__
from digitpad.net.lenet import ARCHITECTURE_ID, lenet_from_weights, weight_shapes
from digitpad.storage.mnist import Mnist
from digitpad.storage.model_store import (
    ModelStore,
    NoModelError,
    StaleEntryError,
    StoreError,
    write_failure_message,
)

if TYPE_CHECKING:  # the training code is imported only where a network is trained
    from digitpad.net.training import Recipe, TrainingResult


@dataclass
class LoadedModel:
    """A verified network and its manifest.

    Attributes:
        model: the network, built in code with the cached weights.
        manifest: the cache entry's manifest (recipe, accuracy, date...).
        load_seconds: time taken to verify, build and load.
    """

    model: keras.Model
    manifest: dict[str, Any]
    load_seconds: float = 0.0
    name: str = "base"
    note: str = ""


def load(store: ModelStore | None = None, name: str = "base") -> LoadedModel:
    """Verify and load the cached network ``name``; sweep stray files.

    Raises:
        digitpad.storage.model_store.NoModelError: nothing cached yet.
        digitpad.storage.model_store.CorruptModelError: the cache failed verification; its
            files were quarantined.
    """
    store = store or ModelStore()
    started = time.perf_counter()
    try:
        weights, manifest = store.load(name, architecture=ARCHITECTURE_ID, shapes=weight_shapes())
    finally:
        # Every start sweeps what a killed save left behind (temp files,
        # orphaned weights), after verification had its say on what is there.
        store.clean()
    model = lenet_from_weights(weights)
    return LoadedModel(model, manifest, time.perf_counter() - started, name=name)


def load_active(store: ModelStore | None = None) -> LoadedModel:
    """Load the entry in use (:meth:`ModelStore.active_name`), falling back to base.

    When the entry in use is missing, fails verification, or was adapted
    from another base network than the one cached now, the base network is
    loaded instead, ``base`` becomes the entry in use, and
    :attr:`LoadedModel.note` says why.

    Raises:
        digitpad.storage.model_store.NoModelError: no base network is cached.
        digitpad.storage.model_store.CorruptModelError: the base network failed verification.
    """
    store = store or ModelStore()
    name = store.active_name()
    if name != "base":
        try:
            reason = store.stale_reason(name)
            if reason is None:
                return load(store, name)
        except NoModelError:
            reason = f"active.json names the {name} network, which is not in the cache"
        except StoreError as exc:
            reason = str(exc)
        note = f"Your {name} network could not be used ({reason}); using the base network."
        loaded = load(store, "base")
        with contextlib.suppress(StoreError):
            store.set_active("base")
        loaded.note = note
        return loaded
    return load(store, "base")


def manifest_info(result: TrainingResult, mnist: Mnist) -> dict[str, Any]:
    """Manifest fields describing a finished training run."""
    calibration = result.calibration
    return {
        "architecture": ARCHITECTURE_ID,
        "recipe": result.recipe.as_dict(),
        "test_loss": round(result.test_loss, 6),
        "test_accuracy": round(result.test_accuracy, 6),
        "fit_seconds": round(result.fit_seconds, 2),
        "epochs_completed": len(result.history),
        "mnist_source": mnist.source,
        **_versions(),
        **({"calibration": calibration.as_dict()} if calibration is not None else {}),
    }


def _versions() -> dict[str, str]:
    """The software versions a manifest records."""
    return {
        "digitpad_version": __version__,
        "keras_version": keras.__version__,
        "tensorflow_version": tf.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
    }


def train_and_save(
    recipe: Recipe,
    mnist: Mnist,
    *,
    store: ModelStore | None = None,
    name: str = "base",
    listener: Any = None,
    cancel: threading.Event | None = None,
    snapshot_every: int = 0,
) -> tuple[TrainingResult, dict[str, Any]]:
    """Train a new network, then cache it atomically and verify what was written.

    Returns:
        The training result and the manifest written.

    Raises:
        digitpad.net.training.TrainingCancelled: cancelled; the cache is untouched.
        digitpad.storage.model_store.StoreError: the model could not be saved (the trained
            model is lost unless the caller keeps ``exc.__context__``...); use
            :func:`save` separately to keep it in memory on failure.
    """
    from digitpad.net.training import train

    result = train(recipe, mnist, listener=listener, cancel=cancel, snapshot_every=snapshot_every)
    return result, save(result, mnist, store=store, name=name)


def save(
    result: TrainingResult, mnist: Mnist, *, store: ModelStore | None = None, name: str = "base"
) -> dict[str, Any]:
    """Cache a trained network, read it back to prove it verifies, and use it.

    It becomes the entry in use whatever it scores (the window's Retrain,
    which the user confirmed): after a new base network, a personal one
    (adapted from the old base) stays cached but is no longer used. Use
    :func:`save_new_base` to keep a worse network aside instead.

    Raises:
        digitpad.storage.model_store.StoreError: it could not be written or did not verify.
    """
    store = store or ModelStore()
    if name == "base":
        return save_new_base(result, mnist, store=store, replace=True).manifest
    return _save_verified(store, result.model.get_weights(), manifest_info(result, mnist), name)


@dataclass(frozen=True)
class SavedBase:
    """What :func:`save_new_base` did.

    Attributes:
        manifest: the manifest written.
        in_use: whether the new network is now the base and the entry in use.
        entry: the entry it was kept as: ``"base"`` or ``"candidate"``.
        replaced_accuracy: MNIST test accuracy of the base network it
            replaced (or would have replaced); ``None`` when there was none
            (or it was unreadable, or recorded no accuracy).
    """

    manifest: dict[str, Any]
    in_use: bool
    entry: str
    replaced_accuracy: float | None


def save_new_base(
    result: TrainingResult,
    mnist: Mnist,
    *,
    store: ModelStore | None = None,
    replace: bool = False,
) -> SavedBase:
    """Cache a newly trained network; make it the base only if it is no worse.

    It becomes the base network and the one in use when there is no usable
    base, when its MNIST test accuracy is at least the base's, or when
    ``replace`` is true (the user said so). Otherwise it is kept as the
    entry ``candidate``, and nothing in use changes; :meth:`ModelStore.promote`
    makes it the base later. Decided and written under the store's lock, so
    two processes cannot both think they replaced the same base.

    Raises:
        digitpad.storage.model_store.StoreError: it could not be written or did not verify.
    """
    store = store or ModelStore()
    info = manifest_info(result, mnist)
    try:
        store.root.mkdir(parents=True, exist_ok=True)
        with store.lock():
            try:
                current = store.entry("base").test_accuracy
                has_base = True
            except StoreError:
                # None, or damaged (then quarantined): nothing good to protect.
                current, has_base = None, False
            better = current is None or result.test_accuracy >= current
            entry = "base" if (replace or not has_base or better) else "candidate"
            manifest = store.save(result.model.get_weights(), info, name=entry)
            store.load(entry, architecture=ARCHITECTURE_ID, shapes=weight_shapes())
            if entry == "base":
                store.set_active("base")
    except OSError as exc:
        raise StoreError(write_failure_message(store.root, exc, "save the model")) from exc
    return SavedBase(manifest, entry == "base", entry, current)


def adapt_base(
    x_user: np.ndarray,
    y_user: np.ndarray,
    mnist: Mnist,
    *,
    recipe: Recipe,
    steps: int | None = None,
    listener: Any = None,
    cancel: threading.Event | None = None,
    store: ModelStore | None = None,
) -> tuple[Any, LoadedModel]:
    """Adapt the verified cached base network to the user's drawings.

    Replays what ``recipe`` trains on; see :func:`digitpad.net.adaptation.adapt`.

    Returns:
        The :class:`digitpad.net.adaptation.AdaptResult` and the base network it started from.

    Raises:
        digitpad.storage.model_store.StoreError: no base network, or it failed verification.
        digitpad.net.adoption.NotEnoughSamplesError: too few drawings.
        TrainingCancelled: cancelled; nothing changed.
    """
    from digitpad.net.adaptation import AdaptSettings, ReplaySet, adapt

    base = load(store, "base")
    replay = ReplaySet.from_recipe(mnist, recipe)
    settings = AdaptSettings() if steps is None else AdaptSettings(steps=steps)
    result = adapt(
        base.model.get_weights(),
        x_user,
        y_user,
        mnist,
        replay=replay,
        base_mnist_accuracy=base.manifest.get("test_accuracy"),
        settings=settings,
        listener=listener,
        cancel=cancel,
    )
    return result, base


def save_personal(
    result: Any, base_manifest: dict[str, Any], *, store: ModelStore | None = None
) -> dict[str, Any]:
    """Cache an adopted personal network as entry ``personal`` and make it the one in use.

    Refused when the base network it was adapted from is no longer the base
    (a training finished meanwhile): a personal network on an old base is
    never put in use silently.

    Args:
        result: a :class:`digitpad.net.adaptation.AdaptResult` whose decision was to adopt.
        base_manifest: the manifest of the base network it was adapted from.
        store: the model cache.

    Returns:
        The manifest written.

    Raises:
        digitpad.storage.model_store.StaleEntryError: the base changed; nothing was saved.
        digitpad.storage.model_store.StoreError: it could not be written or did not verify.
    """
    store = store or ModelStore()
    info = {
        "architecture": ARCHITECTURE_ID,
        "recipe": base_manifest.get("recipe"),
        "base_sha256": base_manifest.get("sha256"),
        "base_created": base_manifest.get("created"),
        "mnist_source": base_manifest.get("mnist_source"),
        **result.manifest_info(),
        **_versions(),
    }
    try:
        store.root.mkdir(parents=True, exist_ok=True)
        with store.lock():
            try:
                current = store.entry("base").sha256
            except StoreError:
                current = None
            if current != base_manifest.get("sha256"):
                raise StaleEntryError(
                    "The base network changed while adapting (a training finished meanwhile); "
                    "the adapted network was built on the old one and was not kept. "
                    "Adapt again (digitpad adapt)."
                )
            return _save_verified(store, result.weights, info, "personal")
    except OSError as exc:
        raise StoreError(
            write_failure_message(store.root, exc, "save the personal network")
        ) from exc


def _save_verified(
    store: ModelStore, weights: list[np.ndarray], info: dict[str, Any], name: str
) -> dict[str, Any]:
    """Save entry ``name``, read it back to prove it verifies, make it the one in use."""
    manifest = store.save(weights, info, name=name)
    store.load(name, architecture=ARCHITECTURE_ID, shapes=weight_shapes())
    store.set_active(name)
    return manifest

"""Training settings: presets, the article's knobs, and clear refusals."""

from __future__ import annotations

import pytest

from digitpad.net.recipes import RECIPES
from digitpad.net.training_settings import MAX_BATCH_SIZE, PRESETS, TrainingSettings


def test_presets_give_back_their_recipes():
    assert set(PRESETS) == {"seed", "default"}
    for name in PRESETS:
        assert TrainingSettings.from_preset(name).to_recipe() == RECIPES[name]


def test_knobs_change_the_recipe():
    settings = TrainingSettings.from_preset("seed").replaced(
        optimizer="adam",
        learning_rate=0.003,
        batch_size=64,
        epochs=3,
        augment=True,
        schedule="onecycle",
        train_samples=2000,
    )
    recipe = settings.to_recipe()
    assert (recipe.optimizer, recipe.learning_rate, recipe.batch_size, recipe.epochs) == (
        "adam",
        0.003,
        64,
        3,
    )
    assert recipe.augmentation == RECIPES["default"].augmentation
    assert recipe.schedule == "onecycle"
    assert recipe.train_samples == 2000
    plain = TrainingSettings.from_preset("default").replaced(augment=False, pen_digits=False)
    assert plain.to_recipe().augmentation is None
    assert plain.to_recipe().pen_digits is False
    assert TrainingSettings.from_recipe(recipe) == settings


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"learning_rate": 0.0}, "learning rate must be a number above 0"),
        ({"learning_rate": float("nan")}, "learning rate"),
        ({"learning_rate": 3.0}, "at most 1"),
        ({"batch_size": 0}, "batch size must be a whole number from 1"),
        ({"epochs": 0}, "epochs must be a whole number from 1 to 100"),
        ({"epochs": 2.5}, "epochs"),
        ({"optimizer": "adagrad"}, "Unknown optimizer 'adagrad'"),
        ({"schedule": "cosine"}, "Unknown schedule 'cosine'"),
        ({"train_samples": 0}, "number of training images must be a whole number from 1"),
    ],
)
def test_invalid_values_are_refused_with_a_clear_message(change, words):
    settings = TrainingSettings.from_preset("default").replaced(**change)
    assert any(words in problem for problem in settings.problems())
    with pytest.raises(ValueError, match=words.split("(")[0][:20]):
        settings.to_recipe()


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="unknown preset"):
        TrainingSettings.from_preset("fast")


def test_sgd_with_momentum_is_one_of_the_optimizers():
    recipe = TrainingSettings.from_preset("seed").replaced(optimizer="sgd", learning_rate=0.01)
    assert recipe.to_recipe().optimizer == "sgd"


@pytest.mark.mnist
def test_sgd_trains_with_momentum(mnist, monkeypatch):
    import keras

    from digitpad.net.training import train

    made = []
    real = keras.optimizers.SGD

    def recording(*args, **kwargs):
        made.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(keras.optimizers, "SGD", recording)
    recipe = (
        TrainingSettings.from_preset("seed")
        .replaced(optimizer="sgd", learning_rate=0.01, epochs=1, train_samples=320)
        .to_recipe()
    )
    result = train(recipe, mnist)
    assert made == [{"learning_rate": 0.01, "momentum": 0.9}]
    assert 0.0 <= result.test_accuracy <= 1.0


def test_a_batch_larger_than_the_images_is_not_refused():
    # Training makes one batch of all of them (tests/test_training.py): nothing to refuse.
    settings = TrainingSettings.from_preset("default").replaced(
        train_samples=100, batch_size=MAX_BATCH_SIZE
    )
    assert settings.problems() == []
    assert settings.to_recipe().batch_size == MAX_BATCH_SIZE

"""Temperature scaling and the "not sure" rule (pure numpy, no model)."""

import math

import numpy as np
import pytest

from digitpad.net.calibration import (
    THRESHOLD,
    Calibration,
    calibrate,
    fit_temperature,
    negative_log_likelihood,
    scale,
)


def _overconfident(n: int = 4000, true_t: float = 2.0, seed: int = 0):
    """Probabilities softmax(z) whose labels were drawn from softmax(z / true_t)."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 4.0, size=(n, 10))
    honest = np.exp(logits / true_t)
    honest /= honest.sum(axis=1, keepdims=True)
    labels = np.array([rng.choice(10, p=row) for row in honest])
    shown = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shown / shown.sum(axis=1, keepdims=True), labels


def test_fit_temperature_recovers_the_overconfidence():
    probabilities, labels = _overconfident(true_t=2.0)
    temperature = fit_temperature(probabilities, labels)
    assert temperature == pytest.approx(2.0, rel=0.1)
    nll_raw = negative_log_likelihood(probabilities, labels)
    assert negative_log_likelihood(scale(probabilities, temperature), labels) < nll_raw


def test_fit_temperature_of_honest_probabilities_is_one():
    probabilities, labels = _overconfident(true_t=1.0, seed=3)
    assert fit_temperature(probabilities, labels) == pytest.approx(1.0, rel=0.1)


def test_scale_keeps_the_ranking_and_sums_to_one():
    probabilities, _ = _overconfident(n=200)
    for temperature in (0.5, 1.0, 3.0):
        scaled = scale(probabilities, temperature)
        np.testing.assert_allclose(scaled.sum(axis=1), 1.0, atol=1e-9)
        np.testing.assert_array_equal(scaled.argmax(axis=1), probabilities.argmax(axis=1))
    # A higher temperature makes the top probability less sure.
    assert (scale(probabilities, 3.0).max(1) <= probabilities.max(1) + 1e-12).all()


def test_scale_survives_zeros_and_one_hot():
    one_hot = np.eye(10)[[3]]
    scaled = scale(one_hot, 2.0)
    assert np.isfinite(scaled).all()
    assert scaled.argmax() == 3


def test_calibrate_reports_figures_for_the_pen_rows():
    probabilities, labels = _overconfident(true_t=2.0)
    pen = np.zeros(len(labels), bool)
    pen[:1000] = True
    result = calibrate(probabilities, labels, pen)
    assert result.threshold == THRESHOLD
    assert result.images == len(labels)
    assert result.nll_after < result.nll_before
    calibrated = scale(probabilities[:1000], result.temperature)
    sure = calibrated.max(1) >= THRESHOLD
    assert result.not_sure_rate == pytest.approx(1 - sure.mean(), abs=1e-4)
    right = calibrated.argmax(1)[sure] == labels[:1000][sure]
    assert result.confident_accuracy == pytest.approx(right.mean(), abs=1e-4)


def test_is_sure_uses_the_calibrated_probability():
    calibration = Calibration(temperature=3.0, threshold=0.9)
    confident = np.array([0.0001] * 9 + [0.9991])
    confident /= confident.sum()
    assert Calibration(temperature=1.0).is_sure(confident) is True
    # Softened by the temperature, the same output is no longer sure enough.
    assert calibration.is_sure(confident) is False
    both = calibration.is_sure(np.stack([confident, np.eye(10)[2]]))
    assert both.tolist() == [False, True]


def test_manifest_round_trip_and_bad_values():
    calibration = calibrate(*_overconfident(n=500))
    again = Calibration.from_manifest({"calibration": calibration.as_dict()})
    assert again == calibration
    assert Calibration.from_manifest(None) == Calibration()
    assert Calibration.from_manifest({"calibration": "hot"}) == Calibration()
    for bad in ({"temperature": -1, "threshold": 0.9}, {"temperature": 1, "threshold": 1.5}):
        assert Calibration.from_manifest({"calibration": bad}) == Calibration()
    assert Calibration.from_manifest({"calibration": {"temperature": "x"}}) == Calibration()


def test_as_dict_has_no_nan():
    data = Calibration().as_dict()
    assert data["nll_before"] is None
    assert not any(isinstance(v, float) and math.isnan(v) for v in data.values())


def test_reading_always_shows_the_best_digit_and_marks_the_unsure():
    from digitpad.net.calibration import reading

    calibration = Calibration()
    sure = reading(np.array([0.0, 0.95] + [0.05 / 8] * 8), calibration)
    assert (sure.text, sure.reason, sure.sure) == ("1", "", True)
    unsure = np.zeros(10)
    unsure[4], unsure[9] = 0.55, 0.45
    shown = reading(unsure, calibration)
    assert (shown.text, shown.reason, shown.sure) == ("4", "not sure: 4 or 9?", False)
    # "?" only where the shape check finds no digit at all.
    blob = reading(unsure, calibration, "looks like a filled blob, not a digit")
    assert (blob.text, blob.sure) == ("?", False)
    assert "blob" in blob.reason

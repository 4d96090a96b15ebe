"""Keras pieces of the default recipe: random distortions of each batch, the one-cycle schedule.

Training-time only (never at test time): :class:`RandomDistortion` applies
small affine distortions, stroke-thickness changes and, if asked, elastic
distortions to each image; :class:`OneCycle` warms the learning rate up,
then decays it along a cosine.
"""

from __future__ import annotations

import math
from typing import Any

import keras
import numpy as np
from keras import layers, ops

from digitpad.net.recipes import Augmentation


class RandomDistortion(layers.Layer):
    """Random affine distortion and stroke-thickness change, training only.

    One combined affine transform per image (rotation, zoom, shear, shift)
    costs a single resampling pass, cheaper than chaining Keras's separate
    random layers; thickness changes use a 3x3 max filter (thicker) or min
    filter (thinner), blended in with a random weight.
    """

    def __init__(self, augmentation: Augmentation, seed: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.augmentation = augmentation
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images: Any, training: bool | None = None) -> Any:
        """Distort ``images`` when training; pass them through otherwise."""
        if not training:
            return images
        aug = self.augmentation
        batch = ops.shape(images)[0]

        def uniform(limit: float) -> Any:
            return keras.random.uniform(
                (batch,), -limit, limit, seed=self.seed_generator, dtype="float32"
            )

        angle = uniform(math.radians(aug.rotation_deg))
        zoom = 1.0 + uniform(aug.scale)
        shear = uniform(aug.shear)
        tx, ty = uniform(aug.shift_px), uniform(aug.shift_px)
        cos, sin = ops.cos(angle), ops.sin(angle)
        # Inverse map output->input: A = R(angle) @ Shear / zoom, about the centre.
        a0 = cos / zoom
        a1 = (cos * shear - sin) / zoom
        b0 = sin / zoom
        b1 = (sin * shear + cos) / zoom
        centre = 13.5
        a2 = centre - a0 * centre - a1 * centre + tx
        b2 = centre - b0 * centre - b1 * centre + ty
        zeros = ops.zeros_like(a0)
        transform = ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
        images = ops.image.affine_transform(
            images, transform, interpolation="bilinear", fill_mode="constant"
        )
        if aug.elastic_alpha > 0:
            images = self._elastic(images, batch)
        if aug.thickness > 0:
            thicker = ops.max_pool(images, 3, strides=1, padding="same")
            thinner = -ops.max_pool(-images, 3, strides=1, padding="same")
            pick = keras.random.uniform((batch, 1, 1, 1), seed=self.seed_generator)
            weight = keras.random.uniform((batch, 1, 1, 1), 0.3, 0.8, seed=self.seed_generator)
            half = aug.thickness / 2
            target = ops.where(
                pick < half, thicker, ops.where(pick < aug.thickness, thinner, images)
            )
            images = images + weight * (target - images)
        return images

    def _elastic(self, images: Any, batch: Any) -> Any:
        """Simard et al.'s elastic distortion: a smoothed random displacement field.

        Uniform noise in [-1, 1] per pixel and axis, blurred by a normalised
        Gaussian (separably) and scaled by ``elastic_alpha``, moves each pixel
        by a smooth, different amount: the wobble of a real hand.
        """
        aug = self.augmentation
        radius = max(1, math.ceil(2 * aug.elastic_sigma))
        taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / aug.elastic_sigma) ** 2)
        taps = (taps / taps.sum()).astype("float32")
        size = len(taps)
        along_x = ops.convert_to_tensor(np.tile(taps.reshape(1, size, 1, 1), (1, 1, 2, 1)))
        along_y = ops.convert_to_tensor(np.tile(taps.reshape(size, 1, 1, 1), (1, 1, 2, 1)))
        noise = keras.random.uniform(
            (batch, 28, 28, 2), -1.0, 1.0, seed=self.seed_generator, dtype="float32"
        )
        field = ops.depthwise_conv(noise, along_x, padding="same")
        field = ops.depthwise_conv(field, along_y, padding="same") * aug.elastic_alpha
        grid = np.stack(np.meshgrid(np.arange(28), np.arange(28), indexing="ij")).astype("float32")
        rows = grid[0][None] + field[..., 0]
        cols = grid[1][None] + field[..., 1]
        return _bilinear(images, rows, cols)[..., None]


def _bilinear(images: Any, rows: Any, cols: Any) -> Any:
    """Sample ``images`` (B x 28 x 28 x 1) at fractional ``rows``, ``cols`` (B x 28 x 28).

    Four flat gathers; outside the field is 0.
    """
    flat = ops.reshape(images, (-1,))
    base = ops.reshape(ops.arange(ops.shape(rows)[0]) * 784, (-1, 1, 1))
    top, left = ops.floor(rows), ops.floor(cols)
    fr, fc = rows - top, cols - left
    top, left = ops.cast(top, "int32"), ops.cast(left, "int32")
    total = 0.0
    for dr, dc in ((0, 0), (0, 1), (1, 0), (1, 1)):
        r, c = top + dr, left + dc
        inside = ops.cast((r >= 0) & (r < 28) & (c >= 0) & (c < 28), "float32")
        index = base + ops.clip(r, 0, 27) * 28 + ops.clip(c, 0, 27)
        weight = (fr if dr else 1.0 - fr) * (fc if dc else 1.0 - fc)
        total = total + ops.take(flat, index) * inside * weight
    return total


class OneCycle(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warm-up to ``peak`` then cosine decay to ~0 (one cycle)."""

    def __init__(self, peak: float, total_steps: int, warmup_fraction: float) -> None:
        self.peak = peak
        self.total_steps = max(1, total_steps)
        self.warmup_steps = max(1, int(total_steps * warmup_fraction))

    def __call__(self, step: Any) -> Any:
        """The learning rate at optimizer step ``step``."""
        step = ops.cast(step, "float32")
        warm = self.peak * (0.1 + 0.9 * step / self.warmup_steps)
        progress = (step - self.warmup_steps) / max(1, self.total_steps - self.warmup_steps)
        progress = ops.clip(progress, 0.0, 1.0)
        decay = self.peak * (0.01 + 0.99 * 0.5 * (1.0 + ops.cos(math.pi * progress)))
        return ops.where(step < self.warmup_steps, warm, decay)

    def get_config(self) -> dict[str, Any]:
        """Keras serialization config."""
        return {
            "peak": self.peak,
            "total_steps": self.total_steps,
            "warmup_fraction": self.warmup_steps / self.total_steps,
        }


# -- training ---------------------------------------------------------------------

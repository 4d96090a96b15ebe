"""The network view: what every layer of the LeNet computes for the drawing.

Left to right: the 28 x 28 input, the 20 feature maps of the first
convolution, the 50 maps after the second convolution and pooling, the 500
dense activations, and the ten output probabilities. The arrays come from
the inference worker (``digitpad.net.activations``, the same compiled call as
the prediction); here they only become images: one colour-mapped atlas
``QImage`` per layer, built with numpy, each map drawn from its part of the
atlas without smoothing. Hovering a map names it.

Hover names ("conv1 map 7", "output 3") identify what is under the mouse
(the ``hovered`` signal, :meth:`NetworkView.map_at`); what people read is
:meth:`NetworkView.describe`, in the window's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from digitpad.gui import i18n
from digitpad.gui.i18n import translate

_BACKGROUND = QColor(24, 26, 32)
_PANEL = QColor(34, 37, 45)
_TEXT = QColor(205, 210, 220)
_MUTED = QColor(120, 128, 142)
_ACCENT = QColor(252, 170, 50)
_PROVISIONAL = QColor(230, 145, 30)
_TITLE_H = 18.0
_MARGIN = 8.0
_SPACING = 22.0
_GAP = 2.0
#: The title of the output section (translated where it is painted).
_OUTPUT_TITLE = QT_TRANSLATE_NOOP("NetworkView", "output")
#: Colour scale exponent: activations are sparse, a root shows the weak ones.
GAMMA = 0.6

# "inferno"-like anchors: black -> purple -> red -> orange -> pale yellow.
_ANCHORS = np.array(
    [
        [0.00, 0, 0, 4],
        [0.20, 40, 11, 84],
        [0.40, 101, 21, 110],
        [0.60, 188, 55, 84],
        [0.80, 249, 142, 9],
        [1.00, 252, 255, 164],
    ]
)


def _lut() -> list[int]:
    """256 ARGB colours of the colour map (index 0 = no activation)."""
    t = np.linspace(0.0, 1.0, 256)
    channels = [np.interp(t, _ANCHORS[:, 0], _ANCHORS[:, k]) for k in (1, 2, 3)]
    r, g, b = (np.rint(c).astype(np.uint32) for c in channels)
    return [int(v) for v in (0xFF000000 | (r << 16) | (g << 8) | b)]


_COLORS = _lut()
_GRAYS = [0xFF000000 | (v << 16) | (v << 8) | v for v in range(256)]


@dataclass(frozen=True)
class _Layer:
    """How one layer is laid out: ``count`` maps of ``side`` pixels in a grid.

    ``title`` is the English source; it is translated where it is painted.
    """

    key: str
    title: str
    count: int
    side: int
    rows: int
    cols: int
    gap: float
    noun: str


_LAYERS = (
    _Layer("input", QT_TRANSLATE_NOOP("NetworkView", "input 28×28"), 1, 28, 1, 1, 0.0, "input"),
    _Layer("conv1", QT_TRANSLATE_NOOP("NetworkView", "conv1 · 20 maps 24×24"),
           20, 24, 4, 5, _GAP, "map"),
    _Layer("pool2", QT_TRANSLATE_NOOP("NetworkView", "conv2 + pool · 50 maps 6×6"),
           50, 6, 5, 10, _GAP, "map"),
    _Layer("fc1", QT_TRANSLATE_NOOP("NetworkView", "fc1 · 500"), 500, 1, 20, 25, 0.0, "unit"),
)  # fmt: skip


def atlas(
    maps: np.ndarray, rows: int, cols: int, scale: float | None = None, gamma: float = 1.0
) -> np.ndarray:
    """Tile ``count`` maps (H x W x count) into one uint8 image of rows x cols tiles.

    Values are scaled by ``scale`` (default: the largest value, so the layer's
    strongest activation is the brightest colour), then raised to ``gamma``
    (below 1 lifts weak activations into sight); negatives show as 0.

    Returns:
        uint8 array (rows * H) x (cols * W).
    """
    height, width, count = maps.shape
    if scale is None:
        scale = float(maps.max()) if maps.size else 0.0
    levels = np.zeros((rows * cols, height, width), np.uint8)
    if scale > 0:
        scaled = np.clip(np.moveaxis(maps, -1, 0) * (1.0 / scale), 0.0, 1.0)
        if gamma != 1.0:
            scaled = scaled**gamma
        levels[:count] = np.rint(scaled * 255.0).astype(np.uint8)
    return (
        levels.reshape(rows, cols, height, width)
        .transpose(0, 2, 1, 3)
        .reshape(rows * height, cols * width)
    )


def indexed_image(levels: np.ndarray, colors: list[int]) -> QImage:
    """A ``QImage`` (8-bit indexed, ``colors`` as its table) holding ``levels``."""
    height, width = levels.shape
    image = QImage(width, height, QImage.Format.Format_Indexed8)
    image.setColorTable(colors)
    stride = image.bytesPerLine()
    view = np.frombuffer(image.bits(), dtype=np.uint8, count=height * stride)
    view.reshape(height, stride)[:, :width] = levels
    return image


class NetworkView(QWidget):
    """Shows every layer's activations for the current drawing.

    Signals:
        hovered(name): the mouse moved onto a map ("conv1 map 7"), or off
            every map ("").
    """

    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.setAccessibleName(translate("NetworkView", "Network view"))
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layers: dict[str, np.ndarray] = {}
        self._images: dict[str, QImage] = {}
        self._peaks: dict[str, float] = {}
        self._probabilities: np.ndarray | None = None
        self._provisional = False
        self._cells: list[tuple[QRectF, str, int, QRectF]] = []
        self._titles: list[tuple[QRectF, str]] = []  # English titles
        self._output = QRectF()
        self._hover = ""
        self._layout()
        self._describe()

    # -- data -------------------------------------------------------------------

    def set_layers(self, layers: Mapping[str, np.ndarray], *, provisional: bool = False) -> None:
        """Show one drawing's activations.

        Args:
            layers: ``input`` (28 x 28) and the outputs of
                ``digitpad.net.activations.ActivationPredictor.predict_all``.
            provisional: the network is still learning (outputs drawn orange).

        Raises:
            ValueError: an array is missing or has the wrong shape.
        """
        expected = {
            "input": (28, 28),
            "conv1": (24, 24, 20),
            "pool2": (6, 6, 50),
            "fc1": (500,),
            "probabilities": (10,),
        }
        arrays = {}
        for key, shape in expected.items():
            if key not in layers:
                raise ValueError(f"the network view needs the {key!r} layer")
            array = np.asarray(layers[key], dtype=np.float32)
            if array.size != int(np.prod(shape)):
                raise ValueError(f"layer {key!r} has shape {array.shape}, expected {shape}")
            arrays[key] = array.reshape(shape)
        self._layers = arrays
        self._probabilities = arrays["probabilities"]
        self._provisional = provisional
        self._peaks = {key: float(arrays[key].max()) for key in ("input", "conv1", "pool2", "fc1")}
        self._images = {
            "input": indexed_image(atlas(arrays["input"][..., None], 1, 1, 1.0), _GRAYS),
            "conv1": indexed_image(atlas(arrays["conv1"], 4, 5, gamma=GAMMA), _COLORS),
            "pool2": indexed_image(atlas(arrays["pool2"], 5, 10, gamma=GAMMA), _COLORS),
            "fc1": indexed_image(
                atlas(arrays["fc1"].reshape(20, 25, 1), 1, 1, gamma=GAMMA), _COLORS
            ),
        }
        self._describe()
        self.update()

    def clear(self) -> None:
        """Show no drawing."""
        if not self._layers:
            return
        self._layers = {}
        self._images = {}
        self._probabilities = None
        self._describe()
        self.update()

    def has_layers(self) -> bool:
        """Whether a drawing's activations are shown."""
        return bool(self._layers)

    def layer(self, key: str) -> np.ndarray | None:
        """The array shown for layer ``key`` (a copy), or ``None``."""
        array = self._layers.get(key)
        return None if array is None else array.copy()

    # -- geometry and hover ------------------------------------------------------

    def map_at(self, pos: QPointF) -> str:
        """The name of what is at ``pos`` ("conv1 map 7", "output 3"), or ""."""
        for rect, key, index, _source in self._cells:
            if rect.contains(pos):
                return _name(key, index)
        if self._output.contains(pos):
            digit = int((pos.y() - self._output.top()) / (self._output.height() / 10))
            return f"output {min(max(digit, 0), 9)}"
        return ""

    def map_rect(self, key: str, index: int) -> QRectF:
        """Where map ``index`` (0-based) of layer ``key`` is drawn (empty if nowhere)."""
        for rect, cell_key, cell_index, _source in self._cells:
            if cell_key == key and cell_index == index:
                return QRectF(rect)
        return QRectF()

    def hovered_name(self) -> str:
        """What the mouse is over now ("" for nothing)."""
        return self._hover

    def describe(self, name: str) -> str:
        """``name`` for people, with its value for the drawing shown ("conv1 map 7 · peak 0.83").

        Args:
            name: a hover name (:meth:`map_at`), or "".

        Returns:
            The text in the window's language ("" for "").
        """
        if not name:
            return ""
        if name == _name("input", 0):
            return translate("NetworkView", "input 28×28")
        noun, _, number = name.rpartition(" ")
        key = noun.split(" ")[0]
        if not number.isdigit():
            return name
        index = int(number) - 1
        if key in ("conv1", "pool2"):
            if not self._layers:
                return translate("NetworkView", "{layer} map {number}").format(
                    layer=key, number=number
                )
            peak = float(self._layers[key][..., index].max())
            return translate("NetworkView", "{layer} map {number} · peak {peak}").format(
                layer=key, number=number, peak=i18n.number(peak, 2)
            )
        if key == "fc1":
            if not self._layers:
                return translate("NetworkView", "{layer} unit {number}").format(
                    layer=key, number=number
                )
            value = float(self._layers["fc1"][index])
            return translate("NetworkView", "{layer} unit {number} · {value}").format(
                layer=key, number=number, value=i18n.number(value, 2)
            )
        if key == "output":
            if self._probabilities is None:
                return translate("NetworkView", "output {digit}").format(digit=number)
            value = float(self._probabilities[int(number)])
            return translate("NetworkView", "output {digit} · {percent}").format(
                digit=number, percent=i18n.percent(value, 1)
            )
        return name

    def _describe(self) -> None:
        """The accessible description: what is hovered, else what the view shows."""
        if self._hover:
            text = self.describe(self._hover)
        else:
            text = translate(
                "NetworkView", "What each layer of the network computes for the drawing"
            )
            if self._probabilities is not None:
                top = int(np.argmax(self._probabilities))
                text = translate(
                    "NetworkView", "{description}. Output: most likely {digit}, {percent}"
                ).format(
                    description=text,
                    digit=top,
                    percent=i18n.percent(float(self._probabilities[top]), 1),
                )
        self.setAccessibleDescription(text)

    def sizeHint(self) -> QSize:  # noqa: D102
        return QSize(860, 200)

    def minimumSizeHint(self) -> QSize:  # noqa: D102
        return QSize(320, 190)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102
        self._layout()
        super().resizeEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        self._set_hover(self.map_at(event.position()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: D102
        self._set_hover("")
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:  # noqa: D102
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            name = self.map_at(QPointF(event.pos()))
            if name:
                QToolTip.showText(event.globalPos(), self.describe(name), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _set_hover(self, name: str) -> None:
        if name != self._hover:
            self._hover = name
            self._describe()
            self.update()
            self.hovered.emit(name)

    def _layout(self) -> None:
        """Place every section: as large as the height allows, shrunk to fit the width."""
        width = max(1.0, float(self.width()))
        height = max(1.0, float(self.height()))
        caption_h = 16.0
        grid_h = height - 2 * _MARGIN - _TITLE_H - caption_h
        output_w = 96.0

        def widths(h: float) -> list[float]:
            out = []
            for spec in _LAYERS:
                if spec.key == "input":
                    out.append(h * 0.8)
                    continue
                cell = (h - (spec.rows - 1) * spec.gap) / spec.rows
                out.append(spec.cols * cell + (spec.cols - 1) * spec.gap)
            return out

        room = width - 2 * _MARGIN - output_w - len(_LAYERS) * _SPACING
        total = sum(widths(grid_h))
        if total > room and total > 0:
            grid_h = max(20.0, grid_h * room / total)
        grid_h = max(20.0, grid_h)
        sections = widths(grid_h)
        used = sum(sections) + output_w + len(_LAYERS) * _SPACING
        x = max(_MARGIN, (width - used) / 2)
        top = _MARGIN + _TITLE_H
        self._cells = []
        self._titles = []
        for spec, section_w in zip(_LAYERS, sections, strict=True):
            self._titles.append((QRectF(x, _MARGIN, section_w + _SPACING, _TITLE_H), spec.title))
            if spec.key == "input":
                side = section_w
                y = top + (grid_h - side) / 2
                self._cells.append((QRectF(x, y, side, side), "input", 0, QRectF(0, 0, 28, 28)))
            elif spec.key == "fc1":
                rect = QRectF(x, top, section_w, grid_h)
                self._cells.append((rect, "fc1", -1, QRectF(0, 0, 25, 20)))
            else:
                cell = (grid_h - (spec.rows - 1) * spec.gap) / spec.rows
                for index in range(spec.count):
                    row, col = divmod(index, spec.cols)
                    rect = QRectF(
                        x + col * (cell + spec.gap), top + row * (cell + spec.gap), cell, cell
                    )
                    source = QRectF(col * spec.side, row * spec.side, spec.side, spec.side)
                    self._cells.append((rect, spec.key, index, source))
            x += section_w + _SPACING
        title_w = max(output_w, width - _MARGIN - x)  # room for "output (still learning)"
        self._titles.append((QRectF(x, _MARGIN, title_w, _TITLE_H), _OUTPUT_TITLE))
        self._output = QRectF(x, top, output_w, grid_h)
        self._caption = QRectF(_MARGIN, height - _MARGIN - caption_h, width - 2 * _MARGIN, 16.0)
        self._expand_fc1()

    def _expand_fc1(self) -> None:
        """Hit-testing for fc1 works per unit: replace its block by 500 small cells."""
        block = [c for c in self._cells if c[1] == "fc1"]
        if not block:
            return
        rect = block[0][0]
        self._fc1_rect = QRectF(rect)
        self._cells = [c for c in self._cells if c[1] != "fc1"]
        unit_w, unit_h = rect.width() / 25, rect.height() / 20
        for index in range(500):
            row, col = divmod(index, 25)
            cell = QRectF(rect.x() + col * unit_w, rect.y() + row * unit_h, unit_w, unit_h)
            self._cells.append((cell, "fc1", index, QRectF(col, row, 1, 1)))

    # -- painting -------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), _BACKGROUND)
            small = QFont(self.font())
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
            painter.setFont(small)
            painter.setPen(_MUTED)
            for rect, title in self._titles:
                painter.drawText(
                    rect,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                    self._title_text(title),
                )
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            for rect, key, _index, source in self._cells:
                if key == "fc1":
                    continue
                image = self._images.get(key)
                if image is None:
                    painter.fillRect(rect, _PANEL)
                else:
                    painter.drawImage(rect, image, source)
            fc1 = getattr(self, "_fc1_rect", None)
            if fc1 is not None:
                image = self._images.get("fc1")
                if image is None:
                    painter.fillRect(fc1, _PANEL)
                else:
                    painter.drawImage(fc1, image)
            self._paint_arrows(painter)
            self._paint_output(painter, small)
            self._paint_hover(painter)
            painter.setPen(_TEXT if self._hover else _MUTED)
            if self._hover:
                caption = self.describe(self._hover)
            elif self._layers:
                caption = translate(
                    "NetworkView",
                    "Hover over a map to name it. Black = no activation; brighter "
                    "(purple, orange, pale yellow) = stronger.",
                )
            else:
                caption = translate("NetworkView", "Draw a digit to see what each layer computes.")
            painter.drawText(
                self._caption, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, caption
            )
        finally:
            painter.end()

    def _title_text(self, title: str) -> str:
        """A section title in the window's language; the output says when it is provisional."""
        if title == _OUTPUT_TITLE:
            if self._provisional and self._probabilities is not None:
                # The orange of the output bars says it to the eye.
                return translate("NetworkView", "output (still learning)")
            return translate("NetworkView", _OUTPUT_TITLE)
        return translate("NetworkView", title)

    def _paint_arrows(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(_MUTED, 1.5))
        centre_y = self._output.center().y()
        edges = []
        for spec in _LAYERS:
            rects = [r for r, key, _i, _s in self._cells if key == spec.key]
            if rects:
                edges.append(max(r.right() for r in rects))
        for right in edges:
            a = QPointF(right + 6, centre_y)
            b = QPointF(right + _SPACING - 6, centre_y)
            painter.drawLine(a, b)
            painter.drawLine(b, QPointF(b.x() - 4, b.y() - 4))
            painter.drawLine(b, QPointF(b.x() - 4, b.y() + 4))

    def _paint_output(self, painter: QPainter, font: QFont) -> None:
        rect = self._output
        row = rect.height() / 10
        bar_x = rect.x() + 16
        bar_w = rect.width() - 18
        top = int(np.argmax(self._probabilities)) if self._probabilities is not None else None
        accent = _PROVISIONAL if self._provisional else _ACCENT
        bold = QFont(font)
        bold.setBold(True)
        for digit in range(10):
            y = rect.y() + digit * row
            painter.setFont(bold if digit == top else font)
            painter.setPen(_TEXT if digit == top else _MUTED)
            painter.drawText(
                QRectF(rect.x(), y, 14, row), Qt.AlignmentFlag.AlignCenter, str(digit)
            )
            bar = QRectF(bar_x, y + row * 0.2, bar_w, row * 0.6)
            painter.fillRect(bar, _PANEL)
            if self._probabilities is not None:
                value = float(self._probabilities[digit])
                filled = QRectF(bar.x(), bar.y(), bar_w * value, bar.height())
                painter.fillRect(filled, accent if digit == top else _MUTED)
                if digit == top:
                    painter.setPen(_BACKGROUND if value > 0.6 else _TEXT)
                    painter.drawText(
                        bar.adjusted(3, -2, -3, 2),
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                        i18n.percent(value, 0),
                    )
        painter.setFont(font)

    def _paint_hover(self, painter: QPainter) -> None:
        if not self._hover:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(QColor(255, 255, 255), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect, key, index, _source in self._cells:
            if _name(key, index) == self._hover:
                painter.drawRect(rect.adjusted(-1, -1, 0, 0))
                return
        if self._hover.startswith("output "):
            digit = int(self._hover.split(" ")[1])
            row = self._output.height() / 10
            painter.drawRect(
                QRectF(self._output.x(), self._output.y() + digit * row, self._output.width(), row)
            )


def _name(key: str, index: int) -> str:
    if key == "input":
        return "input 28×28"
    noun = {"conv1": "map", "pool2": "map", "fc1": "unit"}[key]
    return f"{key} {noun} {index + 1}"

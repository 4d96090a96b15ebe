"""Model > Evaluate: the test-set report, with a clickable confusion matrix.

The figures come from ``digitpad.net.evaluation_report.EvaluationReport`` (computed on the
inference worker); this module only shows them: accuracy and loss, the 10 x
10 confusion matrix (click a cell to see its images), and the most
confident mistakes.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QIcon,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.i18n import number, percent, translate
from digitpad.net.evaluation_report import EvaluationReport

_ARROWS = {
    Qt.Key.Key_Left: (0, -1),
    Qt.Key.Key_Right: (0, 1),
    Qt.Key.Key_Up: (-1, 0),
    Qt.Key.Key_Down: (1, 0),
}

#: At most this many images are listed for one cell (the most confident first).
MAX_SHOWN = 300
THUMB = 56


def cell_text(count: int, true_digit: int, read_as: int) -> str:
    """A cell of the confusion matrix in words ("12 images of 4 read as 9")."""
    if true_digit == read_as:
        if count == 1:
            return translate("EvaluationDialog", "1 image of {digit} read right").format(
                digit=true_digit
            )
        return translate("EvaluationDialog", "{count} images of {digit} read right").format(
            count=number(count), digit=true_digit
        )
    if count == 1:
        return translate("EvaluationDialog", "1 image of {digit} read as {read}").format(
            digit=true_digit, read=read_as
        )
    return translate("EvaluationDialog", "{count} images of {digit} read as {read}").format(
        count=number(count), digit=true_digit, read=read_as
    )


class ConfusionMatrixView(QWidget):
    """A 10 x 10 confusion matrix: rows are the true digits, columns the readings.

    Click a cell, or move to it with the arrow keys, to select it.

    Signals:
        cellClicked(true_digit, read_as): a cell was clicked.
    """

    cellClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self.setAccessibleName(translate("EvaluationDialog", "Confusion matrix"))
        self.setAccessibleDescription(
            translate(
                "EvaluationDialog",
                "Rows are the true digits, columns what they were read as; the diagonal "
                "is read right. The arrow keys move to another cell and list its images.",
            )
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._matrix = np.zeros((10, 10), np.int64)
        self._selected: tuple[int, int] | None = None
        self._hover: tuple[int, int] | None = None

    def set_matrix(self, matrix: np.ndarray) -> None:
        """Show ``matrix`` (10 x 10 counts)."""
        matrix = np.asarray(matrix, dtype=np.int64)
        if matrix.shape != (10, 10):
            raise ValueError(f"expected a 10x10 matrix, got shape {matrix.shape}")
        self._matrix = matrix.copy()
        self._selected = None
        self.update()

    def matrix(self) -> np.ndarray:
        """The counts shown (a copy)."""
        return self._matrix.copy()

    def selected(self) -> tuple[int, int] | None:
        """The selected cell ``(true_digit, read_as)``, or ``None``."""
        return self._selected

    def select(self, true_digit: int, read_as: int) -> None:
        """Select a cell as if clicked (emits :attr:`cellClicked`)."""
        self._selected = (true_digit, read_as)
        self.setAccessibleDescription(
            cell_text(int(self._matrix[true_digit, read_as]), true_digit, read_as)
        )
        self.update()
        self.cellClicked.emit(true_digit, read_as)

    def _grid(self) -> tuple[float, float, float]:
        """Left, top and cell size of the 10 x 10 grid."""
        label = 34.0
        side = max(10.0, min(self.width() - label - 4, self.height() - label - 4) / 10)
        return label, label, side

    def cell_rect(self, true_digit: int, read_as: int) -> QRectF:
        """Where cell ``(true_digit, read_as)`` is drawn."""
        left, top, side = self._grid()
        return QRectF(left + read_as * side, top + true_digit * side, side, side)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        """The cell ``(true_digit, read_as)`` at ``pos``, or ``None``."""
        left, top, side = self._grid()
        col = int((pos.x() - left) // side)
        row = int((pos.y() - top) // side)
        if pos.x() < left or pos.y() < top or not (0 <= row < 10 and 0 <= col < 10):
            return None
        return row, col

    def sizeHint(self) -> QSize:  # noqa: D102
        return QSize(440, 440)

    def minimumSizeHint(self) -> QSize:  # noqa: D102
        return QSize(280, 280)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        cell = self.cell_at(event.position())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(*cell)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        cell = self.cell_at(event.position())
        if cell != self._hover:
            self._hover = cell
            if cell is None:
                self.setToolTip("")
            else:
                self.setToolTip(cell_text(int(self._matrix[cell]), *cell))
            self.update()
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: D102
        step = _ARROWS.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        row, col = self._selected or (0, 0)
        if self._selected is not None:
            row = min(9, max(0, row + step[0]))
            col = min(9, max(0, col + step[1]))
        self.select(row, col)
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: D102
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: D102
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        left, top, side = self._grid()
        palette = self.palette()
        text = palette.color(palette.ColorRole.WindowText)
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            font = QFont(self.font())
            small = QFont(font)
            small.setPointSizeF(max(6.5, min(font.pointSizeF(), side * 0.3)))
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(text)
            for digit in range(10):
                painter.drawText(
                    QRectF(left + digit * side, top - 18, side, 16),
                    Qt.AlignmentFlag.AlignCenter,
                    str(digit),
                )
                painter.drawText(
                    QRectF(left - 18, top + digit * side, 16, side),
                    Qt.AlignmentFlag.AlignCenter,
                    str(digit),
                )
            painter.setFont(small)
            painter.drawText(
                QRectF(left, 0, 10 * side, top - 18),
                Qt.AlignmentFlag.AlignCenter,
                translate("EvaluationDialog", "read as →"),
            )
            painter.save()
            painter.translate(10, top + 5 * side)
            painter.rotate(-90)
            painter.drawText(
                QRectF(-60, -8, 120, 16),
                Qt.AlignmentFlag.AlignCenter,
                translate("EvaluationDialog", "true digit"),
            )
            painter.restore()
            rows = np.maximum(self._matrix.sum(axis=1, keepdims=True), 1)
            share = self._matrix / rows
            worst = max(1e-9, float((share - np.diag(np.diag(share))).max()))
            for row in range(10):
                for col in range(10):
                    rect = self.cell_rect(row, col).adjusted(1, 1, -1, -1)
                    count = int(self._matrix[row, col])
                    if row == col:
                        strength = float(share[row, col])
                        color = QColor.fromRgbF(
                            0.90 - 0.75 * strength, 0.93 - 0.45 * strength, 0.98 - 0.2 * strength
                        )
                    elif count:
                        # Mistakes on a scale of their own, square root to show small ones.
                        strength = float(np.sqrt(share[row, col] / worst))
                        color = QColor.fromRgbF(1.0, 0.93 - 0.6 * strength, 0.85 - 0.7 * strength)
                    else:
                        color = QColor(246, 246, 248)
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(color)
                    painter.drawRoundedRect(rect, 3, 3)
                    if count:
                        light = row == col and share[row, col] > 0.5
                        painter.setPen(QColor(255, 255, 255) if light else QColor(40, 40, 48))
                        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
            for cell, width, color in (
                (self._hover, 1.5, QColor(90, 90, 100)),
                (self._selected, 2.5, QColor(20, 90, 200)),
            ):
                if cell is not None:
                    painter.setPen(QPen(color, width))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(self.cell_rect(*cell).adjusted(1, 1, -1, -1), 3, 3)
            if self.hasFocus():
                pen = QPen(text, 1.0, Qt.PenStyle.DotLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(left, top, 10 * side, 10 * side).adjusted(-2, -2, 2, 2))
        finally:
            painter.end()


class SampleList(QListWidget):
    """Test images as a grid of thumbnails; each item holds its test-set index."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 26, THUMB + 22))
        self.setSpacing(2)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)

    def show_samples(self, report: EvaluationReport, indices: np.ndarray) -> None:
        """List the images ``indices`` of ``report`` with what they were read as."""
        self.clear()
        for index in indices[:MAX_SHOWN]:
            index = int(index)
            label, read = int(report.labels[index]), int(report.predicted[index])
            confidence = report.confidence(index)
            caption = translate("EvaluationDialog", "{read} · {confidence}").format(
                read=read, confidence=percent(confidence, 0)
            )
            item = QListWidgetItem(_thumbnail(report.images[index]), caption)
            item.setData(Qt.ItemDataRole.UserRole, index)
            described = translate(
                "EvaluationDialog",
                "Test image #{index}: a {label}, read as {read} with {confidence} confidence",
            ).format(index=index, label=label, read=read, confidence=percent(confidence, 1))
            item.setToolTip(described)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, described)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        self.fit_captions()

    def fit_captions(self) -> None:
        """Widen the grid cells so every caption shows whole (never elided)."""
        metrics = self.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.item(i).text()) for i in range(self.count())),
            default=0,
        )
        width = max(THUMB + 26, widest + 16)
        if width != self.gridSize().width():
            self.setGridSize(QSize(width, THUMB + 22))
        # The caption is elided to the item's own width (with uniform item
        # sizes, the first item's): give every item the cell's full width.
        size = QSize(width - 4, THUMB + 20)
        for i in range(self.count()):
            self.item(i).setSizeHint(size)

    def indices(self) -> list[int]:
        """The test-set indices listed, in order."""
        return [int(self.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.count())]


def _thumbnail(image: np.ndarray) -> QIcon:
    """A dark-on-light enlarged thumbnail of one 28 x 28 uint8 image."""
    levels = 255 - np.asarray(image, dtype=np.uint8)
    qimage = QImage(28, 28, QImage.Format.Format_Grayscale8)
    stride = qimage.bytesPerLine()
    view = np.frombuffer(qimage.bits(), dtype=np.uint8, count=28 * stride)
    view.reshape(28, stride)[:, :28] = levels
    pixmap = QPixmap.fromImage(qimage.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
    return QIcon(pixmap)


class EvaluationDialog(QDialog):
    """The test-set report (non-modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationDialog")
        self.setWindowTitle(translate("EvaluationDialog", "Test-set report"))
        self.report: EvaluationReport | None = None

        self.summary = QLabel()
        self.summary.setObjectName("evaluationSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        # A new report's text never changes the window's minimum size.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setAccessibleName(translate("EvaluationDialog", "Test-set figures"))
        self.matrix = ConfusionMatrixView()
        self.matrix.cellClicked.connect(self.on_matrix_cellClicked)
        legend = QLabel(
            translate(
                "EvaluationDialog",
                "Confusion &matrix: rows are the true digits, columns what they were read "
                "as. The diagonal (blue) is read right; the other cells (red) are misreadings.",
            )
        )
        legend.setObjectName("matrixLegend")
        legend.setWordWrap(True)
        legend.setBuddy(self.matrix)
        self.cell_caption = QLabel(self._click_text())
        self.cell_caption.setObjectName("cellCaption")
        self.cell_caption.setWordWrap(True)
        self.cell_images = SampleList("cellImages")
        self.cell_images.setMinimumWidth(300)
        self.cell_images.setAccessibleName(
            translate("EvaluationDialog", "Test images of the selected cell")
        )
        mistakes_caption = QLabel(
            translate("EvaluationDialog", "Most confident m&istakes (label → read as, confidence)")
        )
        bold = QFont(mistakes_caption.font())
        bold.setBold(True)
        mistakes_caption.setFont(bold)
        self.mistakes = SampleList("confidentMistakes")
        self.mistakes.setAccessibleName(translate("EvaluationDialog", "Most confident mistakes"))
        mistakes_caption.setBuddy(self.mistakes)
        self.mistakes.setFixedHeight(THUMB + 46)
        self.mistakes.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.mistakes.setFlow(QListView.Flow.LeftToRight)
        self.mistakes.setWrapping(False)

        right = QVBoxLayout()
        right.addWidget(self.cell_caption)
        right.addWidget(self.cell_images, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.matrix, 3)
        middle.addLayout(right, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(translate("EvaluationDialog", "Close"))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(legend)
        layout.addLayout(middle, 1)
        layout.addWidget(mistakes_caption)
        layout.addWidget(self.mistakes)
        layout.addWidget(buttons)
        for first, second in (
            (self.matrix, self.cell_images),
            (self.cell_images, self.mistakes),
            (self.mistakes, close),
        ):
            QWidget.setTabOrder(first, second)
        self.matrix.setFocus()
        self.resize(880, 660)
        # Size constraints settle before the native window exists.
        self.layout().activate()

    def setVisible(self, visible: bool) -> None:  # noqa: D102
        if visible and not self.isVisible():
            # Size constraints settle before the native window exists (the
            # report's contents changed them since construction).
            self.layout().activate()
        super().setVisible(visible)

    def set_report(self, report: EvaluationReport, note: str = "") -> None:
        """Show ``report``; ``note`` is added to the summary (e.g. "still learning")."""
        self.report = report
        wrong = int(len(report) - np.trace(report.confusion))
        text = translate(
            "EvaluationDialog",
            "{accuracy} of {count} MNIST test digits read right · loss {loss} · {wrong} misread",
        ).format(
            accuracy=f"<span style='font-size:15pt'><b>{percent(report.accuracy, 2)}</b></span>",
            count=number(len(report)),
            loss=number(report.loss, 4),
            wrong=number(wrong),
        )
        if note:
            text = translate("EvaluationDialog", "{figures} · {note}").format(
                figures=text, note=html.escape(note)
            )
        self.summary.setText(text)
        self.matrix.set_matrix(report.confusion)
        self.cell_images.clear()
        self.cell_caption.setText(self._click_text())
        mistakes = report.confident_mistakes(40)
        self.mistakes.show_samples(report, mistakes)
        for i, index in enumerate(mistakes):
            item = self.mistakes.item(i)
            item.setText(
                translate("EvaluationDialog", "{label}→{read} {confidence}").format(
                    label=int(report.labels[index]),
                    read=int(report.predicted[index]),
                    confidence=percent(report.confidence(int(index)), 0),
                )
            )
        self.mistakes.fit_captions()
        # The worst confusion is the first thing worth a look.
        off = report.confusion - np.diag(np.diag(report.confusion))
        if off.any():
            true_digit, read_as = np.unravel_index(int(off.argmax()), off.shape)
            self.matrix.select(int(true_digit), int(read_as))

    def on_matrix_cellClicked(self, true_digit: int, read_as: int) -> None:
        """A cell was clicked: list its images."""
        if self.report is None:
            return
        indices = self.report.cell(true_digit, read_as)
        count = len(indices)
        text = html.escape(cell_text(count, true_digit, read_as))
        if count > MAX_SHOWN:
            text = translate(
                "EvaluationDialog", "{cell} (the {shown} most confident shown)"
            ).format(cell=text, shown=number(MAX_SHOWN))
        self.cell_caption.setText(f"<b>{text}</b>")
        self.cell_images.show_samples(self.report, indices)

    @staticmethod
    def _click_text() -> str:
        return translate(
            "EvaluationDialog", "Click a cell (or use the arrow keys) to see its test images."
        )

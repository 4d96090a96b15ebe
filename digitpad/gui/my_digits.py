"""The "My digits" dialog: the user's corrected drawings, one row per digit.

Each row shows a digit, its number of samples and the samples' 28 x 28
images as the model read them (white ink on black, enlarged without
smoothing). Thumbnails can be selected with the mouse or keyboard and
deleted with the Delete button or key. A line under the header says what
the personal memory (the instant learning from kept drawings) holds.

Thousands of kept drawings do not freeze the window: many files not read
yet are read in a thread (each file once: the dialog's own reader keeps
what it verified), a thumbnail is made when it is first painted, and a
refresh or a deletion changes only the rows' items that changed.
"""

from __future__ import annotations

import html
import math
import os
import threading
from concurrent.futures import Future

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QModelIndex,
    QObject,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QIcon,
    QImage,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.dialogs import MemoryState, memory_text
from digitpad.gui.i18n import number, translate
from digitpad.gui.wording import format_date
from digitpad.storage.samples import Sample, SampleError, SampleStore

#: Thumbnail side in logical pixels: the 28 x 28 input at 2x.
THUMBNAIL = 56
#: Space around each thumbnail (room for the selection frame).
_CELL = THUMBNAIL + 10
#: Below this many samples a digit teaches the model little.
FEW_SAMPLES = 5
#: Up to this many drawings not read yet are read at once; more are read in a
#: thread (1,500 took 0.26 s to read and verify, the GUI thread frozen).
READ_AT_ONCE = 200
#: How often the dialog looks whether the thread has read them, in milliseconds.
_POLL_MS = 20
#: Problems listed in the dialog; the rest are counted.
_MAX_PROBLEMS_SHOWN = 5
_SAMPLE_ID_ROLE = Qt.ItemDataRole.UserRole
_EXTEND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.ShiftModifier
    | Qt.KeyboardModifier.MetaModifier
)

#: The header of an empty store (translated where shown).
EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "MyDigitsDialog",
    "<b>No samples of your handwriting yet.</b><br><br>"
    "When digitpad misreads a drawing, type the right digit (0–9) or click its bar: "
    "the drawing is kept here. With a few samples of each digit, digitpad can learn "
    "your handwriting.",
)


def thumbnail_icon(x28: np.ndarray, device_pixel_ratio: float = 1.0) -> QIcon:
    """The 28 x 28 input as an icon: white ink on black, nearest-neighbour scaled.

    Args:
        x28: float 28 x 28 in [0, 1], ink 1.0.
        device_pixel_ratio: the screen's ratio; a pixmap for it is added to
            the 1x and 2x ones, so the icon stays crisp on HiDPI screens.
    """
    levels = np.clip(np.rint(np.asarray(x28, dtype=np.float32) * 255.0), 0, 255)
    levels = levels.astype(np.uint8)
    side = levels.shape[0]
    image = QImage(levels.shape[1], side, QImage.Format.Format_Grayscale8)
    stride = image.bytesPerLine()
    view = np.frombuffer(image.bits(), dtype=np.uint8, count=side * stride)
    view.reshape(side, stride)[:, : levels.shape[1]] = levels
    icon = QIcon()
    for ratio in sorted({1.0, 2.0, float(device_pixel_ratio)}):
        pixels = max(1, round(THUMBNAIL * ratio))
        scaled = image.scaled(
            pixels,
            pixels,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.FastTransformation,
        )
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        icon.addPixmap(pixmap)
    return icon


def _samples(count: int) -> str:
    """The count of samples in words ("1 sample", "3 samples")."""
    if count == 1:
        return translate("MyDigitsDialog", "1 sample")
    return translate("MyDigitsDialog", "{count} samples").format(count=number(count))


def _strokes(count: int) -> str:
    """The count of strokes in words ("1 stroke", "3 strokes")."""
    if count == 1:
        return translate("MyDigitsDialog", "1 stroke")
    return translate("MyDigitsDialog", "{count} strokes").format(count=number(count))


class _SampleItem(QListWidgetItem):
    """One kept drawing's thumbnail, its icon and texts made when first asked for.

    Making 1,500 icons, tooltips and dates up front blocked the GUI thread
    for most of a second; the view asks only for the thumbnails it paints.
    """

    def __init__(self, sample: Sample) -> None:
        super().__init__()
        self.sample = sample
        self._icon: QIcon | None = None
        self.setSizeHint(QSize(_CELL, _CELL))

    def data(self, role: int) -> object:  # noqa: D102
        if role == _SAMPLE_ID_ROLE:
            return self.sample.id
        if role == Qt.ItemDataRole.DecorationRole:
            if self._icon is None:
                view = self.listWidget()
                ratio = float(view.devicePixelRatioF()) if view is not None else 1.0
                self._icon = thumbnail_icon(self.sample.x28, ratio)
            return self._icon
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(self.sample)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return translate("MyDigitsDialog", "Sample of {digit}, {when}").format(
                digit=self.sample.label, when=format_date(self.sample.created)
            )
        return super().data(role)


def _tooltip(sample: Sample) -> str:
    """What a thumbnail's tooltip says of its drawing ("A 3, kept today (2 strokes)")."""
    if sample.strokes:
        strokes = _strokes(len(sample.strokes))
    else:
        strokes = translate("MyDigitsDialog", "an opened image")
    return translate("MyDigitsDialog", "A {digit}, kept {when} ({strokes})").format(
        digit=sample.label, when=format_date(sample.created), strokes=strokes
    )


class _ThumbnailDelegate(QStyledItemDelegate):
    """Draws a thumbnail unsmoothed, framed in the highlight colour when selected."""

    def paint(  # noqa: D102
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex
    ) -> None:
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        target = QRect(0, 0, THUMBNAIL, THUMBNAIL)
        target.moveCenter(option.rect.center())
        frame = QRectF(target)
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            if isinstance(icon, QIcon):
                icon.paint(painter, target)
            if option.state & QStyle.StateFlag.State_Selected:
                pen = QPen(option.palette.color(QPalette.ColorRole.Highlight), 3.0)
                pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(frame.adjusted(-1.5, -1.5, 1.5, 1.5))
            if option.state & QStyle.StateFlag.State_HasFocus:
                pen = QPen(option.palette.color(QPalette.ColorRole.WindowText), 1.0)
                pen.setStyle(Qt.PenStyle.DotLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(frame.adjusted(-4.5, -4.5, 4.5, 4.5))
        finally:
            painter.restore()

    def sizeHint(  # noqa: D102
        self, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QSize:
        return QSize(_CELL, _CELL)


class _ThumbnailList(QListWidget):
    """One digit's thumbnails, wrapping onto as many lines as they need.

    Never scrolls: its height follows its width and item count, and the
    dialog's scroll area scrolls the rows.
    """

    def __init__(self, digit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"samplesOf{digit}")
        self.setAccessibleName(
            translate("MyDigitsDialog", "Samples of the digit {digit}").format(digit=digit)
        )
        self.setAccessibleDescription(
            translate(
                "MyDigitsDialog",
                "Arrow keys move, Shift or Ctrl extend the selection, Delete removes it",
            )
        )
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.setGridSize(QSize(_CELL, _CELL))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.setItemDelegate(_ThumbnailDelegate(self))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(_CELL)
        self._fit_height()

    def fit(self) -> None:
        """Resize to show every thumbnail (after items were added or removed)."""
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        per_line = max(1, self.viewport().width() // _CELL)
        lines = max(1, math.ceil(self.count() / per_line))
        height = lines * _CELL + 2 * self.frameWidth()
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)


def _items(thumbnails: QListWidget) -> list[_SampleItem]:
    """The items of a row, in order."""
    return [thumbnails.item(row) for row in range(thumbnails.count())]


def _sync_items(thumbnails: QListWidget, samples: list[Sample]) -> None:
    """Make the row show ``samples``: take away the items of the others, add the new.

    Items already shown keep their thumbnail (and their selection); a row
    whose samples did not change is not touched at all.

    Args:
        thumbnails: the row.
        samples: what it should show, in order.
    """
    wanted = [sample.id for sample in samples]
    shown = [item.sample.id for item in _items(thumbnails)]
    if shown == wanted:
        return
    thumbnails.blockSignals(True)
    try:
        keep = set(wanted)
        for row in reversed(range(len(shown))):
            if shown[row] not in keep:
                thumbnails.takeItem(row)
                del shown[row]
        kept = set(shown)
        if shown != [sample_id for sample_id in wanted if sample_id in kept]:
            thumbnails.clear()  # not in the same order: start again
            shown = []
        for row, sample in enumerate(samples):
            if row >= len(shown) or shown[row] != sample.id:
                thumbnails.insertItem(row, _SampleItem(sample))
                shown.insert(row, sample.id)
    finally:
        thumbnails.blockSignals(False)


class MyDigitsDialog(QDialog):
    """Shows the user's samples per digit and deletes the ones selected.

    Signals:
        samplesChanged: samples were deleted from the store.
        forgetLetStandRequested: the user asked to forget the readings let stand.
    """

    samplesChanged = Signal()
    forgetLetStandRequested = Signal()

    def __init__(
        self,
        store: SampleStore,
        parent: QWidget | None = None,
        memory: MemoryState | None = None,
    ) -> None:
        """Build the dialog and show ``store``'s samples.

        Args:
            store: the kept drawings.
            parent: the window.
            memory: the personal memory's state (see :meth:`set_memory`);
                ``None`` hides the line.
        """
        super().__init__(parent)
        self.setObjectName("myDigitsDialog")
        self.setWindowTitle(translate("MyDigitsDialog", "My Digits"))
        self._store = store
        # The dialog's own reader of the store's files, so that it can read
        # them in a thread (the store is the window's, used on this thread).
        self._reader = SampleStore(store.root)
        self._read_ids: set[str] = set()
        self._reading: Future[list[Sample]] | None = None
        self._read_again = False
        self._poll = QTimer(self)
        self._poll.setInterval(_POLL_MS)
        self._poll.timeout.connect(self._on_poll_timeout)
        # Whether the mouse press or key press being handled extends the
        # selection (Ctrl, Shift): otherwise selecting in one row clears the
        # others, so Delete never removes a forgotten selection out of sight.
        self._extending = False
        # The status line shows the selection (cleared with it), not a deletion's outcome.
        self._selection_shown = False

        self.header = QLabel()
        self.header.setObjectName("myDigitsHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.header.setAccessibleName(translate("MyDigitsDialog", "Your kept drawings"))

        self.memory_label = QLabel()
        self.memory_label.setObjectName("myDigitsMemory")
        self.memory_label.setWordWrap(True)
        self.memory_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.memory_label.setAccessibleName(translate("MyDigitsDialog", "Personal memory"))
        self.memory_label.hide()

        self.problems_label = QLabel()
        self.problems_label.setObjectName("myDigitsProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.setStyleSheet(
            "QLabel#myDigitsProblems { background: rgba(230, 145, 30, 40);"
            " border: 1px solid rgba(230, 145, 30, 160); border-radius: 4px; padding: 6px; }"
        )
        self.problems_label.setAccessibleName(translate("MyDigitsDialog", "Skipped sample files"))
        self.problems_label.hide()

        rows = QWidget()
        rows.setObjectName("myDigitsRows")
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.setSpacing(0)
        self._lists: list[_ThumbnailList] = []
        self._count_labels: list[QLabel] = []
        self._empty_labels: list[QLabel] = []
        for digit in range(10):
            if digit:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                rows_layout.addWidget(line)
            rows_layout.addWidget(self._make_row(digit))
        rows_layout.addStretch(1)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("myDigitsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The rows take the focus; the area scrolls to the one that has it.
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setWidget(rows)

        self.status = QLabel()
        self.status.setObjectName("myDigitsStatus")
        self.status.setAccessibleName(translate("MyDigitsDialog", "Status"))
        self.delete_button = QPushButton(translate("MyDigitsDialog", "&Delete"))
        self.delete_button.setObjectName("deleteSamples")
        tip = translate("MyDigitsDialog", "Delete the selected samples (Delete key)")
        self.delete_button.setToolTip(tip)
        self.delete_button.setAccessibleName(translate("MyDigitsDialog", "Delete"))
        self.delete_button.setAccessibleDescription(tip)
        self.delete_button.setAutoDefault(False)
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.on_delete_clicked)
        self.forget_let_stand_button = QPushButton(
            translate("MyDigitsDialog", "&Forget Readings Let Stand")
        )
        self.forget_let_stand_button.setObjectName("forgetLetStand")
        tip = translate(
            "MyDigitsDialog",
            "Forget the readings you let stand (shown sure, cleared without a correction); "
            "your corrected drawings stay",
        )
        self.forget_let_stand_button.setToolTip(tip)
        self.forget_let_stand_button.setAccessibleDescription(tip)
        self.forget_let_stand_button.setAutoDefault(False)
        self.forget_let_stand_button.hide()
        self.forget_let_stand_button.clicked.connect(self.forgetLetStandRequested)
        self.close_button = QPushButton(translate("MyDigitsDialog", "Close"))
        self.close_button.setObjectName("closeMyDigits")
        self.close_button.setAccessibleName(translate("MyDigitsDialog", "Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)

        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.forget_let_stand_button)
        footer.addWidget(self.delete_button)
        footer.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.memory_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.scroll, 1)
        # Takes the room of the rows when there are none (the empty store).
        layout.addStretch(0)
        layout.addLayout(footer)

        # A fixed minimum rather than the layout's, which changes with the
        # content (and resizing a shown window's constraints is not portable).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(QSize(420, 360))
        self.resize(640, 600)
        # Tab goes through the rows top to bottom (hidden empty rows are
        # skipped), then the buttons.
        chain = [*self._lists, self.delete_button, self.close_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if memory is not None:
            self.set_memory(memory)
        self.refresh()

    # -- public API ------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the store and show its samples.

        Files read before are not read again; when more than
        :data:`READ_AT_ONCE` are new (opening the dialog on many kept
        drawings, an import), they are read in a thread and shown when read
        (:meth:`is_reading` meanwhile). Only the rows whose drawings changed
        are touched, and thumbnails are made when they are first painted.
        """
        if self._reading is not None:
            self._read_again = True
            return
        new = set(self._reader.sample_ids()) - self._read_ids
        if len(new) > READ_AT_ONCE:
            self._read_in_thread()
            return
        self._show_read(self._reader.samples())

    def is_reading(self) -> bool:
        """Whether the drawings are being read in a thread (shown when read)."""
        return self._reading is not None

    def set_memory(self, memory: MemoryState) -> None:
        """Say what the personal memory holds (it changes readings at once)."""
        self.memory_label.setText(memory_text(memory))
        self.memory_label.show()
        self.forget_let_stand_button.setVisible(memory.let_stand > 0)

    def thumbnail_count(self) -> int:
        """Number of thumbnails shown."""
        return sum(thumbnails.count() for thumbnails in self._lists)

    def thumbnail_list(self, digit: int) -> QListWidget:
        """The list showing the samples of ``digit``."""
        return self._lists[digit]

    def selected_sample_ids(self) -> list[str]:
        """Ids of the selected samples, digit by digit."""
        return [
            str(item.data(_SAMPLE_ID_ROLE))
            for thumbnails in self._lists
            for item in thumbnails.selectedItems()
        ]

    def delete_selected(self) -> int:
        """Delete the selected samples from the store; returns how many."""
        ids = self.selected_sample_ids()
        if not ids:
            return 0
        focused = next((i for i, t in enumerate(self._lists) if t.hasFocus()), None)
        deleted = 0
        error = ""
        gone: set[str] = set()
        try:
            for sample_id in ids:
                self._store.remove(sample_id, sync=False)  # one folder fsync, after
                deleted += 1
                gone.add(sample_id)
        except (SampleError, ValueError) as exc:
            error = str(exc)
        finally:
            if deleted:
                self._store.sync()
        self._forget_shown(gone)
        if focused is not None:
            self._keep_focus(focused)
        message = ""
        if deleted == 1:
            message = translate("MyDigitsDialog", "Deleted 1 sample.")
        elif deleted:
            message = translate("MyDigitsDialog", "Deleted {count} samples.").format(
                count=number(deleted)
            )
        if error:
            message = (
                translate("MyDigitsDialog", "{done} {error}")
                .format(done=message, error=error)
                .strip()
            )
        self.status.setText(message)
        if deleted:
            self.samplesChanged.emit()
        return deleted

    # -- slots -------------------------------------------------------------

    def on_delete_clicked(self) -> None:
        """Delete the selection."""
        self.delete_selected()

    def on_selection_changed(self) -> None:
        """Update the Delete button and the status line."""
        selected = len(self.selected_sample_ids())
        self.delete_button.setEnabled(selected > 0)
        if selected:
            self.status.setText(
                translate("MyDigitsDialog", "{count} selected").format(count=number(selected))
            )
            self._selection_shown = True
        elif self._selection_shown:
            self.status.clear()
            self._selection_shown = False

    # -- Qt overrides ----------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: D102
        # The lists leave Delete and Backspace unhandled; they arrive here.
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.selected_sample_ids()
        ):
            self.delete_selected()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: D102
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            self._extending = bool(event.modifiers() & _EXTEND_MODIFIERS)
        return super().eventFilter(watched, event)

    # -- internals ---------------------------------------------------------

    def _show(self, by_digit: dict[int, list[Sample]]) -> None:
        """Show these samples (each digit's oldest first), changing only what differs."""
        for digit, thumbnails in enumerate(self._lists):
            shown = by_digit[digit]
            _sync_items(thumbnails, shown)
            self._count_labels[digit].setText(_samples(len(shown)))
            thumbnails.setVisible(bool(shown))
            self._empty_labels[digit].setVisible(not shown)
            thumbnails.fit()
        total = sum(len(shown) for shown in by_digit.values())
        self._show_header(total, {d: len(shown) for d, shown in by_digit.items()})
        self.scroll.setVisible(total > 0)
        self.on_selection_changed()

    def _read_in_thread(self) -> None:
        """Read the store in a thread; :meth:`_on_poll_timeout` shows what it read."""
        reading: Future[list[Sample]] = Future()
        reader = self._reader

        def read() -> None:
            try:
                reading.set_result(reader.samples())
            except BaseException as exc:  # handed to the GUI thread
                reading.set_exception(exc)

        self._reading = reading
        if not self.thumbnail_count():
            self.header.setText(translate("MyDigitsDialog", "Reading your kept drawings…"))
            self.scroll.hide()
        threading.Thread(target=read, name="my-digits-read", daemon=True).start()
        self._poll.start()

    def _on_poll_timeout(self) -> None:
        reading = self._reading
        if reading is None or not reading.done():
            return
        self._poll.stop()
        self._reading = None
        self._show_read(reading.result())
        if self._read_again:
            self._read_again = False
            self.refresh()

    def _show_read(self, samples: list[Sample]) -> None:
        """Show the samples the reader read, and the files it skipped."""
        self._read_ids = {sample.id for sample in samples}
        by_digit: dict[int, list[Sample]] = {digit: [] for digit in range(10)}
        for sample in samples:
            by_digit[sample.label].append(sample)
        self._show(by_digit)
        self._show_problems(self._reader.problems)

    def _forget_shown(self, sample_ids: set[str]) -> None:
        """Take the deleted ``sample_ids`` off the rows (the store is not read again)."""
        by_digit = {
            digit: [item.sample for item in _items(thumbnails) if item.sample.id not in sample_ids]
            for digit, thumbnails in enumerate(self._lists)
        }
        self._show(by_digit)

    def _keep_focus(self, digit: int) -> None:
        """The row that had the focus emptied: the nearest row with samples takes it."""
        if self._lists[digit].count():
            return
        rows = sorted(range(10), key=lambda other: (abs(other - digit), -other))
        for other in rows:
            if self._lists[other].count():
                self._lists[other].setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _make_row(self, digit: int) -> QWidget:
        row = QWidget()
        row.setObjectName(f"digitRow{digit}")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(4, 6, 4, 6)

        caption = QVBoxLayout()
        caption.setSpacing(0)
        digit_label = QLabel(str(digit))
        digit_label.setAccessibleName(
            translate("MyDigitsDialog", "Digit {digit}").format(digit=digit)
        )
        font = QFont(digit_label.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        digit_label.setFont(font)
        count_label = QLabel()
        count_label.setObjectName(f"countOf{digit}")
        caption.addWidget(digit_label)
        caption.addWidget(count_label)
        caption.addStretch(1)
        caption_widget = QWidget()
        caption_widget.setLayout(caption)
        caption_widget.setFixedWidth(84)
        caption.setContentsMargins(0, 0, 0, 0)

        thumbnails = _ThumbnailList(digit)
        thumbnails.itemSelectionChanged.connect(
            lambda which=thumbnails: self._on_list_selection(which)
        )
        thumbnails.installEventFilter(self)
        thumbnails.viewport().installEventFilter(self)
        empty = QLabel(
            translate("MyDigitsDialog", "No samples of {digit} yet.").format(digit=digit)
        )
        empty.setEnabled(False)
        empty.setMinimumHeight(_CELL)
        empty.setIndent((_CELL - THUMBNAIL) // 2)
        empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        layout.addWidget(caption_widget, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(thumbnails, 1)
        layout.addWidget(empty, 1)
        self._lists.append(thumbnails)
        self._count_labels.append(count_label)
        self._empty_labels.append(empty)
        return row

    def _on_list_selection(self, source: QListWidget) -> None:
        if source.selectedItems() and not self._extending:
            for other in self._lists:
                if other is not source and other.selectedItems():
                    other.blockSignals(True)
                    other.clearSelection()
                    other.blockSignals(False)
                    other.viewport().update()
        self.on_selection_changed()

    def _show_header(self, total: int, counts: dict[int, int]) -> None:
        if not total:
            self.header.setText(translate("MyDigitsDialog", EMPTY_TEXT))
            return
        few = [str(d) for d, n in counts.items() if n < FEW_SAMPLES]
        if total == 1:
            headline = translate("MyDigitsDialog", "1 sample of your handwriting.")
        else:
            headline = translate("MyDigitsDialog", "{count} samples of your handwriting.").format(
                count=number(total)
            )
        parts = [f"<b>{html.escape(headline)}</b>"]
        if few:
            parts.append(
                translate(
                    "MyDigitsDialog",
                    "Digits with fewer than {count} samples teach the model little "
                    "(now: {digits}).",
                ).format(count=FEW_SAMPLES, digits=translate("MyDigitsDialog", ", ").join(few))
            )
        parts.append(
            translate(
                "MyDigitsDialog",
                "Select samples and press Delete to remove drawings you do not want to teach.",
            )
        )
        self.header.setText(" ".join(parts))

    def _show_problems(self, problems: list[str]) -> None:
        if not problems:
            self.problems_label.hide()
            self.problems_label.clear()
            return
        root = f"{self._store.root}{os.sep}"
        lines = [html.escape(p.replace(root, "")) for p in problems[:_MAX_PROBLEMS_SHOWN]]
        if len(problems) > _MAX_PROBLEMS_SHOWN:
            lines.append(
                html.escape(
                    translate("MyDigitsDialog", "… and {count} more.").format(
                        count=number(len(problems) - _MAX_PROBLEMS_SHOWN)
                    )
                )
            )
        if len(problems) == 1:
            headline = translate("MyDigitsDialog", "1 sample file was skipped.")
        else:
            headline = translate("MyDigitsDialog", "{count} sample files were skipped.").format(
                count=number(len(problems))
            )
        aside = translate(
            "MyDigitsDialog", "Damaged files are moved aside and never used (folder: {folder})."
        ).format(folder=self._store.root)
        self.problems_label.setText(
            f"<b>{html.escape(headline)}</b> {html.escape(aside)}<br>" + "<br>".join(lines)
        )
        self.problems_label.show()

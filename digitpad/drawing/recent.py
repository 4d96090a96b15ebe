"""A small thread-safe memory of recent results, least recently used out."""

from __future__ import annotations

import collections
import threading
from collections.abc import Hashable
from typing import Any


class Recent:
    """Recent results by key (least recently used out). Thread-safe.

    While a number is written it is read again every few tens of
    milliseconds, and the digits already written do not change: their
    renders, 28 x 28 inputs and shape verdicts are found here instead of
    made again. Keep values read-only (numpy arrays with
    ``flags.writeable = False``): every finder shares them.
    """

    def __init__(self, size: int) -> None:
        """Keep at most ``size`` results."""
        self.size = size
        self._items: collections.OrderedDict[Hashable, Any] = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Any:
        """The result kept under ``key``, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()

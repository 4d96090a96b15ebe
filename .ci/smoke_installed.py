"""Check an installed (non-editable) digitpad as a new user would meet it.

Run with the interpreter of a fresh virtual environment that installed the
wheel, from a directory outside the source tree. Exits non-zero on failure.
"""

import importlib.resources
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import digitpad  # noqa: E402

where = os.path.dirname(digitpad.__file__)
assert "site-packages" in where, f"digitpad imported from {where}, not the installed wheel"

resources = importlib.resources.files("digitpad.resources")
names = {entry.name for entry in resources.iterdir()}
for needed in ("digitpad.svg", "digitpad.desktop"):
    assert needed in names, f"resource {needed} missing from the installed package: {names}"
print(f"resources found in the installed package: {sorted(names)}")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from digitpad.gui import MainWindow  # noqa: E402

assert "tensorflow" not in sys.modules, "importing the GUI imported TensorFlow"
app = QApplication([])
started = time.perf_counter()
window = MainWindow()
window.show()
ready = []
window.model_ready.connect(lambda: ready.append(time.perf_counter() - started))
deadline = QTimer(singleShot=True, interval=60_000)
deadline.timeout.connect(app.quit)
window.model_ready.connect(lambda: QTimer.singleShot(200, app.quit))
deadline.start()
app.exec()
assert ready, "the window never reported a ready model within 60 s"
window.grab().save(os.path.join(os.environ.get("SMOKE_OUT", "."), "installed-window.png"))
window.close()
window.shutdown()
print(f"window opened offscreen, model ready after {ready[0]:.1f} s, closed cleanly")

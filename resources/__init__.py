"""Icons, the desktop entry and bundled data, shipped as ``digitpad.resources``."""

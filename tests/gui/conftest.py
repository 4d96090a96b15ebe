"""GUI tests share the window and message-box fixtures of ``tests/conftest.py``."""

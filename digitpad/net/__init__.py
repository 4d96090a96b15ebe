"""The network: the article's LeNet and everything that trains or runs it.

Recipes, training, adaptation, calibration and the compiled inference
calls. Modules that need TensorFlow import it at module level: the GUI
imports them lazily, on its inference worker.
"""

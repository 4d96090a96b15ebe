"""From ink to the network's input, with no widgets and no TensorFlow.

Stroke rendering, image decoding, the MNIST format (``to_mnist``), the
one-digit shape check and saliency geometry: numpy, and QtGui for rasters.
"""

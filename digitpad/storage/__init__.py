"""Files digitpad keeps and reads, with no widgets and no TensorFlow.

Locations, the verified model store, kept drawings, MNIST and pen digits.
"""

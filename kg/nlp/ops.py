"""Which thinc backend kg's pipelines compute with.

thinc's ``NumpyOps`` multiplies matrices with its bundled ``blis`` by default.  On the
build machine (AMD EPYC, AVX-512) that blis runs a generic kernel at ~26 GFLOPS on one
core, while numpy's OpenBLAS reaches ~93 GFLOPS on the same shapes, and the tok2vec
encoders are almost all matrix products: the whole pipeline goes from ~7k to ~11k
words/s with bit-identical output (benchmarks/BENCHMARKS.md).  ``use_blis=False`` makes
thinc call ``numpy.dot`` (OpenBLAS) instead.  A thinc Model keeps the ops that were
current when it was built, so pipelines must be loaded (or trained) inside ``cpu_ops()``.
"""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def cpu_ops():
    """Context in which newly built thinc models compute with numpy/OpenBLAS."""
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):
        yield

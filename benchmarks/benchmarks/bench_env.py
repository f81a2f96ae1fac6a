"""The thread settings in force in the benchmark processes, recorded with every asv run.

numpy and scipy may each load their own OpenBLAS (``track_blas_libraries`` = 2), each with its
own pool; compare results only between runs with the same settings (``FASTREG_BENCH_THREADS``
caps every pool, see ``common``).
"""
from .common import prepare_process


class Environment:
    """threadpoolctl's view of the BLAS pools once numpy, scipy and fastreg are loaded."""

    def setup(self):
        prepare_process()
        import scipy.linalg  # noqa: F401  (loads scipy's BLAS)
        from threadpoolctl import threadpool_info

        import fastreg._cd_fast  # noqa: F401

        self.blas = [lib for lib in threadpool_info() if lib.get("user_api") == "blas"]

    def track_blas_threads(self):
        """Largest thread count of the loaded BLAS pools."""
        return max((lib["num_threads"] for lib in self.blas), default=0)

    track_blas_threads.unit = "threads"

    def track_blas_libraries(self):
        """Number of BLAS libraries loaded (numpy's and scipy's may differ)."""
        return len({lib["filepath"] for lib in self.blas})

    track_blas_libraries.unit = "libraries"

"""Build fastreg's Cython extensions.

All extensions are listed once, as data, and compiled by a single ``cythonize`` call with the
compiler directives set here and nowhere else.  ``FASTREG_DEBUG=1`` builds with bounds and
wraparound checks on (and without optimisation), for the test run that guards the kernels against
out-of-bounds reads.
"""
import glob
import os
import sys

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

DEBUG = os.environ.get("FASTREG_DEBUG", "0").strip() not in ("", "0")

# Every compiled module of the package: one .pyx each, same flags for all.
MODULES = ["fastreg._blas", "fastreg._cd_fast"]

if sys.platform == "win32":
    COMPILE_ARGS = ["/Od"] if DEBUG else ["/O2"]
else:
    COMPILE_ARGS = ["-O0", "-g"] if DEBUG else ["-O3"]

DIRECTIVES = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "initializedcheck": DEBUG,
    "cdivision": True,
    "nonecheck": False,
    "embedsignature": True,
}

extensions = [
    Extension(
        name,
        [name.replace(".", "/") + ".pyx"],
        include_dirs=[np.get_include(), "fastreg"],  # fastreg/*.h
        depends=glob.glob("fastreg/*.h"),  # a header edit rebuilds the extensions
        extra_compile_args=COMPILE_ARGS,
        define_macros=[
            ("NPY_NO_DEPRECATED_API", "NPY_1_9_API_VERSION"),
            ("FASTREG_DEBUG", "1" if DEBUG else "0"),
        ],
    )
    for name in MODULES
]

setup(
    ext_modules=cythonize(
        extensions,
        compiler_directives=DIRECTIVES,
        # Generated C goes to one folder per flavour, so a release build never reuses C
        # generated with bounds checks on (or the reverse).
        build_dir="build/cython-debug" if DEBUG else "build/cython-release",
    ),
)

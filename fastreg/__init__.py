"""fastreg: fast drop-in replacements for scikit-learn's regularised linear models.

Lasso and ElasticNet are fitted by compiled coordinate-descent kernels (Cython, nogil, float32 and
float64, dense / sparse CSC / Gram), Ridge in closed form through SciPy's BLAS/LAPACK.  Parameters,
defaults, objectives, fitted attributes, warnings and errors follow scikit-learn's classes of the
same names.
"""
__version__ = "0.1.0"

from ._coordinate_descent import ElasticNet, Lasso
from ._cv import ElasticNetCV, LassoCV
from ._path import enet_path, lasso_path
from ._ridge import Ridge
from ._ridge_cv import RidgeCV

__all__ = [
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "Ridge",
    "RidgeCV",
    "enet_path",
    "lasso_path",
]

"""The BLAS/LAPACK wrapper layer against NumPy, in float32 and float64."""
import os

import numpy as np
import pytest

from fastreg import _blas

DTYPES = [np.float32, np.float64]


def rtol(dtype):
    return 1e-5 if dtype == np.float32 else 1e-12


def test_build_flavour_is_the_expected_one():
    # .ci/run sets FASTREG_EXPECT_DEBUG=1 for its bounds-checked run; make sure it really is one
    expected = os.environ.get("FASTREG_EXPECT_DEBUG", "0") == "1"
    assert _blas.DEBUG_BUILD is expected


@pytest.mark.parametrize("dtype", DTYPES)
def test_level1(dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(37).astype(dtype)
    y = rng.standard_normal(37).astype(dtype)
    np.testing.assert_allclose(_blas.dot(x, y), x @ y, rtol=rtol(dtype) * 10)
    np.testing.assert_allclose(_blas.asum(x), np.abs(x).sum(), rtol=rtol(dtype))
    np.testing.assert_allclose(_blas.nrm2(x), np.linalg.norm(x), rtol=rtol(dtype))
    z = y.copy()
    _blas.axpy(dtype(2.5), x, z)
    np.testing.assert_allclose(z, y + 2.5 * x, rtol=rtol(dtype), atol=rtol(dtype))
    z = x.copy()
    _blas.scal(dtype(-3.0), z)
    np.testing.assert_allclose(z, -3.0 * x, rtol=rtol(dtype))
    z = np.empty_like(x)
    _blas.copy(x, z)
    np.testing.assert_array_equal(z, x)
    with pytest.raises(ValueError, match="same length"):
        _blas.dot(x, y[:-1])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("trans", [False, True])
def test_gemv(dtype, trans):
    rng = np.random.default_rng(1)
    A = np.asfortranarray(rng.standard_normal((7, 5)).astype(dtype))
    x = rng.standard_normal(7 if trans else 5).astype(dtype)
    y = rng.standard_normal(5 if trans else 7).astype(dtype)
    expected = 2.0 * (A.T if trans else A) @ x + 0.5 * y
    _blas.gemv(trans, dtype(2.0), A, x, dtype(0.5), y)
    np.testing.assert_allclose(y, expected, rtol=rtol(dtype) * 10, atol=rtol(dtype) * 10)
    with pytest.raises(ValueError, match="shapes"):
        _blas.gemv(trans, dtype(1.0), A, x[:-1], dtype(0.0), y)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("trans", [False, True])
def test_syrk_potrf_potrs(dtype, trans):
    rng = np.random.default_rng(2)
    A = np.asfortranarray(rng.standard_normal((30, 6)).astype(dtype))
    if not trans:
        A = np.asfortranarray(A.T)  # 6 x 30: C = A A^T is 6 x 6
    C = np.zeros((6, 6), dtype=dtype, order="F")
    _blas.syrk_lower(A, trans, C)
    full = A.T @ A if trans else A @ A.T
    np.testing.assert_allclose(np.tril(C), np.tril(full), rtol=rtol(dtype) * 10,
                               atol=rtol(dtype) * 100)
    assert _blas.potrf_lower(C) == 0
    np.testing.assert_allclose(np.tril(C), np.linalg.cholesky(full), rtol=1e-4 if dtype == np.float32 else 1e-10)
    B = np.asfortranarray(rng.standard_normal((6, 3)).astype(dtype))
    X = B.copy(order="F")
    assert _blas.potrs_lower(C, X) == 0
    np.testing.assert_allclose(full @ X, B, rtol=1e-3 if dtype == np.float32 else 1e-9,
                               atol=1e-3 if dtype == np.float32 else 1e-9)


def test_potrf_reports_indefinite():
    A = np.asfortranarray(np.diag([1.0, -1.0]))
    assert _blas.potrf_lower(A) == 2

"""The runnable examples in the public docstrings stay true."""
import doctest
import importlib

import pytest

MODULES = ["fastreg._coordinate_descent", "fastreg._cv", "fastreg._path", "fastreg._ridge",
           "fastreg._ridge_cv"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0

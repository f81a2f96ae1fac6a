"""Smoke test of the asv suite in benchmarks/benchmarks (small profile): every benchmark runs.

asv itself is not needed.  The suite is imported as a package from ``../benchmarks/benchmarks``
(relative to this file), with ``FASTREG_BENCH_PROFILE=small``; each benchmark class is then driven the
way asv drives it, without timing anything: ``setup_cache`` once (in a temporary directory,
asv's cache directory), then for EVERY parameter combination and every ``time_*`` /
``peakmem_*`` / ``track_*`` method a fresh instance, ``setup(cache, *params)`` and one call.
``NotImplementedError`` from ``setup`` means "skipped" as in asv; ``track_*`` values must be
finite numbers.  fastreg is whichever one is importable (the installed package).
"""
import importlib
import importlib.util
import inspect
import itertools
import math
import os
import pkgutil
import re
import sys
from numbers import Real
from pathlib import Path

import pytest

import fastreg

BENCH_DIR = Path(__file__).resolve().parent.parent / "benchmarks" / "benchmarks"
PACKAGE = "fastreg_asv_suite"  # a private name: never clashes with another "benchmarks"
PROFILE_VAR = "FASTREG_BENCH_PROFILE"
# asv's benchmark name patterns (asv_runner.benchmarks.*.name_regex)
BENCH_RE = re.compile(r"^((time|timeraw|peakmem|mem|track)_.+"
                      r"|(Time|Timeraw|PeakMem|Mem|Track)[A-Z_].+)$")


def _load_suite():
    """Import the benchmark package and all its modules under the small profile."""
    old = os.environ.get(PROFILE_VAR)
    os.environ[PROFILE_VAR] = "small"
    try:
        spec = importlib.util.spec_from_file_location(
            PACKAGE, BENCH_DIR / "__init__.py", submodule_search_locations=[str(BENCH_DIR)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        spec.loader.exec_module(package)
        return [importlib.import_module(f"{PACKAGE}.{info.name}")
                for info in pkgutil.iter_modules([str(BENCH_DIR)])]
    finally:
        if old is None:
            os.environ.pop(PROFILE_VAR, None)
        else:
            os.environ[PROFILE_VAR] = old


def _benchmark_classes(modules):
    """Classes asv would discover: public, concrete, defined in the suite, with benchmarks."""
    found = {}
    for module in modules:
        for name, obj in vars(module).items():
            if (name.startswith("_") or not inspect.isclass(obj) or inspect.isabstract(obj)
                    or not obj.__module__.startswith(PACKAGE)):
                continue
            if any(BENCH_RE.match(attr) for attr in dir(obj)):
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = obj
    return found


MODULES = _load_suite()
CLASSES = _benchmark_classes(MODULES)


def _methods(cls):
    return [name for name in dir(cls) if BENCH_RE.match(name) and callable(getattr(cls, name))]


def _combos(cls):
    params = getattr(cls, "params", [])
    if params and not isinstance(params[0], (list, tuple)):
        params = [params]  # asv's single-parameter form
    return list(itertools.product(*params))


def test_profile_is_small():
    common = importlib.import_module(f"{PACKAGE}.common")
    assert common.PROFILE == "small"
    for shape in common.SHAPES:
        n, p, _ = common.shape_dims(shape)
        assert n * p <= 50_000, f"{shape} is too large for the small profile"


def test_every_public_name_is_benchmarked():
    covered = {getattr(cls, "covers", None) for cls in CLASSES.values()}
    public = set(fastreg.__all__) | ({"RidgeCV"} if hasattr(fastreg, "RidgeCV") else set())
    assert public <= covered, f"no benchmark class for {sorted(public - covered)}"
    assert any(getattr(cls, "covers", None) is None and "kernel" in key.lower()
               for key, cls in CLASSES.items()), "no benchmark of the kernels alone"


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_class_is_well_formed(key):
    cls = CLASSES[key]
    params = getattr(cls, "params", [])
    names = getattr(cls, "param_names", [])
    assert len(params) == len(names), f"{key}: {len(params)} params, {len(names)} param_names"
    for values in params:
        reprs = [repr(v) for v in values]
        assert len(set(reprs)) == len(reprs), f"{key}: repeated parameter values {reprs}"
    if hasattr(cls, "setup_cache"):
        # asv keys setup_cache by its defining source line: an inherited one would be run for
        # one class only and its result handed to every class that inherits it
        assert "setup_cache" in vars(cls), f"{key}: define setup_cache in the class itself"
    if "impl" in names:
        assert names[-1] == "impl", f"{key}: impl must be the last parameter (table columns)"


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_every_benchmark_runs(key, tmp_path, monkeypatch):
    cls = CLASSES[key]
    monkeypatch.chdir(tmp_path)  # asv runs setup_cache and benchmarks in a cache directory
    has_cache = hasattr(cls, "setup_cache")
    lead = (cls().setup_cache(),) if has_cache else ()
    methods = _methods(cls)
    assert methods, f"{key}: no benchmark methods"
    ran = skipped = 0
    failures = {}  # (params, what went wrong) -> methods: one line per distinct failure
    for combo in _combos(cls):
        for method in methods:
            bench = cls()
            args = lead + combo
            problem = None
            try:
                if hasattr(bench, "setup"):
                    try:
                        bench.setup(*args)
                    except NotImplementedError:
                        skipped += 1
                        continue
                value = getattr(bench, method)(*args)
                if hasattr(bench, "teardown"):
                    bench.teardown(*args)
            except Exception as exc:  # noqa: BLE001  (collect them all, report below)
                problem = f"raised {type(exc).__name__}: {exc}"
            else:
                ran += 1
                if method.startswith(("track_", "Track")):
                    if not (isinstance(value, Real) and not isinstance(value, bool)
                            and math.isfinite(value)):
                        problem = f"returned {value!r}, not a finite number"
                elif value is not None and not method.startswith(("mem_", "Mem")):
                    problem = f"returned {value!r}"
            if problem:
                failures.setdefault((combo, problem), []).append(method)
    lines = [f"{key}{combo} {', '.join(names)}: {problem}"
             for (combo, problem), names in failures.items()]
    assert not lines, f"{len(lines)} failures:\n" + "\n".join(lines[:40])
    assert ran > 0, f"{key}: every combination was skipped"
    assert skipped <= ran, f"{key}: {skipped} skipped for {ran} run"

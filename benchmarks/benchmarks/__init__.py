"""fastreg's asv benchmark suite (speed, peak memory and accuracy against scikit-learn).

One module per family: ``bench_lasso`` (Lasso, ElasticNet), ``bench_ridge`` (Ridge, RidgeCV when
fastreg has it), ``bench_cv`` (LassoCV, ElasticNetCV), ``bench_path`` (lasso_path, enet_path),
``bench_kernels`` (the Cython kernels alone, and kernel / solver / estimator layers on one
problem), ``bench_env`` (thread settings in force).  ``common`` holds the profile switch
(``FASTREG_BENCH_PROFILE=small|full``), the data builders, the cache and the objectives.
See the README's "Benchmarks" section for the commands.
"""

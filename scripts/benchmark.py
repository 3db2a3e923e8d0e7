"""Time and memory of the steps that matter.  Prints tables; run with `make benchmark`.

Sections (``python scripts/benchmark.py [section ...]``, default all):

* ``panel``  - the threat measure, the panel from raw files and from cached pieces, the peak
  memory of its assembly beside the pd.concat assembly it replaced, and the fast estimation
  frame beside the verb pipeline it replaced for the models
* ``multiverse`` - specifications per second from pieces on disk: a serial loop, the dask
  runner with 1 and 2 workers (and, on 2 workers, with the allocator setting it replaced),
  and peak memory per worker
* ``models`` - model fitting: Table 1, Model 4 by every route (the removed Newton solver,
  statsmodels from zeros and from good starting values, the fast path), the multiverse's
  throughput, and every fit of the book together
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
import types
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def timed(label, fn, repeat=1):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<66} {best:7.3f} s")
    return out


# ======================================================================================
# panel
# ======================================================================================
def panel_section():
    """Threat, panel and estimation frame: from raw files, from the piece cache, and the fast
    estimation frame beside the verb pipeline it replaced for the models."""
    import tempfile

    from coupproof.analysis import estimation_frame
    from coupproof.cache import PieceCache
    from coupproof.panel.build import build_panel
    from coupproof.panel.sample import restrict_sample
    from coupproof.panel.threat import build_threat
    from coupproof.panel.variables import analysis_frame
    from coupproof.params import Choices

    data = Choices().data
    with tempfile.TemporaryDirectory() as tmp:
        cold = PieceCache(tmp)
        timed("threat measure 1816-2010 from raw files (cold cache)", lambda: build_threat(data, cold))
        timed("panel from raw files, every piece built (cold cache)",
              lambda: build_panel(data, cache=PieceCache(Path(tmp) / "panel")))
        warm_dir = Path(tmp) / "panel"
        timed("panel from the pieces on disk (hash-checked)",
              lambda: build_panel(data, cache=PieceCache(warm_dir)), repeat=3)
        mem = PieceCache(warm_dir)
        build_panel(data, cache=mem)
        timed("panel from the pieces in memory", lambda: build_panel(data, cache=mem), repeat=3)
        panel_memory(lambda: build_panel(data, cache=mem))
    choices = Choices()
    estimation_frame(choices)
    timed("estimation frame: verb pipeline, then restrict (replaced)",
          lambda: analysis_frame(restrict_sample(build_panel(data), choices.sample)), repeat=3)
    timed("estimation frame: filter first, then take columns (used)",
          lambda: estimation_frame(choices), repeat=3)
    frame = estimation_frame(choices)
    arrays = {c: frame[c].to_numpy().copy() for c in frame.columns}
    timed("frame from its column arrays, consolidated into blocks (replaced)",
          lambda: pd.DataFrame(arrays), repeat=5)
    timed("frame from its column arrays, copy=False (used)",
          lambda: pd.DataFrame(arrays, copy=False), repeat=5)


def panel_memory(build) -> None:
    """Peak memory (tracemalloc) of a panel build: verbs adding columns with pd.concat(axis=1),
    which consolidates the float columns into one new block (replaced), and with
    with_columns, which copies nothing (used)."""
    import tracemalloc

    import coupproof.panel.build
    import coupproof.panel.concessions
    import coupproof.panel.dyads
    import coupproof.panel.transforms

    def concat(frame, new):
        new = new.copy(deep=False)
        new.index = frame.index
        rest = frame.drop(columns=[c for c in new.columns if c in frame.columns])
        return pd.concat([rest, new], axis=1, copy=False)

    modules = [coupproof.panel.build, coupproof.panel.concessions, coupproof.panel.dyads,
               coupproof.panel.transforms]
    used = coupproof.panel.transforms.with_columns
    for label, fn in (("pd.concat(axis=1) (replaced)", concat), ("with_columns (used)", used)):
        for m in modules:
            m.with_columns = fn
        try:
            tracemalloc.start()
            panel = build()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        finally:
            for m in modules:
                m.with_columns = used
        size = panel.memory_usage(index=False).sum()
        del panel
        print(f"{'panel assembly, peak memory: ' + label:<66} {peak / 1e9:7.2f} GB"
              f" (the panel itself {size / 1e9:.2f} GB)")


# ======================================================================================
# multiverse
# ======================================================================================
def _peak_mb() -> float:
    """This process's peak resident memory in MB (VmHWM: the high-water mark of its own
    address space; getrusage's maxrss can report a parent's peak in spawned children)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _set_malloc(values: dict) -> None:
    from coupproof.multiverse import runner

    runner.MALLOC = values


def multiverse_section(n: int = 96):
    """Throughput of the multiverse with its pieces on disk (not yet in memory): a serial loop
    in this process, and the dask runner with 1 and 2 workers (on 2 workers also with the
    allocator setting replaced); peak memory per worker."""
    import tempfile

    from coupproof.cache import CACHE
    from coupproof.multiverse import runner, space
    from coupproof.multiverse.evaluate import evaluate
    from coupproof.multiverse.runner import close, connect, run
    from coupproof.multiverse.store import ResultStore

    specs = space.sample(n, seed=99)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for c in specs:  # warm the piece cache on disk (and this process's imports)
            evaluate(c)
        CACHE.clear_memory()   # then read the pieces from disk, as a fresh worker does
        t0 = time.perf_counter()
        for c in specs:
            evaluate(c)
        serial = time.perf_counter() - t0
    print(f"  {'serial loop in one process (the alternative)':<62} {n / serial:6.2f} specs/s")
    used = dict(runner.MALLOC)
    # the allocator settings replaced: a 1 GB trim threshold with the mmap threshold stuck at
    # 128 kB (the earlier mallopt call asked for 1 GB, above glibc's ceiling, and was ignored)
    replaced = {"MALLOC_TRIM_THRESHOLD_": 1 << 30, "MALLOC_MMAP_THRESHOLD_": 128 << 10}
    for workers, malloc, label in ((2, replaced, "mmap threshold 128 kB (replaced)"),
                                   (1, used, "mmap threshold 32 MB (used)"),
                                   (2, used, "mmap threshold 32 MB (used)")):
        runner.MALLOC = malloc
        client = connect(None, workers)
        client.run(_set_malloc, malloc)   # what each worker's first task applies
        try:
            run(specs[:2], ResultStore(tempfile.mkdtemp()), client=client, progress=False)  # start-up
            t0 = time.perf_counter()
            run(specs, ResultStore(tempfile.mkdtemp()), client=client, progress=False)
            dt = time.perf_counter() - t0
            rss = client.run(_peak_mb)
        finally:
            close(client)
            runner.MALLOC = used
        print(f"  {f'dask runner, {workers} worker(s), warm cache, {label}':<62} {n / dt:6.2f} specs/s"
              f"   peak RSS per worker {max(rss.values()):.0f} MB")


# ======================================================================================
# model fitting
# ======================================================================================
def runs(fn, repeat=7):
    """Median and minimum seconds of ``repeat`` calls (after one warm-up call), and the last result."""
    out = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), out


def row(label, median, best, note=""):
    print(f"  {label:<62} {median:7.3f} s  (min {best:6.3f})  {note}")


def removed_solver():
    """The Newton solver this book used before statsmodels, loaded from the last commit that had it."""
    path = "src/coupproof/models/newton.py"
    try:
        rev = subprocess.run(["git", "log", "-1", "--format=%H", "-S", "def newton_ml", "--", path],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        source = subprocess.run(["git", "show", f"{rev}^:{path}"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, None
    module = types.ModuleType("removed_newton")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, f"{rev[:7]}^:{path}", "exec"), module.__dict__)
    return module, rev[:7]


def models_section():
    import pandas as pd
    import statsmodels.api as sm
    from threadpoolctl import threadpool_limits

    from coupproof.analysis import estimation_frame
    from coupproof.models.design import build_design
    from coupproof.models.interaction import interaction_rows, second_difference_arrays
    from coupproof.models.clustered import cluster_codes, cluster_cov, with_r_cluster_cov
    from coupproof.models.logit import case_control_start, fit_logit_arrays, logit
    from coupproof.models.specs import TABLE1

    warnings.simplefilter("ignore", PendingDeprecationWarning)
    print("\nModel fitting")
    frame = estimation_frame()
    groups_all = frame["dyad_undirected"].to_numpy()
    d4 = build_design(frame, "def", TABLE1[4])
    y, X, names = d4.y, d4.X, d4.terms
    groups = d4.align(groups_all)
    codes, G = cluster_codes(groups)
    k = X.shape[1]
    print(f"  Table 1, Model 4: {d4.nobs:,} rows x {k} columns, {int(y.sum())} events, {G:,} clusters;"
          " clustered (R's vcovCL) covariance in every row")

    # a variant specification: the same model on the sample from 1966 (a multiverse-like change)
    dv = build_design(frame, "def", TABLE1[4], rows=(frame["year"] >= 1966).to_numpy())
    yv, Xv = dv.y, dv.X
    cv, Gv = cluster_codes(dv.align(groups_all))
    default = fit_logit_arrays(y, X, cluster_codes=codes, n_clusters=G)
    nested = fit_logit_arrays(*(lambda d: (d.y, d.X))(build_design(frame, "def", TABLE1[3])))
    nested_start = pd.Series(0.0, index=names)
    nested_start[TABLE1[3]] = nested.params
    nested_start = nested_start.to_numpy()

    print("\n  Table 1, Model 4 (seconds; median of 7 after a warm-up)")
    old, rev = removed_solver()
    t_old = None
    if old is not None:
        def old_fit():
            f = old.newton_ml(y, X, old.LOGIT, names=names)
            return cluster_cov(X, f.d1, f.cov, groups)
        t_old, b, _ = runs(old_fit)
        row(f"removed Newton solver (from {rev}^) + vcovCL", t_old, b)
    else:
        print("  (removed solver not available: no git history)")

    def sm_fit(start, check_rank=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = sm.Logit(y, X, check_rank=check_rank)
            f = m.fit(method="newton", disp=0, start_params=start, maxiter=100)
        return with_r_cluster_cov(f, groups), f.mle_retvals["iterations"]

    cc = case_control_start(y, X)
    cases = [
        ("statsmodels Logit.fit(newton) from zeros", lambda: sm_fit(np.zeros(k))),
        ("statsmodels, from the case-control start", lambda: sm_fit(cc)),
        ("statsmodels, from nested Model 3's estimates", lambda: sm_fit(nested_start)),
        ("statsmodels, from Model 4's own estimates (0 steps needed)", lambda: sm_fit(default.params)),
        ("  the same, check_rank=False", lambda: sm_fit(default.params, check_rank=False)),
    ]
    for label, fn in cases:
        try:
            med, best, (res, its) = runs(fn)
        except Exception as err:  # statsmodels' Newton has no step control
            print(f"  {label:<62} fails: {type(err).__name__}: {err} (no step control)")
            continue
        row(label, med, best, f"{its} Newton iterations")
    _, _, (ref_fit, _) = runs(lambda: sm_fit(np.zeros(k)), repeat=1)

    t_pkg, b, res = runs(lambda: logit(d4, cov="cluster", groups=groups_all))
    row("package: logit(design, cov='cluster') = lean Newton + statsmodels results", t_pkg, b,
        f"{res.info['iterations']} Newton iterations, start {res.info['start']}")
    err = max(float(np.max(np.abs(res.params.to_numpy() - np.asarray(ref_fit.params)))),
              float(np.max(np.abs(res.bse.to_numpy() / np.asarray(ref_fit.bse) - 1))))
    print(f"  {'':<62} largest difference from statsmodels: {err:.1e} (coefficients; relative, SEs)")
    med, b, f = runs(lambda: fit_logit_arrays(y, X, cluster_codes=codes, n_clusters=G))
    row("fit_logit_arrays, default (case-control) start", med, b, f"{f.iterations} iterations")
    med, b, _ = runs(lambda: default.to_results(names, y, X))
    row("LeanLogit.to_results (statsmodels LogitResults, cluster cov)", med, b)

    print("\n  One Newton pass (log-likelihood, score, information) at Model 4's estimates, one BLAS thread")
    from coupproof.models.logit import _logit_pass, block_rows

    def row_major_pass(y, X, beta, resid):  # the pass this project used before column-major designs
        n, kk = X.shape
        llf, g, H = 0.0, np.zeros(kk), np.zeros((kk, kk))
        step = block_rows(kk)
        for s in range(0, n, step):
            Xb, yb = X[s:s + step], y[s:s + step]
            eta = Xb @ beta
            ex = np.exp(eta)
            p = ex / (1.0 + ex)
            llf += float(yb @ eta - np.log1p(ex).sum())
            r = np.subtract(yb, p, out=resid[s:s + step])
            g += r @ Xb
            H += (Xb * (p * (1.0 - p))[:, None]).T @ Xb
        return llf, g, H

    resid = np.empty(len(y))
    XC = np.ascontiguousarray(X)
    with threadpool_limits(1):
        t_rm, b, ref = runs(lambda: row_major_pass(y, XC, default.params, resid), repeat=15)
        row("row-major design, row blocks (the alternative)", t_rm, b)
        XF = np.asfortranarray(X)
        logit_module = sys.modules["coupproof.models.logit"]
        rule = logit_module.block_rows
        logit_module.block_rows = lambda kk: int(np.clip(65536 * 4 // (kk * kk), 256, 4096))
        try:
            t_old_rows, b, _ = runs(lambda: _logit_pass(y, XF, default.params, resid), repeat=15)
        finally:
            logit_module.block_rows = rule
        row(f"column-major, blocks of 262,144/k^2 rows ({int(np.clip(262144 // (k * k), 256, 4096)):,}; "
            "the rule replaced)", t_old_rows, b)
        t_cm, b, new = runs(lambda: _logit_pass(y, XF, default.params, resid), repeat=15)
        row(f"column-major, blocks of {block_rows(k):,} rows (the package)", t_cm, b,
            f"largest difference in the information {np.max(np.abs(new[2] - ref[2]) / np.abs(ref[2]).max()):.0e}")

    print("\n  Warm starts: Model 4 on the sample from 1966, started from the default's estimates")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mv = sm.Logit(yv, Xv, check_rank=False)
        med, b, fv = runs(lambda: mv.fit(method="newton", disp=0, start_params=default.params))
    row("statsmodels Logit.fit(newton), model built once", med, b, f"{fv.mle_retvals['iterations']} iterations")
    with threadpool_limits(1):
        med, b, lv = runs(lambda: fit_logit_arrays(yv, Xv, start=default.params, cluster_codes=cv, n_clusters=Gv))
        row("fit_logit_arrays, one BLAS thread (the multiverse's path)", med, b, f"{lv.iterations} iterations")
        t_warm = med
        med, b, _ = runs(lambda: fit_logit_arrays(yv, Xv, start=default.params, cluster_codes=cv, n_clusters=Gv,
                                                  check=False))
        row("  the same without the pre-fit separation check", med, b)

        # one multiverse specification: Models 2 and 4 and the second difference of each
        d2v = build_design(frame, "def", TABLE1[2], rows=(frame["year"] >= 1966).to_numpy())
        start2 = fit_logit_arrays(*(lambda d: (d.y, d.X))(build_design(frame, "def", TABLE1[2]))).params
        prof = {"threatA": 0.1, "threatB": 0.27, "shared_def": 1.0, "regime_diff": 7.0,
                "recent_coupA": 0.0, "new_regimeA": 0.0, "militaryA": 0.0}

        def spec():
            out = []
            for d, start, mod in ((d2v, start2, "threatA"), (dv, default.params, "threatB")):
                f = fit_logit_arrays(d.y, d.X, start=start, cluster_codes=cv, n_clusters=Gv)
                rows = interaction_rows(d.terms, "cb", mod, (0.0, 1.28), (0.0, 0.5),
                                        profile={c: v for c, v in prof.items() if c != mod})
                out.append(second_difference_arrays(f.params, f.cov_cluster, *rows))
            return out

        med, b, _ = runs(spec)
    row("one multiverse specification (2 fits + 2 second differences)", med, b,
        f"{1 / med:.1f} specifications per second per worker")

    print("\n  Targets: Model 4 clustered <= 0.3 s"
          + (f" (removed solver {t_old:.3f} s)" if t_old else "")
          + f": package {t_pkg:.3f} s; lean warm fit <= 0.1 s: {t_warm:.3f} s")
    book_fits(frame)


def book_fits(frame):
    """Every fit the chapters make, on the default frame, timed together."""
    from coupproof.models.design import build_design
    from coupproof.models.firth import firth
    from coupproof.models.heckit import heckit
    from coupproof.models.hurdle import hurdle
    from coupproof.models.interaction import binned_effects, probability_effect, second_difference
    from coupproof.models.fixed_effects import absorb_years
    from coupproof.models.logit import logit
    from coupproof.models.relogit import relogit
    from coupproof.models.specs import TABLE1, formation

    groups = frame["dyad_undirected"].to_numpy()
    directed = frame["dyad_directed"].to_numpy()
    pair = {"A": formation(moderator="threatA", other="threatB"), "B": formation(moderator="threatB", other="threatA")}
    counts = {}

    def fits_logit(specs, g=groups, years=False):
        out = []
        for terms in specs:
            d = build_design(frame, "def", list(terms))
            if years:
                d, _ = absorb_years(d, frame["year"])
            out.append(logit(d, cov="cluster", groups=g))
        return out

    def hurdles(times=1):
        for _ in range(times):
            for dv, terms in (("concessionsA", pair["A"]), ("concessionsB", pair["B"])):
                zeros = frame.assign(**{dv: frame[dv].fillna(0)})
                hurdle(build_design(zeros, dv, terms))

    def heckits():
        for dv, mod in (("concessionsA", "threatA"), ("concessionsB", "threatB")):
            sel = ["cb", "threatA", "threatB", f"cb:{mod}", "shared_def", "regime_diff", "recent_coupA",
                   "new_regimeA", "militaryA", "const"]
            heckit(frame, "def", sel, dv, [t for t in sel if t != "new_regimeA"])
            heckit(frame, "def", sel, dv, ["cb", "threatA", "threatB", f"cb:{mod}", "const"])

    def probability_scale():
        fits = fits_logit([TABLE1[2], TABLE1[4]])
        for f, mod in zip(fits, ("threatA", "threatB")):
            probability_effect(f, "cb", mod, np.linspace(0, 0.7, 50))
            second_difference(f, "cb", mod, var_levels=(0.0, 1.28), moderator_levels=(0.0, 0.5))
            binned_effects(f, "cb", mod)

    extra = lambda *e: [formation(moderator="threatA", other="threatB", extra=list(e)),
                        formation(moderator="threatB", other="threatA", extra=list(e))]
    with_cb = lambda cb: [formation(cb=cb, moderator="threatA", other="threatB"),
                          formation(cb=cb, moderator="threatB", other="threatA")]
    t14 = [["cb", f"{m}A", f"{m}B", f"cb:{m}{s}", "shared_def", "regime_diff", "recent_coupA", "new_regimeA",
            "militaryA", "const"] for m in ("mid", "rivals") for s in ("A", "B")]
    steps = [
        ("Table 1 (4 logits) + clustering comparison (2)", lambda: (fits_logit(TABLE1.values()),
                                                                    fits_logit([TABLE1[2]], g=directed),
                                                                    fits_logit([TABLE1[2]]))),
        ("Tables 2 and 12 (2 hurdles) + 4 concession lists (8)", lambda: hurdles(1 + 4)),
        ("Table 4 (2 logits with year effects)", lambda: fits_logit(pair.values(), years=True)),
        ("Table 5 (2 rare-events logits) + Firth column (2)",
         lambda: [(relogit(build_design(frame, "def", t)), firth(build_design(frame, "def", t))) for t in pair.values()]),
        ("Tables 6-9 and 13 (10 logits)", lambda: (fits_logit(extra("joint_dem")), fits_logit(with_cb("cb_count")),
                                                   fits_logit(with_cb("new_cw")), fits_logit(pair.values()),
                                                   fits_logit(extra("d_milexA", "d_milperA")))),
        ("Tables 10 and 11 (4 Heckman two-steps)", heckits),
        ("Table 14 (4 logits)", lambda: fits_logit(t14)),
        ("Sensitivity chapter (11 variants x 2 logits)", lambda: [fits_logit([TABLE1[2], TABLE1[4]]) for _ in range(11)]),
        ("Probability scale: effects, second differences, bins (2 models)", probability_scale),
    ]
    print("\n  Every fit of the book (on the default frame; fits the chapters run on other frames of the same")
    print("  size - Tables 6 and 9, the concession lists, the sensitivity variants - are timed on this one)")
    total = 0.0
    for label, fn in steps:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
        dt = time.perf_counter() - t0
        total += dt
        counts[label] = dt
        print(f"  {label:<62} {dt:7.2f} s")
    print(f"  {'all fits together (target <= 30 s)':<62} {total:7.2f} s")


SECTIONS = {"panel": panel_section, "models": models_section, "multiverse": multiverse_section}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SECTIONS)
    for name in chosen:
        SECTIONS[name]()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(f"\n{'peak memory (resident)':<55} {peak:7.2f} GB")

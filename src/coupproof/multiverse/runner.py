"""Run specifications on dask.distributed: a local cluster by default, any cluster on request.

::

    records = run(space.sample(512, seed=2023), ResultStore("results/multiverse"))

With no ``scheduler`` the run starts a :class:`distributed.LocalCluster` sized to the machine
(one single-threaded worker process per core); with ``scheduler="tcp://host:8786"`` the same
run goes to an existing Dask cluster.  Every worker evaluates a specification and writes its
record to the store itself, so a run that is killed keeps everything that finished; a rerun
skips the keys already stored.  Workers read the raw data and the piece cache from the paths
given here (``COUPPROOF_DATA_DIR`` / ``COUPPROOF_CACHE_DIR`` of the submitting process), so on
a cluster those paths must be visible to every worker (a shared file system).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

import pandas as pd

from coupproof import config
from coupproof.multiverse.store import ResultStore
from coupproof.params import Choices


class SchedulerError(RuntimeError):
    """The Dask scheduler named by the user cannot be reached."""


#: The default task: one record per specification (:func:`coupproof.multiverse.evaluate.evaluate`).
EVALUATE = "coupproof.multiverse.evaluate:evaluate"


#: glibc's allocator settings for worker processes: keep up to 1 GB of freed memory for reuse
#: (``M_TRIM_THRESHOLD``) and serve arrays up to 32 MB, glibc's ceiling, from that memory
#: (``M_MMAP_THRESHOLD``).  Dask's nanny starts workers with a 64 kB trim threshold, which
#: also freezes the mmap threshold at 128 kB: every array of a specification (a few MB each)
#: was then mapped afresh and page-faulted in, and freed back at once (measured on two
#: workers: 3.7 specifications per second with the 128 kB threshold, 8.2 with 32 MB;
#: ``scripts/benchmark.py``, multiverse section).
MALLOC = {"MALLOC_TRIM_THRESHOLD_": 1 << 30, "MALLOC_MMAP_THRESHOLD_": 32 << 20}


def _keep_memory() -> None:
    """:data:`MALLOC` in a running worker (for clusters started elsewhere; a local cluster
    gets it through the environment).  Linux/glibc only; elsewhere a no-op."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, MALLOC["MALLOC_TRIM_THRESHOLD_"])  # M_TRIM_THRESHOLD
        libc.mallopt(-3, MALLOC["MALLOC_MMAP_THRESHOLD_"])  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


_TUNED = False


def _task(flat: dict, store_root: str, code: str, data_dir: str, cache_dir: str, task: str,
          kwargs: dict) -> int:
    """What a worker runs: one specification through ``task`` ("module:function"), stored."""
    import importlib
    import warnings

    global _TUNED
    if not _TUNED:
        _keep_memory()
        _TUNED = True
    os.environ["COUPPROOF_DATA_DIR"] = data_dir
    os.environ["COUPPROOF_CACHE_DIR"] = cache_dir
    module, _, name = task.partition(":")
    fn = getattr(importlib.import_module(module), name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ill-conditioning warnings are recorded, not printed
        out = fn(Choices.from_overrides(flat), **kwargs)
    ResultStore(store_root, code).write(out)
    return len(out) if isinstance(out, pd.DataFrame) else 1


def connect(scheduler: str | None = None, workers: int | None = None, timeout: float = 10.0):
    """A :class:`distributed.Client`: to ``scheduler`` if given, else to a new local cluster
    of ``workers`` single-threaded processes (default: one per core)."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=f"{timeout}s")
        except (OSError, TimeoutError) as err:
            raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler!r} within "
                                 f"{timeout:g} s ({type(err).__name__}: {err}); start one "
                                 "(`dask scheduler`) or run without --scheduler for a local "
                                 "cluster") from None
    import dask

    n = workers or os.cpu_count() or 1
    environ = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **MALLOC}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
    return Client(cluster)


def _quiet_workers() -> None:
    """Run in each worker just before a local cluster closes: the scheduler goes first, so a
    worker's next heartbeat fails and logs a traceback that is shutdown noise, not an error."""
    import logging

    logging.getLogger("distributed").setLevel(logging.CRITICAL)


def close(client) -> None:
    """Close ``client`` and, if it started one, its local cluster (quietly: see
    :func:`_quiet_workers`).  A remote cluster is left running and its workers untouched."""
    cluster = client.cluster
    if cluster is not None:
        try:
            client.run(_quiet_workers)
        except Exception:  # a worker already gone: nothing to quiet
            pass
    client.close()
    if cluster is not None:
        cluster.close()


def run(specs: Sequence[Choices], store: ResultStore, *, scheduler: str | None = None,
        workers: int | None = None, distance: str | None = None, progress: bool = True,
        client=None, task: str = EVALUATE, task_kwargs: dict | None = None) -> pd.DataFrame:
    """Run ``task`` (default: :func:`~coupproof.multiverse.evaluate.evaluate`) on every
    specification of ``specs`` not yet in ``store``; return the stored rows of all of
    ``specs`` (earlier ones included), in the order given."""
    kwargs = dict(task_kwargs or {})
    if task == EVALUATE:
        kwargs.setdefault("distance", distance)
    from distributed import as_completed

    store.clean()
    keys = [c.key() for c in specs]
    done = store.done()
    todo = [c for c, k in zip(specs, keys) if k not in done]
    if todo:
        own = client is None
        client = client or connect(scheduler, workers)
        try:
            data_dir, cache_dir = str(config.data_dir()), str(config.cache_dir())
            futures = client.map(_task, [c.flat() for c in todo], pure=False,
                                 store_root=str(store.base), code=store.code, data_dir=data_dir,
                                 cache_dir=cache_dir, task=task, kwargs=kwargs)
            bar = _progress(len(futures), len(done & set(keys)), progress)
            for future in as_completed(futures):
                future.result()  # re-raises a worker's error here, naming the task
                bar.update(1)
            bar.close()
        finally:
            if own:
                close(client)
    records = store.read(keys)
    if records.empty:
        return records
    order = {k: i for i, k in enumerate(keys)}
    return (records.assign(_order=records["key"].map(order)).sort_values("_order", kind="stable")
            .drop(columns="_order").reset_index(drop=True))


def _progress(total: int, skipped: int, enabled: bool):
    from tqdm import tqdm

    desc = f"specifications ({skipped} already done)" if skipped else "specifications"
    return tqdm(total=total, desc=desc, unit="spec", disable=not enabled, file=sys.stderr,
                smoothing=0.1)


def timed_run(specs: Sequence[Choices], store: ResultStore, **kw) -> tuple[pd.DataFrame, float]:
    t0 = time.perf_counter()
    out = run(specs, store, **kw)
    return out, time.perf_counter() - t0

"""Command line of the multiverse runner.

    python -m coupproof.multiverse --size                     # how big is the space?
    python -m coupproof.multiverse -n 512 --seed 2023         # a seeded sample, local cluster
    python -m coupproof.multiverse --design neighbours        # one choice at a time
    python -m coupproof.multiverse -n 5000 --scheduler tcp://host:8786
    python -m coupproof.multiverse -n 512 --fix cluster=directed --vary s_coding,max_conttype

Every argument is checked (choice names, values, the scheduler) before any data is read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from coupproof import config
from coupproof.multiverse import DISTANCE
from coupproof.multiverse import space as S
from coupproof.multiverse.runner import SchedulerError, connect, run
from coupproof.multiverse.store import ResultStore
from coupproof.params import ChoiceError, Choices, unknown_names_message

DESIGNS = ("sample", "full", "neighbours")


def default_store() -> Path:
    return config.results_dir() / "multiverse"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m coupproof.multiverse",
                                description="Run specifications of the multiverse of constructions.")
    p.add_argument("--design", choices=DESIGNS, default="sample",
                   help="a seeded random sample (default), the full factorial space, or the "
                        "one-at-a-time neighbours of the book's default")
    p.add_argument("-n", "--n", type=int, default=512, help="specifications to sample (default 512)")
    p.add_argument("--seed", type=int, default=2023, help="seed of the sample (default 2023)")
    p.add_argument("--vary", default=None,
                   help="comma-separated choices to vary (default: every choice of the space)")
    p.add_argument("--fix", action="append", default=[], metavar="NAME=VALUE",
                   help="hold a choice at a value in every specification (repeatable)")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: cores)")
    p.add_argument("--scheduler", default=None, help="address of an existing Dask scheduler")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds to keep trying to reach --scheduler (default 10)")
    p.add_argument("--store", type=Path, default=None, help="results folder (default results/multiverse)")
    p.add_argument("--no-distance", action="store_true",
                   help="do not record the distance to the published record (calibration)")
    p.add_argument("--size", action="store_true", help="print the size of the space and stop")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def parse_fixed(items: list[str]) -> dict:
    """``["cluster=directed", "polity_max=5"]`` -> validated ``{name: value}`` (YAML values)."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise ChoiceError(f"--fix expects NAME=VALUE, got {item!r}")
        out[name.strip()] = yaml.safe_load(value)
    Choices.check_names(out)
    Choices.from_overrides(out)  # values checked against their types
    return out


def build_space(vary: str | None, fixed: dict) -> tuple[S.Dimension, ...]:
    dims = S.SPACE
    if vary:
        names = [n.strip() for n in vary.split(",") if n.strip()]
        unknown = [n for n in names if n not in S.BY_NAME]
        if unknown:
            raise ChoiceError("--vary: " + unknown_names_message(unknown, list(S.BY_NAME)))
        dims = tuple(S.BY_NAME[n] for n in names)
    return tuple(d for d in dims if d.name not in fixed)


def specifications(design: str, n: int, seed: int, dims, fixed: dict) -> list[Choices]:
    if design == "sample":
        specs = S.sample(min(n, S.size(dims)), seed, dims)
    elif design == "full":
        specs = list(S.full(dims))
    else:
        specs = S.neighbours(dims)
    if fixed:
        specs = list({c.key(): c for c in (c.replace(**fixed) for c in specs)}.values())
    return specs


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        fixed = parse_fixed(args.fix)
        dims = build_space(args.vary, fixed)
        S.check_space(dims)
        total = S.size(dims)
        print(f"space: {len(dims)} choices, {total:,} specifications in the full factorial space")
        if args.size:
            return 0
        if args.design == "full" and total > 100_000:
            raise ChoiceError(f"the full space has {total:,} specifications; use --design sample "
                              "-n N, or --vary fewer choices")
        specs = specifications(args.design, args.n, args.seed, dims, fixed)
        client = (connect(args.scheduler, args.workers, timeout=args.timeout) if args.scheduler
                  else None)
    except (ChoiceError, SchedulerError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    store = ResultStore(args.store or default_store())
    print(f"{len(specs):,} specifications ({args.design}); results in {store.root}")
    records = run(specs, store, workers=args.workers, client=client, progress=not args.no_progress,
                  distance=None if args.no_distance else DISTANCE)
    ok = records[records["status"] == "ok"] if len(records) else records
    print(f"{len(records):,} specifications stored, {len(ok):,} with estimates")
    if client is not None:
        client.close()
    return 0

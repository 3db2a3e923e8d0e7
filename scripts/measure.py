"""Run a command and report its wall time and memory: the peak resident memory of the largest
single process it started (what ``/usr/bin/time -v`` calls "Maximum resident set size") and the
peak of the sum over all its processes running at once (two notebook kernels, say).

Memory is sampled every ``--interval`` seconds with psutil, so a peak shorter than that can be
missed.  Used for the README's runtime table::

    python scripts/measure.py -- make book
    python scripts/measure.py --json timings.json -- make test
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import psutil


def tree_rss(root: psutil.Process) -> tuple[int, int]:
    """(sum, largest) resident memory in bytes of ``root`` and all its descendants now."""
    sizes = []
    for proc in [root, *root.children(recursive=True)]:
        try:
            sizes.append(proc.memory_info().rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return sum(sizes), max(sizes, default=0)


def measure(command: list[str], interval: float = 0.25) -> dict:
    t0 = time.perf_counter()
    child = subprocess.Popen(command)
    root = psutil.Process(child.pid)
    peak_total = peak_single = 0
    while child.poll() is None:
        try:
            total, single = tree_rss(root)
        except psutil.NoSuchProcess:
            break
        peak_total, peak_single = max(peak_total, total), max(peak_single, single)
        time.sleep(interval)
    returncode = child.wait()
    return {"command": " ".join(command), "returncode": returncode,
            "seconds": round(time.perf_counter() - t0, 1),
            "peak_total_gb": round(peak_total / 1e9, 2),
            "peak_single_process_gb": round(peak_single / 1e9, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--interval", type=float, default=0.25, help="seconds between samples")
    ap.add_argument("--json", help="also append the result as a JSON line to this file")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = ap.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("give a command after --")
    result = measure(command, args.interval)
    print(f">>> {result['command']}: {result['seconds']} s, peak memory "
          f"{result['peak_total_gb']} GB in all processes together, "
          f"{result['peak_single_process_gb']} GB in the largest one "
          f"(exit status {result['returncode']})", file=sys.stderr)
    if args.json:
        with open(args.json, "a") as fh:
            fh.write(json.dumps(result) + "\n")
    return result["returncode"]


if __name__ == "__main__":
    raise SystemExit(main())

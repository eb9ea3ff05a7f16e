"""Entry point of `make bench`: run every benchmark module of the package, then list the targets.

Usage: ``python -m bench [NAME ...]`` -- with no names, every module of ``bench`` that defines
``run()``, in name order. The exit code is 0 whether targets pass or fail; read the
PASS/FAIL lines at the end.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time

import bench


def discover() -> list[str]:
    """Names of the benchmark modules: every public module of the package with a ``run()``."""
    names = []
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda info: info.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if callable(getattr(module, "run", None)):
            names.append(info.name)
    return names


def main(argv: list[str] | None = None) -> int:
    available = discover()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all of {available})")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(available))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; available: {available}")
    started = time.perf_counter()
    targets: list[tuple[str, bench.Target]] = []
    for name in args.names or available:
        print(f"=== bench.{name} ===", flush=True)
        module = importlib.import_module(f"bench.{name}")
        targets += [(name, target) for target in module.run()]
        print(flush=True)
    print(f"Total run time: {time.perf_counter() - started:.1f} s")
    failed = sum(not target.passed for _, target in targets)
    print(f"Targets ({len(targets) - failed} of {len(targets)} met):")
    for name, target in targets:
        print(f"  [{name}] {target.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

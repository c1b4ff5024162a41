"""Many inputs at once: worker processes, results in input order.

Workers are forked once and each keeps its own caches (compiled schemas, JSON-LD contexts,
status lists), so per-credential cost is what remains. Injected collaborators (a test's
resolver) cannot cross a process boundary, so they force one process.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Callable

from lerwallet.verify.options import Options

_worker_opts: Options | None = None


def _init(opts: Options) -> None:
    global _worker_opts
    _worker_opts = opts


def _one(env):
    from lerwallet.verify.pipeline import verify_envelope

    return verify_envelope(env, _worker_opts)


BATCH_PYLD = 32  # documents in one run from which loading pyld up front pays off


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def run_all(envelopes: list, opts: Options, *, jobs: int = 1, progress: Callable[[int, int], None] | None = None) -> list:
    from lerwallet.verify.pipeline import verify_envelope

    if opts.at is None:  # one moment for the whole run, the same in every worker and every report
        from datetime import datetime, timezone

        opts = replace(opts, at=datetime.now(timezone.utc).replace(microsecond=0))
    total = len(envelopes)
    if total >= BATCH_PYLD:
        # Many documents: pyld's JSON-LD module (~120 ms to import) with its context caches is
        # faster per document than the fast path's conversion (lerwallet.ld.canon; before any
        # fork, so workers share it). docs/performance.md, "Against the reference verifier".
        from lerwallet.ld import _pyld

        _pyld.processor_class()
    injected = opts.resolver is not None or opts.loader is not None or opts.fetch is not None
    if jobs <= 1 or total < 4 or injected:
        out = []
        for i, env in enumerate(envelopes):
            out.append(verify_envelope(env, opts))
            if progress:
                progress(i + 1, total)
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    clean = replace(opts, resolver=None, loader=None, fetch=None)
    chunk = max(1, min(64, total // (jobs * 4) or 1))
    results = []
    with ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=context, initializer=_init, initargs=(clean,)) as pool:
        for i, report in enumerate(pool.map(_one, envelopes, chunksize=chunk)):
            results.append(report)
            if progress:
                progress(i + 1, total)
    return results

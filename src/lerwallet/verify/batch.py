"""Many inputs at once: worker processes, results in input order.

Workers are forked once and each keeps its own caches (compiled schemas, JSON-LD contexts,
status lists), so per-credential cost is what remains. Injected collaborators (a test's
resolver) cannot cross a process boundary, so they force one process.
"""

from __future__ import annotations

import os
from typing import Callable

from lerwallet.verify.options import Options

_worker_opts: Options | None = None


def _init(opts: Options) -> None:
    global _worker_opts
    _worker_opts = opts


def _one(env):
    from lerwallet.verify.pipeline import verify_envelope

    return verify_envelope(env, _worker_opts)


BATCH_PYLD = 12  # documents in one run from which loading pyld up front pays off (docs/performance.md)


def default_jobs() -> int:
    """The cores this process may use that are not already busy (the 1-minute load average), at
    least 1. A worker only pays off on an idle core: on a busy machine the forked workers compete
    for the same cores and a batch of 200 badges took longer with two than with one
    (docs/performance.md, "Against the reference verifier")."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform
        busy = 0.0
    return max(1, min(cores, round(cores - busy)))


def run_all(envelopes: list, opts: Options, *, jobs: int = 1, progress: Callable[[int, int], None] | None = None) -> list:
    from lerwallet.verify.pipeline import verify_envelope

    if opts.at is None:  # one moment for the whole run, the same in every worker and every report
        from datetime import datetime, timezone

        opts = opts.replace(at=datetime.now(timezone.utc).replace(microsecond=0))
    total = len(envelopes)
    if total >= BATCH_PYLD:
        # Many documents: pyld's JSON-LD module (about 15 ms to import, ld/_pyld.py point 7) with
        # its context caches and the shape templates is faster per document than the fast path's
        # conversion (lerwallet.ld.canon; before any fork, so workers share it): 16 badges took
        # 67 ms of CPU with it, 78 ms without; 8 took the same. docs/performance.md, "Against
        # the reference verifier".
        from lerwallet.ld import _pyld

        _pyld.processor_class()
    injected = opts.resolver is not None or opts.loader is not None or opts.fetch is not None
    if jobs <= 1 or total < 4 or injected:
        out = []
        for i, env in enumerate(envelopes):
            out.append(verify_envelope(env, opts))
            if i + 1 == WARM_HERE and total > WARM_HERE:
                settle()
            if progress:
                progress(i + 1, total)
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # The first documents run here, before the fork: every worker then starts with the modules
    # imported, the bundled contexts processed and, for a batch of one shape, its canonicalization
    # template learnt (a shape is learnt on its second sighting, lerwallet.ld.shapes), instead of
    # each worker paying for all of that itself.
    results = []
    for env in envelopes[:WARM_HERE]:
        results.append(verify_envelope(env, opts))
        if progress:
            progress(len(results), total)
    settle()  # also spares the workers' copy-on-write pages the collector's bookkeeping
    rest = envelopes[WARM_HERE:]
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    clean = opts.replace(resolver=None, loader=None, fetch=None)
    chunk = max(1, min(64, len(rest) // (jobs * 4) or 1))
    with ProcessPoolExecutor(max_workers=min(jobs, len(rest)), mp_context=context, initializer=_init,
                             initargs=(clean,)) as pool:
        for report in pool.map(_one, rest, chunksize=chunk):
            results.append(report)
            if progress:
                progress(len(results), total)
    return results


WARM_HERE = 2  # documents verified before forking workers, or before `settle` (see run_all)


def settle() -> None:
    """Once warm (the first documents verified): what the process holds now is long-lived (the
    imported modules, pyld's processed contexts, the shape templates, compiled schemas), so move
    it out of the cyclic garbage collector's reach (`gc.freeze`). Left tracked, every full
    collection rescans it: about a fifth of a warm badge's time (docs/performance.md). The
    collector stays on for everything made afterwards. Used by a batch (`run_all`), by `serve`
    after its warm-up and by benchmarks/bench_reference.py, the same way."""
    import gc

    gc.freeze()

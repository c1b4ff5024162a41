"""The batch path (verify/batch.py): how many workers by default, and workers that start warm."""

from __future__ import annotations

import json
import os

import pytest

from lerwallet.formats import read_inputs
from lerwallet.ld import shapes
from lerwallet.verify import Options
from lerwallet.verify import batch
from lerwallet.verify.report import to_json
from tests.verify_helpers import Party, badge


@pytest.mark.parametrize(("load", "want"), [(0.0, 2), (0.4, 2), (0.6, 1), (1.7, 1), (6.0, 1)])
def test_default_jobs_counts_the_cores_that_are_not_busy(monkeypatch, load, want):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert batch.default_jobs() == want


def test_default_jobs_without_a_load_average_uses_every_core(monkeypatch):
    def unavailable():
        raise OSError("no load average here")

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(os, "getloadavg", unavailable)
    assert batch.default_jobs() == 4


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    issuer = Party()
    out = tmp_path_factory.mktemp("batch")
    for i in range(batch.BATCH_PYLD + 2):
        doc = issuer.sign(badge(issuer, subject=Party().did, name=f"Badge {i}"))
        (out / f"badge-{i:03d}.json").write_text(json.dumps(doc), "utf-8")
    return out


def _reports(folder, jobs: int) -> dict:
    envelopes = read_inputs([str(folder)])
    reports = batch.run_all(envelopes, Options(), jobs=jobs)
    data = to_json(reports, at="2026-01-01T00:00:00Z", run_at="2026-01-01T00:00:00Z")
    return data


def test_workers_give_the_reports_one_process_gives_in_input_order(folder):
    shapes.clear()
    parallel = _reports(folder, jobs=2)
    # The first inputs ran in this process before the fork: a shape of this batch was learnt here.
    assert shapes._shapes.templates
    shapes.clear()
    serial = _reports(folder, jobs=1)
    assert parallel == serial
    assert [i["source"] for i in parallel["inputs"]] == sorted(str(p) for p in folder.iterdir())
    assert parallel["credentialCounts"]["valid"] == batch.BATCH_PYLD + 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_settles_once_warm_and_keeps_collecting_after(folder, jobs):
    """After the first WARM_HERE documents, what the process holds is frozen (`settle`): not
    rescanned by every full collection; the collector stays on for the rest of the batch."""
    import gc

    envelopes = read_inputs([str(folder)])
    seen = []
    from lerwallet.verify import pipeline

    original = pipeline.verify_envelope

    def watching(env, opts):
        seen.append((gc.get_freeze_count(), gc.isenabled()))
        return original(env, opts)

    gc.unfreeze()
    pipeline.verify_envelope = watching
    try:
        batch.run_all(envelopes, Options(), jobs=jobs)
    finally:
        pipeline.verify_envelope = original
        frozen = gc.get_freeze_count()
        gc.unfreeze()
    assert frozen > 1000
    assert [count for count, _ in seen[:batch.WARM_HERE]] == [0] * batch.WARM_HERE  # warm-up first, then settle
    if jobs == 1:
        assert all(count > 1000 and enabled for count, enabled in seen[batch.WARM_HERE:])

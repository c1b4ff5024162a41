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

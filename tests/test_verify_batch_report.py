"""Issue #10, "What an employer sees in a batch" and "Conformance versus authenticity": the real
console script in a subprocess (exit codes, pipes, stderr), real keys and signatures."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lerwallet.verify import Options, verify_inputs
from tests.verify_helpers import Party, badge, presentation, write

SCRIPT = Path(sys.executable).parent / "lerwallet"
WIDE = {"COLUMNS": "1000"}


def lw(*args, env_extra=None, cwd=None):
    env = {**os.environ, **(env_extra or {})}
    result = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, timeout=120, cwd=cwd)
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result


def piped_to_head(*args) -> int:
    """The exit status of `lerwallet ARGS | head -1`, as the shell sees it."""
    quoted = " ".join(f"'{a}'" for a in args)
    out = subprocess.run(["bash", "-c", f"'{SCRIPT}' {quoted} | head -1 >/dev/null; echo ${{PIPESTATUS[0]}}"],
                         capture_output=True, timeout=300, text=True, env={**os.environ, "COLUMNS": "80"})
    return int(out.stdout.strip())


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def signed(issuer):
    return issuer.sign(badge(issuer, name="Welding"))


def _trust(tmp_path, issuer) -> Path:
    return write(tmp_path / "trust.json", json.dumps({"allow": [issuer.did]}))


# --- every result names its input in full; summary table first; --details ----------------------

def test_summary_table_names_every_file_in_full(tmp_path, signed, issuer):
    folder = tmp_path / "received-from-the-applicant-pool-of-november"
    folder.mkdir()
    names = [("applicant-" + "x" * 60 + f"-{i}.json") for i in range(3)]  # differ only at the very end
    for name in names:
        write(folder / name, signed)
    write(folder / "zz-forged.json", {**signed, "name": "Forged"})
    result = lw("verify", str(folder), env_extra=WIDE)
    out = result.stdout.decode()
    assert result.returncode == 1
    header = next(line for line in out.splitlines() if "file" in line)
    assert re.search(r"file\s+credential\s+issuer\s+verdict\s+first problem", header)
    for name in names:
        assert str(folder / name) in out  # whole, not "…" cut
    forged_row = next(line for line in out.splitlines() if "zz-forged.json" in line)
    assert "NOT VERIFIED" in forged_row and "proof:" in forged_row
    assert "╭" not in out  # panels only with --details
    detailed = lw("verify", str(folder), "--details", env_extra=WIDE).stdout.decode()
    assert detailed.index("first problem") < detailed.index("╭")
    for name in names:
        assert f"File: {folder / name}" in detailed


def test_summary_wraps_long_names_but_keeps_every_character(tmp_path, signed):
    folder = tmp_path / "in"
    folder.mkdir()
    name = "a-long-name-" * 8 + "END.json"
    write(folder / name, signed)
    write(folder / "b.json", signed)
    lines = lw("verify", str(folder), env_extra={"COLUMNS": "80"}).stdout.decode().splitlines()
    width = lines[0].index("credential")  # the file column, wrapped inside its cell
    first_column = "".join(line[:width].strip() for line in lines[2:] if line.strip() and not line.startswith(("VERIFIED", "each")))
    assert str(folder / name) + str(folder / "b.json") in first_column


# --- `verify many/ | head -1` exits 141 ----------------------------------------------------------

@pytest.fixture(scope="module")
def many(tmp_path_factory, signed):
    folder = tmp_path_factory.mktemp("many")
    for i in range(250):  # output (~100 KB at 80 columns) larger than a pipe's buffer on both paths
        write(folder / f"badge-{i:03}.json", signed)
    return folder


@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["terminal", "json"])
def test_reader_leaving_exits_141(many, extra):
    assert piped_to_head("verify", str(many), *extra) == 141


def test_reader_staying_gets_the_verdict_code(many):
    result = lw("verify", str(many), "--json")
    assert result.returncode == 0 and len(json.loads(result.stdout)["inputs"]) == 250


# --- one checkedAt for the whole run, also with --jobs ------------------------------------------

def test_one_checked_at_for_the_whole_run_with_jobs(tmp_path, issuer):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        write(folder / f"c{i}.json", issuer.sign(badge(issuer, validUntil="2025-01-01T00:00:00Z")))
    data = json.loads(lw("verify", str(folder), "--json", "--jobs", "2").stdout)
    at = data["checkedAt"]
    reasons = [c["reason"] for i in data["inputs"] for cred in i["credentials"] for c in cred["checks"] if c["id"] == "expiration"]
    assert len(reasons) == 8
    assert {re.search(r"checked at (\S+?)\)", r).group(1) for r in reasons} == {at}


def test_library_run_uses_one_moment(tmp_path, issuer):
    for i in range(5):
        write(tmp_path / f"c{i}.json", issuer.sign(badge(issuer, validUntil="2025-01-01T00:00:00Z")))
    reports = verify_inputs([str(tmp_path / f"c{i}.json") for i in range(5)], Options(), jobs=1)
    times = {re.search(r"checked at (\S+?)\)", r.credentials[0].check("expiration").reason).group(1) for r in reports}
    assert len(times) == 1


# --- --at with a date alone ---------------------------------------------------------------------

def test_at_date_alone_is_that_days_start_utc(tmp_path, signed):
    cred = write(tmp_path / "c.json", signed)
    data = json.loads(lw("verify", str(cred), "--json", "--at", "2029-01-01").stdout)
    assert data["checkedAt"] == "2029-01-01T00:00:00Z"
    bad = lw("verify", str(cred), "--at", "2029-13-01")
    assert bad.returncode == 2 and bad.stderr.startswith(b"lerwallet: error: --at '2029-13-01' is not an ISO 8601 date")


# --- a missing or unreadable input is one error line --------------------------------------------

def test_missing_input_is_one_error_line_exit_2(tmp_path, signed):
    good = write(tmp_path / "good.json", signed)
    result = lw("verify", str(good), str(tmp_path / "missing.json"), env_extra=WIDE)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.splitlines() == [f"lerwallet: error: cannot read {tmp_path / 'missing.json'}: no such file or folder"]
    out = result.stdout.decode()
    assert "missing.json" not in out and "UNREADABLE" not in out
    assert "VERIFIED: 1 credential(s) in 1 input(s)" in out and "but 1 input(s) could not be read" in out
    alone = lw("verify", str(tmp_path / "missing.json"))
    assert alone.returncode == 2 and alone.stdout == b""
    assert alone.stderr.decode().count("lerwallet: error:") == 1


def test_fifo_named_on_the_command_line_is_one_error_line(tmp_path, signed):
    # Not opened (it would block until a writer comes), and not a result box counted as a
    # credential either: an input that cannot be read, like a missing one.
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    good = write(tmp_path / "good.json", signed)
    fifo = tmp_path / "nobody-writes"
    os.mkfifo(fifo)
    result = lw("verify", str(good), str(fifo), env_extra=WIDE)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"lerwallet: error: cannot read {fifo}: not a regular file (a FIFO, device or socket); pipe its data to stdin with -"]
    out = result.stdout.decode()
    assert "nobody-writes" not in out and "UNREADABLE" not in out
    assert "VERIFIED: 1 credential(s) in 1 input(s)" in out and "but 1 input(s) could not be read" in out


def test_input_that_cannot_be_opened_is_one_error_line(tmp_path, signed):
    good = write(tmp_path / "good.json", signed)
    inside_a_file = good / "inner.json"  # a path through a regular file: the OS refuses it (ENOTDIR)
    result = lw("verify", str(inside_a_file), str(good), "--json")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"lerwallet: error: cannot read {inside_a_file}: cannot read: Not a directory"]
    data = json.loads(result.stdout)  # --json unchanged: the input is still listed, as unreadable
    assert [i["kind"] for i in data["inputs"]] == ["unreadable", "credential"]


def _without_file_override() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the
    capability bounding set, so even root (CI runs as root) is refused a mode-0000 file."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            os._exit(97)


def test_unreadable_input_is_one_error_line(tmp_path, signed):
    locked = write(tmp_path / "locked.json", signed)
    locked.chmod(0)
    if os.geteuid() != 0:
        result = lw("verify", str(locked))
    else:
        result = subprocess.run([str(SCRIPT), "verify", str(locked)], capture_output=True, timeout=120,
                                preexec_fn=_without_file_override)
        if result.returncode == 97:
            pytest.skip("cannot drop CAP_DAC_OVERRIDE here (no CAP_SETPCAP)")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().startswith(f"lerwallet: error: cannot read {locked}: cannot read: Permission denied")


# --- --strict names the warning; conformance warnings -------------------------------------------

def test_strict_verdict_names_the_warning(tmp_path, signed):
    cred = write(tmp_path / "c.json", signed)
    plain = lw("verify", str(cred))
    assert plain.returncode == 0 and "Verdict: VERIFIED" in plain.stdout.decode()
    strict = lw("verify", str(cred), "--strict", env_extra=WIDE)
    assert strict.returncode == 1
    assert "Verdict: NOT VERIFIED under --strict: warning issuer.trust" in strict.stdout.decode()
    folder = tmp_path / "in"
    folder.mkdir()
    for n in "ab":
        write(folder / f"{n}.json", signed)
    table = lw("verify", str(folder), "--strict", env_extra=WIDE).stdout.decode()
    assert "NOT VERIFIED (--strict: warning issuer.trust)" in table


def _nonconforming(issuer) -> dict:
    doc = badge(issuer, name="Welding")
    doc["credentialSubject"]["achievement"]["achievementType"] = "Apprenticeship Certificate"  # no "ext:" prefix
    return issuer.sign(doc)


def test_schema_deviation_is_a_conformance_warning(tmp_path, issuer):
    cred = write(tmp_path / "c.json", _nonconforming(issuer))
    trust = _trust(tmp_path, issuer)
    result = lw("verify", str(cred), "--trust", str(trust), env_extra=WIDE)
    out = result.stdout.decode()
    assert result.returncode == 0, out
    assert "Verdict: VERIFIED, with conformance warnings (schema)" in out
    assert "achievementType" in out
    data = json.loads(lw("verify", str(cred), "--trust", str(trust), "--json").stdout)
    schema = next(c for c in data["inputs"][0]["credentials"][0]["checks"] if c["id"] == "schema")
    assert data["verdict"] == "valid" and schema["outcome"] == "warn"
    assert schema["problem"]["type"] == "urn:lerwallet:problem:schema_invalid"
    strict = lw("verify", str(cred), "--trust", str(trust), "--strict", env_extra=WIDE)
    assert strict.returncode == 1 and "NOT VERIFIED under --strict: warning schema" in strict.stdout.decode()
    html = tmp_path / "r.html"
    assert lw("verify", str(cred), "--trust", str(trust), "--html", str(html)).returncode == 0
    assert "VERIFIED, with conformance warnings (schema)" in html.read_text()


def test_authenticity_and_data_model_still_fail_hard(tmp_path, issuer):
    forged = _nonconforming(issuer)
    forged["credentialSubject"]["achievement"]["name"] = "Surgery"
    assert lw("verify", str(write(tmp_path / "f.json", forged))).returncode == 1
    no_subject = badge(issuer)
    del no_subject["credentialSubject"]
    no_subject = issuer.sign(no_subject)
    [report] = verify_inputs([str(write(tmp_path / "n.json", no_subject))], Options())
    assert report.verdict == "invalid" and report.credentials[0].check("structure").code == "missing_subject"
    bad_date = issuer.sign(badge(issuer, validFrom="yesterday"))
    [report] = verify_inputs([str(write(tmp_path / "d.json", bad_date))], Options())
    assert report.verdict == "invalid" and report.credentials[0].check("structure").outcome == "fail"


# --- expired and status unchecked: both said ----------------------------------------------------

def test_expired_with_unchecked_status_says_both(tmp_path, issuer):
    cred = issuer.sign(badge(issuer, validUntil="2025-01-01T00:00:00Z", credentialStatus={
        "id": "https://status.example.edu/l#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
        "statusListIndex": "5", "statusListCredential": "https://status.example.edu/l"}))
    path = write(tmp_path / "c.json", cred)
    [report] = verify_inputs([str(path)], Options())
    expiration = report.credentials[0].check("expiration")
    assert expiration.outcome == "fail" and "expired on 2025-01-01" in expiration.reason
    assert "status could not be checked either" in expiration.reason and "offline" in expiration.reason
    assert report.credentials[0].check("status.revocation").outcome == "unknown"
    assert report.credentials[0].headline() == "NOT VERIFIED (expiration failed; not checked: status.revocation)"
    out = lw("verify", str(path), env_extra=WIDE).stdout.decode()
    assert "not checked: status.revocation" in out


def test_expired_without_status_says_only_expired(tmp_path, issuer):
    path = write(tmp_path / "c.json", issuer.sign(badge(issuer, validUntil="2025-01-01T00:00:00Z")))
    [report] = verify_inputs([str(path)], Options())
    assert "status" not in report.credentials[0].check("expiration").reason


# --- unsigned presentation ----------------------------------------------------------------------

def test_unsigned_presentation(tmp_path, issuer, signed):
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "verifiableCredential": [signed, {**signed, "name": "Forged"}]}
    path = write(tmp_path / "vp.json", vp)
    result = lw("verify", str(path), "--trust", str(_trust(tmp_path, issuer)), env_extra=WIDE)
    out = result.stdout.decode()
    assert result.returncode == 1
    assert "presentation without holder proof" in out and "not a verifiable credential" not in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith(str(path))}
    assert "VERIFIED" in rows[f"{path}#verifiableCredential[0]"] and "NOT" not in rows[f"{path}#verifiableCredential[0]"]
    assert "NOT VERIFIED" in rows[f"{path}#verifiableCredential[1]"]
    data = json.loads(lw("verify", str(path), "--json").stdout)
    proof = next(c for c in data["inputs"][0]["presentation"]["checks"] if c["id"] == "presentation.proof")
    assert data["verdict"] == "invalid" and proof["reason"].startswith("presentation without holder proof")
    assert [c["verdict"] for c in data["inputs"][0]["credentials"]] == ["valid", "invalid"]


# --- --html refuses to overwrite ----------------------------------------------------------------

def test_html_refuses_to_overwrite_without_force(tmp_path, signed):
    cred = write(tmp_path / "c.json", signed)
    html = tmp_path / "report.html"
    html.write_text("my notes")
    refused = lw("verify", str(cred), "--html", str(html))
    assert refused.returncode == 2 and html.read_text() == "my notes"
    assert refused.stderr.decode().splitlines() == [
        f"lerwallet: error: --html {html} already exists; not overwritten",
        "lerwallet: hint: add --force to replace it, or name another file"]
    forced = lw("verify", str(cred), "--html", "report.html", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and "<html" in html.read_text()
    assert f"lerwallet: wrote the HTML report to {html}" in forced.stderr.decode()


def test_new_options_take_the_fast_path():
    from lerwallet.cli.fastpath import parse_verify

    assert parse_verify(["x.json", "--details", "--force", "--html", "r.html"]) == {
        "inputs": ["x.json"], "trust": [], "details": True, "force": True, "html": Path("r.html")}

"""Throughput of `lerwallet serve --verifier`: requests per second per core for a typical
Open Badges 3.0 credential (eddsa-rdfc-2022, did:key issuer) on one uvicorn worker process,
and, measured in the same run, the per-credential time of in-process `verify_bytes` (the
library call the route makes), so the HTTP overhead is visible.

"Per core" is requests divided by the CPU seconds the server process used (user + system, from
/proc): on a shared machine that figure does not depend on what else runs; the wall-clock rate
is printed too. Clients are keep-alive HTTP/1.1 connections from this process's threads.

Usage: python benchmarks/bench_serve.py [--runs N] [--quick] [--src DIR] [--clients N] [--seconds S]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import add_common_args, bench_env, lerwallet_cmd  # noqa: E402

from tests.verify_helpers import Party, badge  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc; fields 14 and 15 of stat)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def typical_badge() -> dict:
    issuer = Party()
    doc = badge(issuer, subject="did:example:learner", name="Forklift Safety")
    doc["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": "Workplace safety", "targetUrl": "https://skills.example/safety"}]
    return issuer.sign(doc)


def in_process(body: bytes, runs: int) -> float:
    """Median seconds of one `verify_bytes` call, as the route makes it (offline, fresh options)."""
    from lerwallet.verify import Options, verify_bytes

    for _ in range(20):  # imports, caches
        verify_bytes(body, Options(), expect="object")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        [report] = verify_bytes(body, Options(), expect="object")
        times.append(time.perf_counter() - start)
        assert report.verdict == "valid", report.verdict
    return statistics.median(times)


def drive(host: str, port: int, payload: bytes, clients: int, seconds: float) -> tuple[int, int]:
    """(requests answered 200, any other answers) from `clients` keep-alive connections."""
    stop = time.perf_counter() + seconds
    counts = [[0, 0] for _ in range(clients)]

    def client(slot: list) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        headers = {"Content-Type": "application/json"}
        while time.perf_counter() < stop:
            conn.request("POST", "/credentials/verify", body=payload, headers=headers)
            response = conn.getresponse()
            response.read()
            slot[0 if response.status == 200 else 1] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(c,)) for c in counts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_args(parser)
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive connections")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per measured round")
    args = parser.parse_args()
    rounds = args.runs or (3 if args.quick else 5)
    seconds = args.seconds or (3.0 if args.quick else 6.0)
    vc = typical_badge()
    payload = json.dumps({"verifiableCredential": vc, "options": {}}).encode()
    body = json.dumps(vc).encode()

    per_call = in_process(body, 60 if args.quick else 200)

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = bench_env(args.src, LERWALLET_HOME=str(work / "home"))
    cmd = lerwallet_cmd() + ["serve", "--verifier", "--port", "0", "--json", "--quiet", "--threads", "1",
                             "--max-concurrency", str(max(4, args.clients))]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the server did not start: " + proc.stderr.read())
        port = json.loads(line)["port"]
        drive("127.0.0.1", port, payload, args.clients, 1.5)  # warm-up: imports, caches, connections
        rows = []
        for _ in range(rounds):
            cpu0, wall0 = cpu_seconds(proc.pid), time.perf_counter()
            ok, other = drive("127.0.0.1", port, payload, args.clients, seconds)
            cpu, wall = cpu_seconds(proc.pid) - cpu0, time.perf_counter() - wall0
            if other:
                raise SystemExit(f"{other} requests were not answered 200")
            rows.append((ok / wall, ok / cpu if cpu else float("nan"), cpu / ok))
    finally:
        proc.terminate()
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "killed"
    rps_wall = statistics.median(r[0] for r in rows)
    rps_core = statistics.median(r[1] for r in rows)
    cpu_per_request = statistics.median(r[2] for r in rows)
    overhead = cpu_per_request - per_call
    print(f"typical OB 3.0 badge (eddsa-rdfc-2022, did:key), {len(body)} bytes; one server process, 1 verification thread,"
          f" {args.clients} keep-alive clients, {rounds} rounds of {seconds:g} s (medians)")
    print(f"{'in-process verify_bytes':<36}{per_call * 1000:8.2f} ms per credential  ({1 / per_call:7.1f} per second, one core)")
    print(f"{'serve: server CPU per request':<36}{cpu_per_request * 1000:8.2f} ms  ({cpu_per_request / per_call:4.2f}x in-process)")
    print(f"{'serve: requests per second per core':<36}{rps_core:8.1f}")
    print(f"{'serve: requests per second (wall)':<36}{rps_wall:8.1f}  (this machine, clients on the same host)")
    print(f"{'HTTP + JSON overhead per request':<36}{overhead * 1000:8.2f} ms  ({overhead / cpu_per_request * 100:4.1f}% of the server's time)")
    print(f"server exit on SIGTERM: {code}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

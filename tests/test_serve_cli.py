"""`lerwallet serve` as a process: it starts on a free loopback port, answers over HTTP and over
HTTPS with a self-signed certificate made here, and exits 0 on SIGTERM. Plus its usage errors
(no socket needed) and the promise that `lerwallet verify` never loads the web stack."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from tests.verify_helpers import Party, badge, presentation


def cli(*args):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A P-256 certificate for 127.0.0.1 and localhost, valid for a day (tests only)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lerwallet test")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


# --- usage errors, before any socket -------------------------------------------------------------


def test_nothing_to_serve_is_a_usage_error():
    r = cli("serve")
    assert r.exit_code == 2
    assert "lerwallet: error: nothing to serve" in r.output and "--verifier" in r.output


def test_plain_http_off_loopback_is_refused(tmp_path):
    r = cli("serve", "--verifier", "--host", "0.0.0.0")
    assert r.exit_code == 2
    assert "--host 0.0.0.0 is not a loopback address" in r.output and "--tls-cert" in r.output
    cert, _ = self_signed(tmp_path)
    r = cli("serve", "--verifier", "--tls-cert", str(cert))
    assert r.exit_code == 2 and "--tls-cert and --tls-key go together" in r.output


@pytest.mark.parametrize("text, message", [
    ("verifier = true\nbogus = 1\n", "unknown setting 'bogus'"),
    ("verifier = true\nport = \"80\"\n", "port must be a int, not str"),
    ("verifier = [", "is not valid TOML"),
    ("verifier = true\nstatus-cache = \"nowhere\"\n", "--status-cache"),
    ("verifier = true\ntimeout = 0\n", "--timeout 0 is out of range"),
])
def test_config_file_errors(tmp_path, text, message):
    conf = tmp_path / "serve.toml"
    conf.write_text(text)
    r = cli("serve", "--config", str(conf))
    assert r.exit_code == 2 and message in r.output, r.output


def test_config_file_and_command_line_build_one_configuration(tmp_path):
    from lerwallet.serve.config import build

    (tmp_path / "lists").mkdir()
    (tmp_path / "reg.json").write_text(json.dumps({"name": "r", "allow": ["did:example:a"]}))
    conf = tmp_path / "serve.toml"
    conf.write_text('verifier = true\nport = 9000\nstatus-cache = "lists"\ntrust = ["reg.json"]\nstrict = true\ntimeout = 3\n')
    cfg = build(None, {"port": 9100, "max-concurrency": 2}, config_file=conf)
    assert (cfg.verifier, cfg.port, cfg.max_concurrency, cfg.timeout, cfg.host) == (True, 9100, 2, 3.0, "127.0.0.1")
    assert cfg.options.status_cache == tmp_path / "lists" and cfg.options.trust_files == [tmp_path / "reg.json"]
    assert cfg.options.strict is True and cfg.options.online is False


def test_verify_never_imports_the_web_stack(tmp_path):
    issuer = Party()
    path = tmp_path / "b.json"
    path.write_text(json.dumps(issuer.sign(badge(issuer))))
    code = ("import sys; from lerwallet.cli.fastpath import verify_argv; rc = verify_argv(['--json', sys.argv[1]]);"
            "assert rc == 0, rc;"
            "bad = [m for m in ('starlette', 'uvicorn', 'anyio', 'httpx', 'lerwallet.serve') if m in sys.modules];"
            "print(bad, file=sys.stderr); sys.exit(3 if bad else 0)")
    fast = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert fast.returncode == 0, fast.stderr
    code = ("import sys; import lerwallet.cli.app;"
            "sys.exit(3 if [m for m in ('starlette', 'uvicorn', 'lerwallet.serve') if m in sys.modules] else 0)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


# --- the real process ------------------------------------------------------------------------------


class Server:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "lerwallet", "serve", "--verifier", "--port", "0", "--json", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read()
        self.started = json.loads(line)
        self.url = self.started["url"]

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return self.proc.returncode, self.proc.stderr.read()


def _wait_healthy(client, url: str) -> None:
    for _ in range(100):
        try:
            if client.get(url + "/healthz").status_code == 200:
                return
        except Exception:
            time.sleep(0.05)
    raise AssertionError("the server never answered /healthz")


@pytest.mark.network
def test_serve_answers_over_http_and_stops_cleanly_on_sigterm():
    import httpx

    issuer, holder = Party(), Party()
    vc = issuer.sign(badge(issuer, subject=holder.did))
    vp = presentation(holder, [vc], challenge="n0nce", domain="hr.example")
    server = Server()
    try:
        assert server.url.startswith("http://127.0.0.1:") and server.started["roles"] == ["verifier"]
        assert server.started["online"] is False
        with httpx.Client(timeout=30) as client:
            _wait_healthy(client, server.url)
            r = client.post(server.url + "/credentials/verify", json={"verifiableCredential": vc})
            assert r.status_code == 200 and r.json()["verified"] is True
            r = client.post(server.url + "/presentations/verify",
                            json={"verifiablePresentation": vp, "options": {"challenge": "n0nce", "domain": "hr.example"}})
            assert r.status_code == 200 and r.json()["verified"] is True
            r = client.post(server.url + "/presentations/verify", json={"verifiablePresentation": vp, "options": {"challenge": "other"}})
            assert r.status_code == 400
    finally:
        code, stderr = server.stop()
    assert code == 0, stderr
    log = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert [(e["path"], e["status"]) for e in log if e["path"] != "/healthz"] == [
        ("/credentials/verify", 200), ("/presentations/verify", 200), ("/presentations/verify", 400)]
    assert "Traceback" not in stderr and "n0nce" not in stderr


@pytest.mark.network
def test_serve_over_tls_with_a_self_signed_certificate(tmp_path):
    import httpx

    cert, key = self_signed(tmp_path)
    issuer = Party()
    vc = issuer.sign(badge(issuer))
    server = Server("--tls-cert", str(cert), "--tls-key", str(key), "--quiet")
    try:
        assert server.url.startswith("https://127.0.0.1:") and server.started["tls"] is True
        import ssl

        with httpx.Client(verify=ssl.create_default_context(cafile=str(cert)), timeout=30) as client:  # checked, not ignored
            _wait_healthy(client, server.url)
            r = client.post(server.url + "/credentials/verify", json={"verifiableCredential": vc})
            assert r.status_code == 200 and r.json()["verified"] is True
        with httpx.Client(timeout=10) as plain:  # the system's CAs do not know it: refused
            with pytest.raises(httpx.ConnectError):
                plain.get(server.url + "/healthz")
    finally:
        code, stderr = server.stop()
    assert code == 0, stderr
    assert not [line for line in stderr.splitlines() if line.startswith("{")]  # --quiet: no access log


@pytest.mark.network
def test_a_bad_tls_key_is_a_usage_error(tmp_path):
    cert, _ = self_signed(tmp_path)
    bad = tmp_path / "junk.pem"
    bad.write_text("not a key")
    proc = subprocess.run([sys.executable, "-m", "lerwallet", "serve", "--verifier", "--port", "0", "--tls-cert", str(cert),
                           "--tls-key", str(bad)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "lerwallet: error: cannot use --tls-cert/--tls-key" in proc.stderr and "Traceback" not in proc.stderr

"""``refuge serve`` and the network: no sign-in over plain HTTP to other machines.

Before the fix ``refuge serve --host 0.0.0.0`` started silently and passwords crossed the
network in clear. The refusal happens before the server starts (the command returns at once).
"""

import datetime
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from refuge.api.exposure import decide, is_loopback
from refuge.errors import InputError


def refuge(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "refuge.example.org"])
def test_a_reachable_address_without_tls_is_refused(host: str) -> None:
    result = refuge("serve", "--host", host, "--port", "8765")
    assert result.returncode == 2
    assert f"refusing to serve on {host} over plain HTTP" in result.stderr
    assert "--certificate FILE --key FILE" in result.stderr
    assert "--behind-proxy" in result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_needs_nothing(host: str) -> None:
    assert is_loopback(host)
    assert not decide(host, None, None, None).https


def test_behind_proxy_needs_real_addresses() -> None:
    with pytest.raises(InputError, match="'\\*' is not allowed"):
        decide("0.0.0.0", None, None, "*")
    with pytest.raises(InputError, match="needs the proxies' addresses"):
        decide("0.0.0.0", None, None, " , ")
    exposure = decide("0.0.0.0", None, None, "10.0.0.5, 10.1.0.0/16")
    assert exposure.trusted_proxies == ("10.0.0.5", "10.1.0.0/16") and exposure.https


def test_certificate_and_key_go_together(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    with pytest.raises(InputError, match="go together"):
        decide("0.0.0.0", cert, None, None)
    with pytest.raises(InputError, match="no such file"):
        decide("0.0.0.0", cert, tmp_path / "missing.pem", None)


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_with_a_certificate_the_server_speaks_tls_on_every_address(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    db = f"sqlite:///{tmp_path}/refuge.db"
    assert refuge("init", "--database", db).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "refuge", "serve", "--host", "0.0.0.0", "--port", str(port)),
            *("--db", db, "--certificate", str(cert), "--key", str(key)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        context = ssl.create_default_context(cafile=str(cert))
        deadline = time.monotonic() + 60
        while True:
            try:
                with (
                    socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
                    context.wrap_socket(raw, server_hostname="localhost") as tls,
                ):
                    tls.sendall(b"GET /login HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    answer = tls.recv(200)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.3)
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        server.terminate()
        server.wait(timeout=30)

"""Serving on the office network: the server started the LAN way (``PCI_HOST``, ``PORT``, the
certificate made by ``python -m pci_metrics cert``) answers over HTTPS with a certificate that
verifies against the generated CA, sends the security headers, and asks for a sign-in before showing
anything; plain HTTP on a network address is refused unless the opt-out is set."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pci_metrics.ops import certs, network
from pci_metrics.trust import sessions
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, sign_in_at, wait_ready

ADMIN_PW = "quan-tri-mang-phuong"
HOST = "localhost"  # the name the certificate is made for (and the address bar shows)


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCI_", "PORT"))}
    return {**env, "PCI_DB_PATH": str(db), "PCI_WARMUP": "0", **extra}


def _https_health(url: str, ca: Path) -> urllib.request.addinfourl | None:
    try:
        return urllib.request.urlopen(url + "/_stcore/health", timeout=2,  # noqa: S310
                                      context=ssl.create_default_context(cafile=str(ca)))
    except OSError:
        return None


class LanServer:
    def __init__(self, url: str, db: Path, tls: Path, proc: subprocess.Popen[bytes]):
        self.url, self.db, self.tls, self.proc = url, db, tls, proc


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory: pytest.TempPathFactory, built_db: Path) -> Iterator[LanServer]:
    """``PCI_HOST=0.0.0.0 PORT=… python -m pci_metrics.ui.serve`` after ``cert --host localhost --ip
    127.0.0.1``: the README's way, nothing about TLS or sign-in given on the command line."""
    folder = tmp_path_factory.mktemp("lan")
    db = folder / "pci.duckdb"
    shutil.copy(built_db, db)
    made = subprocess.run([sys.executable, "-m", "pci_metrics", "cert", "--host", HOST, "--ip", "127.0.0.1",
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    tls = network.tls_dir(db)
    port = free_port()
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "pci_metrics.ui.serve", "--server.headless", "true"], cwd=ROOT,
                            env=_env(db, PCI_HOST="0.0.0.0", PORT=str(port), PCI_ADMIN_PASSWORD=ADMIN_PW),
                            stdout=log, stderr=subprocess.STDOUT)
    log.close()
    url = f"https://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while _https_health(url, tls / network.CA_FILE) is None:
        assert proc.poll() is None and time.monotonic() < deadline, (folder / "server.log").read_text()
        time.sleep(0.3)
    yield LanServer(url, db, tls, proc)
    proc.terminate()
    proc.wait(10)


def test_the_certificate_verifies_against_the_generated_ca_and_the_headers_are_sent(lan_server: LanServer) -> None:
    ca = lan_server.tls / network.CA_FILE
    port = int(lan_server.url.rsplit(":", 1)[1])
    # Python's own TLS client, trusting only the generated CA: chain and host name check out ...
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            ssl.create_default_context(cafile=str(ca)).wrap_socket(raw, server_hostname=HOST) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
        names = dict(tls.getpeercert()["subjectAltName"])  # type: ignore[arg-type, index]
    assert names["DNS"] == HOST and names["IP Address"] == "127.0.0.1"
    # ... and a client that does not know the CA refuses the connection: it is not trusted by accident
    with pytest.raises(ssl.SSLCertVerificationError), socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        ssl.create_default_context().wrap_socket(raw, server_hostname=HOST)
    # the page itself carries the security headers, HSTS included
    with urllib.request.urlopen(lan_server.url + "/", timeout=5,  # noqa: S310
                                context=ssl.create_default_context(cafile=str(ca))) as r:
        headers = {k.lower(): v for k, v in r.getheaders()}
    assert headers["strict-transport-security"].startswith("max-age=")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    # the private keys: the server's is its owner's only, the CA's was not kept
    assert (lan_server.tls / network.KEY_FILE).stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in lan_server.tls.iterdir()) == ["ca.pem", "server.key", "server.pem"]


def _spki_sha256(cert: Path) -> str:
    """The base64 sha256 of a certificate's public key: what Chromium is told to trust."""
    pem = cert.read_text(encoding="ascii")
    der = ssl.PEM_cert_to_DER_cert(pem)
    pub = subprocess.run(["openssl", "x509", "-pubkey", "-noout"], input=pem, capture_output=True, text=True,
                         check=True).stdout
    assert der  # a parseable certificate
    key_der = base64.b64decode("".join(line for line in pub.splitlines() if "-----" not in line))
    return base64.b64encode(hashlib.sha256(key_der).digest()).decode("ascii")


@pytest.mark.browser
def test_chromium_trusting_the_certificate_gets_a_sign_in_first_and_a_secure_cookie(lan_server: LanServer,
                                                                                    browser) -> None:  # noqa: ANN001
    spki = _spki_sha256(lan_server.tls / network.CERT_FILE)
    # a second Chromium from the session's Playwright (one Playwright per process), which trusts this
    # certificate's key only: no ignore_https_errors
    trusting = browser.browser_type.launch(executable_path=CHROMIUM,
                                           args=[*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={spki}"])
    try:
        page = trusting.new_page(viewport={"width": 1280, "height": 900})
        page.goto(lan_server.url + "/", wait_until="domcontentloaded")
        wait_ready(page, 90000)
        assert page.evaluate("location.protocol") == "https:"
        main = page.inner_text('[data-testid="stMain"]')
        assert "Cần đăng nhập để xem bảng điều khiển." in main  # nothing shown before a sign-in
        assert "Tổng quan PCI Hải Phòng" not in main
        sign_in_at(page, lan_server.url + "/", "admin", ADMIN_PW, '[data-testid="stSidebar"] >> text=Đã đăng nhập')
        for _ in range(100):
            cookie = [c for c in page.context.cookies() if c["name"] == sessions.COOKIE]
            if cookie:
                break
            page.wait_for_timeout(100)
        assert cookie and cookie[0]["secure"] and cookie[0]["httpOnly"]
        page.screenshot(path=str(lan_server.db.parent / "signed-in-over-https.png"))
    finally:
        trusting.close()


def test_plain_http_on_a_network_address_is_refused_without_the_opt_out(tmp_path: Path, built_db: Path) -> None:
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    for module in ("pci_metrics.ui.serve", "pci_metrics.ui.supervisor"):
        done = subprocess.run([sys.executable, "-m", module, "--server.headless", "true"], cwd=ROOT,
                              env=_env(db, PCI_HOST="0.0.0.0", PORT=str(free_port())),
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 2, done.stderr
        assert "Không phục vụ bằng HTTP thường trên địa chỉ mạng 0.0.0.0" in done.stderr
        assert "PCI_ALLOW_HTTP=1" in done.stderr


@pytest.mark.parametrize("env, args, expected", [
    pytest.param({}, [], ("127.0.0.1", 8501, "http", {}), id="default-this-machine-only"),
    pytest.param({"PCI_HOST": "192.168.1.20", "PORT": "8443", "PCI_ALLOW_HTTP": "1"}, [],
                 ("192.168.1.20", 8443, "http", {"PCI_REQUIRE_LOGIN": "1"}), id="opt-out-still-needs-sign-in"),
    pytest.param({"PCI_HOST": "0.0.0.0", "PCI_ALLOW_HTTP": "1", "PCI_REQUIRE_LOGIN": "0"}, [],
                 ("0.0.0.0", 8501, "http", {}), id="the-environment-decides-sign-in"),
    pytest.param({"PCI_HOST": "0.0.0.0"}, ["--server.address", "127.0.0.1", "--server.port", "8600"],
                 ("127.0.0.1", 8600, "http", {}), id="command-line-wins"),
])
def test_where_the_server_listens(env: dict[str, str], args: list[str], expected: tuple[object, ...],
                                  tmp_path: Path) -> None:
    where = network.listen(args, env, str(tmp_path / "pci.duckdb"))
    assert (where.host, where.port, where.scheme, network.login_default(where, env)) == expected


def test_a_ward_certificate_and_a_generated_one_are_both_used(tmp_path: Path) -> None:
    db = str(tmp_path / "pci.duckdb")
    with pytest.raises(network.NetworkRefused, match="PCI_ALLOW_HTTP"):
        network.listen([], {"PCI_HOST": "0.0.0.0"}, db)
    made = certs.make_certificate(network.tls_dir(db), ("pci-phuong",), ("10.0.0.5",))
    assert network.listen([], {"PCI_HOST": "0.0.0.0"}, db).cert == made.cert  # found in data/tls/
    ward = {"PCI_HOST": "0.0.0.0", "PCI_TLS_CERT": str(made.cert), "PCI_TLS_KEY": str(made.key)}
    assert network.listen([], ward, str(tmp_path / "elsewhere.duckdb")).streamlit_args()[-4:] == [
        "--server.sslCertFile", str(made.cert), "--server.sslKeyFile", str(made.key)]
    with pytest.raises(network.NetworkRefused, match="PCI_TLS_KEY"):
        network.listen([], {"PCI_HOST": "0.0.0.0", "PCI_TLS_CERT": str(made.cert)}, db)

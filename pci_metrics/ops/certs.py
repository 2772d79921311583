"""A certificate for the office network when the ward has none: a small certificate authority of its
own (``ca.pem``, installed once on each computer and phone that opens the dashboard) and the server's
certificate signed by it for the machine's host name and IP address (``server.pem`` and
``server.key``, which the server reads; :mod:`pci_metrics.ops.network` finds them).

Made with the ``openssl`` command (OpenSSL 1.1.1 or newer: ``-addext``), which every Debian and
Ubuntu machine has; the CA's private key is deleted once it has signed, so nobody can issue another
certificate in its name from this machine. Keys are readable by their owner only (0600).
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pci_metrics.base.problems import Refusal
from pci_metrics.ops import network

VALID_DAYS = 825  # the longest lifetime browsers accept for a server certificate
ORGANISATION = "UBND phuong Hong Bang"


class CertificateError(Refusal):
    """A certificate that could not be made; ``message(lang)`` says why."""


@dataclass(frozen=True)
class Certificate:
    folder: Path
    hosts: tuple[str, ...]
    ips: tuple[str, ...]

    @property
    def cert(self) -> Path:
        return self.folder / network.CERT_FILE

    @property
    def key(self) -> Path:
        return self.folder / network.KEY_FILE

    @property
    def ca(self) -> Path:
        return self.folder / network.CA_FILE


def subject_alt_names(hosts: tuple[str, ...], ips: tuple[str, ...]) -> str:
    """The names a browser checks the address bar against.

    >>> subject_alt_names(("pci.phuong.local", "localhost"), ("192.168.1.20", "127.0.0.1"))
    'DNS:pci.phuong.local,DNS:localhost,IP:192.168.1.20,IP:127.0.0.1'
    """
    return ",".join([*(f"DNS:{h}" for h in hosts), *(f"IP:{i}" for i in ips)])


def _check_names(hosts: tuple[str, ...], ips: tuple[str, ...]) -> None:
    if not hosts and not ips:
        raise CertificateError("deploy_err_cert_names")
    for ip in ips:
        try:
            ipaddress.ip_address(ip)
        except ValueError as exc:
            raise CertificateError("deploy_err_cert_ip", ip=ip) from exc
    for host in hosts:
        if not host or any(not (c.isalnum() or c in ".-") for c in host) or not host.isascii():
            raise CertificateError("deploy_err_cert_host", host=host)


def _openssl(*args: str) -> None:
    exe = shutil.which("openssl")
    if exe is None:
        raise CertificateError("deploy_err_no_openssl")
    done = subprocess.run([exe, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CertificateError("deploy_err_openssl", error=(done.stderr.strip().splitlines() or ["?"])[-1][:200])


def make_certificate(folder: str | os.PathLike[str], hosts: tuple[str, ...], ips: tuple[str, ...],
                     *, days: int = VALID_DAYS) -> Certificate:
    """Write ``ca.pem``, ``server.pem`` and ``server.key`` into ``folder`` (replacing earlier ones).

    The first host name (else the first IP) is the certificate's common name.
    """
    _check_names(hosts, ips)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    name = (hosts or ips)[0]
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        ca_key, ca, key, csr, cert = (work / n for n in ("ca.key", network.CA_FILE, network.KEY_FILE, "server.csr",
                                                         network.CERT_FILE))
        _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", str(ca_key), "-out", str(ca), "-days", str(days + 30),
                 "-subj", f"/O={ORGANISATION}/CN=PCI dashboard CA {name}",
                 "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", str(key), "-out", str(csr), "-subj", f"/O={ORGANISATION}/CN={name}")
        ext = work / "server.ext"
        ext.write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                       f"extendedKeyUsage=serverAuth\nsubjectAltName={subject_alt_names(hosts, ips)}\n",
                       encoding="ascii")
        _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
                 "-out", str(cert), "-days", str(days), "-sha256", "-extfile", str(ext))
        os.chmod(key, 0o600)
        for path in (ca, cert, key):  # the CA's key stays behind and is deleted with the folder
            os.replace(path, out / path.name)
    return Certificate(out, hosts, ips)

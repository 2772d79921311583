"""Where and how the dashboard listens: on this machine only, or on the office network over HTTPS.

The address and port come from the environment (``PCI_HOST``, default ``127.0.0.1``; ``PORT``,
default 8501), a ``streamlit run`` option given on the command line winning over both. TLS comes
from the ward's own certificate (``PCI_TLS_CERT`` and ``PCI_TLS_KEY``), else from the pair that
``python -m pci_metrics cert`` generated in the data folder (``data/tls/server.pem`` and
``server.key``). Served beyond this machine:

* without TLS the server refuses to start, unless ``PCI_ALLOW_HTTP=1`` says plain HTTP is wanted
  (a TLS proxy in front, say); that choice is written to the log at every start;
* browsing needs a sign-in (``PCI_REQUIRE_LOGIN=1``), unless the environment says otherwise.

Streamlit serves TLS itself (``server.sslCertFile`` / ``server.sslKeyFile``, passed to uvicorn).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pci_metrics.base.paths import db_path
from pci_metrics.base.problems import Refusal

HOST_ENV, PORT_ENV = "PCI_HOST", "PORT"
CERT_ENV, KEY_ENV = "PCI_TLS_CERT", "PCI_TLS_KEY"
ALLOW_HTTP_ENV = "PCI_ALLOW_HTTP"
REQUIRE_LOGIN_ENV = "PCI_REQUIRE_LOGIN"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8501
TLS_DIR = "tls"  # beside the database: data/tls/
CERT_FILE, KEY_FILE, CA_FILE = "server.pem", "server.key", "ca.pem"
_YES = ("1", "true", "yes", "on")


class NetworkRefused(Refusal):
    """A way of serving that is refused before the server starts; ``message(lang)`` says why."""


@dataclass(frozen=True)
class Listen:
    """How the server listens, decided once at start."""

    host: str
    port: int
    cert: Path | None
    key: Path | None
    plain_http_allowed: bool  # an explicit opt-out: plain HTTP beyond this machine

    @property
    def local(self) -> bool:
        return is_local(self.host)

    @property
    def scheme(self) -> str:
        return "https" if self.cert else "http"

    def streamlit_args(self) -> list[str]:
        """The ``streamlit run`` options that say so."""
        args = ["--server.address", self.host, "--server.port", str(self.port)]
        if self.cert and self.key:
            args += ["--server.sslCertFile", str(self.cert), "--server.sslKeyFile", str(self.key)]
        return args


def is_local(host: str) -> bool:
    """Whether an address is reachable from this machine only (a loopback address or name).

    >>> [is_local(h) for h in ("127.0.0.1", "localhost", "::1", "127.0.1.1", "0.0.0.0", "192.168.1.20", "")]
    [True, True, True, True, False, False, False]
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to any interface


def tls_dir(db: str | os.PathLike[str] | None = None) -> Path:
    """Where ``cert`` writes the generated certificate: ``tls/`` in the database's folder."""
    return db_path(db).absolute().parent / TLS_DIR


def option(args: Sequence[str], name: str, default: str | None = None) -> str | None:
    """A ``streamlit run`` option's value in ``args`` (``--name value`` or ``--name=value``), else ``default``.

    >>> option(["--server.port", "8600"], "--server.port"), option(["--server.address=::1"], "--server.address")
    ('8600', '::1')
    >>> option([], "--server.port", "8501")
    '8501'
    """
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return default


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise NetworkRefused("deploy_err_port", port=text)
    return port


def _tls_pair(args: Sequence[str], env: Mapping[str, str], db: str | None) -> tuple[Path | None, Path | None]:
    cert = option(args, "--server.sslCertFile") or env.get(CERT_ENV, "").strip()
    key = option(args, "--server.sslKeyFile") or env.get(KEY_ENV, "").strip()
    if not cert and not key:
        generated = tls_dir(db)
        if (generated / CERT_FILE).is_file() and (generated / KEY_FILE).is_file():
            return generated / CERT_FILE, generated / KEY_FILE
        return None, None
    if not cert or not key:
        raise NetworkRefused("deploy_err_tls_half")
    for path in (cert, key):
        if not Path(path).is_file():
            raise NetworkRefused("deploy_err_tls_missing", path=path)
    return Path(cert), Path(key)


def listen(args: Sequence[str] = (), env: Mapping[str, str] | None = None, db: str | None = None) -> Listen:
    """Decide how to listen from the command line's options and the environment; refuse plain HTTP
    beyond this machine without the explicit opt-out.

    >>> listen([], {}).streamlit_args()
    ['--server.address', '127.0.0.1', '--server.port', '8501']
    >>> listen([], {"PCI_HOST": "0.0.0.0", "PORT": "8443", "PCI_ALLOW_HTTP": "1"}).streamlit_args()[:4]
    ['--server.address', '0.0.0.0', '--server.port', '8443']
    """
    env = os.environ if env is None else env
    host = option(args, "--server.address") or env.get(HOST_ENV, "").strip() or DEFAULT_HOST
    port = _port(option(args, "--server.port") or env.get(PORT_ENV, "").strip() or str(DEFAULT_PORT))
    cert, key = _tls_pair(args, env, db)
    allowed = env.get(ALLOW_HTTP_ENV, "").strip().lower() in _YES
    if cert is None and not is_local(host) and not allowed:
        raise NetworkRefused("deploy_err_plain_http", host=host, port=port)
    return Listen(host, port, cert, key, allowed)


def login_default(where: Listen, env: Mapping[str, str]) -> dict[str, str]:
    """The environment to add: beyond this machine browsing needs a sign-in unless the environment
    already decides.

    >>> login_default(Listen("0.0.0.0", 8501, None, None, True), {})
    {'PCI_REQUIRE_LOGIN': '1'}
    >>> login_default(Listen("0.0.0.0", 8501, None, None, True), {"PCI_REQUIRE_LOGIN": "0"})
    {}
    >>> login_default(Listen("127.0.0.1", 8501, None, None, False), {})
    {}
    """
    if where.local or env.get(REQUIRE_LOGIN_ENV, "").strip():
        return {}
    return {REQUIRE_LOGIN_ENV: "1"}


def without_listen_options(args: Sequence[str]) -> list[str]:
    """``args`` without the options :meth:`Listen.streamlit_args` sets (they are given once, decided).

    >>> without_listen_options(["--server.port", "1", "--server.headless", "true", "--server.address=x"])
    ['--server.headless', 'true']
    """
    names = ("--server.address", "--server.port", "--server.sslCertFile", "--server.sslKeyFile")
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in names:
            skip = True
        elif not any(arg.startswith(n + "=") for n in names):
            out.append(arg)
    return out

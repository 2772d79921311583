"""Start the dashboard: ``streamlit run app_server.py`` (app.py's pages plus the sign-in cookie
routes, :mod:`pci_metrics.ui.routes`) with Streamlit's old "pages/ folder" mode off.

Streamlit 1.67 has no supported way to keep page files in a top-level ``pages/`` folder and let
app.py's ``st.navigation`` route a fresh process's first request (no config option; the docs only say
that once ``st.navigation`` has been called "in any session" the folder is ignored, and Streamlit's
own advice is to rename the folder, which the design card rules out). Until app.py has called
``st.navigation`` once, a process is in the old mode (``runtime/pages_manager.py``: the class flag
``PagesManager.uses_pages_directory`` is set from ``pages/``'s existence; ``script_runner.py`` then
runs ``_mpa_v1``, which builds a page list from ``pages/*.py``):

* a deep link to a page file (``/users``) runs that file by itself, without app.py's gate;
* a deep link to a page only app.py's navigation knows (a priority page such as ``/market_entry``)
  shows Streamlit's "Page not found" dialog before app.py runs as the fallback.

:func:`navigation_only` is the one place that switches the old mode off, as ``st.navigation``
itself does (``commands/navigation.py``). It is called at two points because neither covers both
cases: here, before the server starts (the only point early enough for the second case), and by
:func:`pci_metrics.ui.common.inside_app` at the top of every page file (the first case when the
server was started by a plain ``streamlit run app.py``, and every AppTest run, which resets the flag
before each run). tests/test_startup.py fails when Streamlit changes the behaviour this corrects.

``make run``, the supervisor, the systemd service and the tests start the server through this
module: ``python -m pci_metrics.ui.serve [streamlit run options]``. Where and how it listens
(``PCI_HOST``, ``PORT``, TLS; plain HTTP beyond this machine refused, a sign-in required there) is
decided once by :func:`pci_metrics.ops.network.listen` and logged.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime

from pci_metrics.base.i18n import t
from pci_metrics.base.paths import SERVER_FILE
from pci_metrics.ops import network
from pci_metrics.trust import auth

APP = SERVER_FILE


def navigation_only() -> bool:
    """Switch Streamlit's old "pages/ folder" mode off for this process; True if it was on."""
    from streamlit.runtime.pages_manager import PagesManager

    was_on = PagesManager.uses_pages_directory is True
    PagesManager.uses_pages_directory = False
    return was_on


def _log(key: str, **kwargs: object) -> None:
    """One time-stamped line in both languages on stderr (the service's log)."""
    line = t(key, "vi", **kwargs) + " / " + t(key, "en", **kwargs)
    print(f"{datetime.now().isoformat(timespec='seconds')} [serve] {line}", file=sys.stderr, flush=True)


def first_admin() -> None:
    """Create the first administrator before the server answers (see ``trust.auth.bootstrap_admin``);
    a missing or busy database is left to the pages, which say so in the reader's language."""
    import duckdb

    from pci_metrics.store import storage
    from pci_metrics.trust import auth

    try:
        auth.bootstrap_admin()
    except (storage.DatabaseMissing, storage.DatabaseBusy, storage.DatabaseCorrupt, duckdb.Error):
        pass  # a damaged file: every page says how to restore it


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:  # where and how to listen: PCI_HOST, PORT, TLS; plain HTTP beyond this machine is refused
        where = network.listen(args)
    except network.NetworkRefused as exc:
        print(str(exc), file=sys.stderr)
        return 2
    os.environ.update(network.login_default(where, os.environ))
    if not where.local and where.cert is None:
        _log("deploy_log_plain_http", host=where.host, port=where.port)
    _log("deploy_log_listen", scheme=where.scheme, host=where.host, port=where.port,
         login=auth.login_required_override() or "-")
    from streamlit.web import cli

    from pci_metrics.ui import warmup

    navigation_only()
    first_admin()
    # the server warms its caches itself once it answers, and after each data change
    warmup.start(where.port, where.host, tls=where.cert is not None)
    sys.argv = ["streamlit", "run", str(APP), *where.streamlit_args(), *network.without_listen_options(args)]
    return int(cli.main() or 0)  # type: ignore[func-returns-value]


if __name__ == "__main__":
    raise SystemExit(main())

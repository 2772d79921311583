"""Start the dashboard: ``streamlit run app.py`` with Streamlit's old "pages/ folder" mode off.

Streamlit decides per process, before the first script run, whether a ``pages/`` folder next to
app.py makes it a v1 multipage app; in that mode a server's very first request runs a page file by
itself (without app.py's navigation and role gate) or, for a page that only app.py's navigation
knows (a priority page), shows "Page not found". app.py always calls ``st.navigation``, so the old
mode is switched off here, before the server starts. ``make run`` and the tests start the server
through this module: ``python -m pci_metrics.ui.serve [streamlit run options]``. A plain
``streamlit run app.py`` still works: every page then corrects the first request itself
(:func:`pci_metrics.ui.common.inside_app`).
"""

from __future__ import annotations

import sys

from pci_metrics.base.paths import APP_FILE

APP = APP_FILE


def main(argv: list[str] | None = None) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return int(cli.main() or 0)  # type: ignore[func-returns-value]


if __name__ == "__main__":
    raise SystemExit(main())

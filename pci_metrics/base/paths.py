"""Where the project's files are: the checkout's root, the data folder, the seed files and the database."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
PAGES_DIR = ROOT / "pages"
APP_FILE = ROOT / "app.py"
SERVER_FILE = ROOT / "app_server.py"  # app.py plus the sign-in cookie routes, as one st.App
DEFAULT_DB_PATH = DATA_DIR / "pci.duckdb"


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file to use: the argument, else ``PCI_DB_PATH``, else ``data/pci.duckdb``.

    >>> db_path("/tmp/x.duckdb").name
    'x.duckdb'
    """
    if path is not None:
        return Path(path)
    env = os.environ.get("PCI_DB_PATH")
    return Path(env) if env else DEFAULT_DB_PATH

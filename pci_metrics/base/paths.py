"""Where the project's files are: the checkout's root, the data folder and the seed files."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
PAGES_DIR = ROOT / "pages"
APP_FILE = ROOT / "app.py"
SERVER_FILE = ROOT / "app_server.py"  # app.py plus the sign-in cookie routes, as one st.App

"""The floor of a page: one chart and one table over the same database, nothing cached — the least
a Streamlit page that shows our data can cost. ``make bench`` measures it next to every page (a warm
rerun in AppTest, and a fresh tab's first chart in Chromium) and prints each page's ratio to it.

Run it as its own app: ``streamlit run scripts/floor_page.py`` with ``PCI_DB_PATH`` set.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pci_metrics.outputs import charts  # noqa: E402
from pci_metrics.store import scores_db, storage  # noqa: E402

with storage.connect(storage.db_path(), read_only=True) as con:
    frame = scores_db.load_scores(con, entity_key="haiphong", codes=["composite"])
st.title("Floor")
fig = charts.trend_figure([("Hải Phòng", frame)], lang="vi", style=charts.Style(), title="PCI", y_title="PCI")
st.plotly_chart(fig, theme=None, key="fig_floor")
st.dataframe(frame[["year", "value", "rank", "source"]], hide_index=True)

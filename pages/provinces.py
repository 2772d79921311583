"""Every province in a year: composite, rank (published or derived) and the year's sub-index scores,
searchable without diacritics, sortable, Hải Phòng highlighted, each row linking to the province's profile."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import name_col, t
from pci_metrics.ui.common import cached_view, inside_app, lang, load, plain_md, sync_url, url_value
from pci_metrics.ui.tables import marked_table
from pci_metrics.views import provinces
from pci_metrics.views.leadership import HAIPHONG

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg = lang()
opts = load(provinces.provinces_options)
st.title(t("provinces_title", lg))
st.caption(t("provinces_caption", lg))
if opts.latest is None:
    st.info(t("no_data", lg))
    st.stop()
c1, c2 = st.columns([1, 3])
url_value("prov_year", opts.years, opts.latest)
c1.selectbox(t("year", lg), opts.years, key="prov_year")
sync_url("prov_year", opts.latest)
query = c2.text_input(t("provinces_search", lg), key="prov_q", placeholder=t("provinces_search_placeholder", lg))
year = int(st.session_state["prov_year"])
# Data (the year's table once per data version; the search filters it).
yt = cached_view(lambda: load(provinces.year_table, year), "provinces-year", year)
rows = yt.search(query)
table = yt.table(rows, lg)
# Render.
if yt.scope != "all":
    st.info(t("provinces_scope_top", lg, year=year, total=yt.n_ranked or "", n=len(yt.rows)))
st.caption(t("provinces_count_one" if len(rows) == 1 else "provinces_count", lg, n=len(rows), year=year))
if rows.empty:
    st.warning(t("provinces_no_match", lg, text=plain_md(query), year=year))
    st.stop()
link_col = t("provinces_col_profile", lg)
picked = st.dataframe(
    marked_table(table, lg, marked=(rows["entity_key"] == HAIPHONG).tolist(), whole=yt.whole_columns(lg)),
    hide_index=True, width="stretch", key="prov_table", on_select="rerun", selection_mode="single-row", placeholder="",
    column_config={link_col: st.column_config.LinkColumn(link_col, display_text=t("provinces_open_profile", lg))})
st.caption(t("provinces_blank_note", lg) + " " + t("provinces_no_tier", lg))
chosen = provinces.picked_row(rows, list(picked.selection.rows))
if chosen:
    st.page_link(provinces.PROFILE_FILE, label=t("provinces_profile_of", lg, name=chosen[name_col(lg)]),
                 icon=":material/location_city:", query_params=provinces.profile_query(chosen["entity_key"], lg))
else:
    st.caption(t("provinces_pick_hint", lg))
st.divider()
st.caption(t("sources_footer", lg))

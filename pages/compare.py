"""Compare provinces: a sub-index × province heatmap, scores with ranks, the composite over the
years, and "learn from the leaders" — who leads each sub-index and how they got there."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import name_col, t
from pci_metrics.outputs import charts, charts_map
from pci_metrics.ui.commentary_block import commentary_block
from pci_metrics.ui.common import (
    arrow,
    cached_figure,
    cached_view,
    chart_block,
    inside_app,
    lang,
    load,
    load_shared,
    style,
    sync_url,
    url_value,
    url_values,
)
from pci_metrics.views import commentary, compare, leadership, tile_map
from pci_metrics.views.provinces import PROFILE_FILE, profile_query

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg, sty = lang(), style()
opts = load(compare.compare_options)
keys = opts.provinces["entity_key"].tolist()
label = dict(zip(keys, opts.provinces[name_col(lg)], strict=True))
st.title(t("leadership_compare_title", lg))
st.caption(t("leadership_compare_caption", lg))
url_values("cmp_provinces", keys, opts.default_provinces)
# select_all=False: no "Select all"/"Select 4 matches" (English, and Enter after typing "Hà N" picked
# every match); Enter now picks the first match, as users expect
st.multiselect(t("leadership_provinces", lg), keys, key="cmp_provinces", format_func=lambda k: label.get(k, k),
               select_all=False, placeholder=t("widget_choose_provinces", lg))
sync_url("cmp_provinces", opts.default_provinces)
c1, c2, c3 = st.columns(3)
url_value("cmp_year", opts.years, opts.full_year)
c1.selectbox(t("leadership_year", lg), opts.years, key="cmp_year")
sync_url("cmp_year", opts.full_year)
url_value("cmp_from", opts.years, opts.span[0])
c2.selectbox(t("leadership_span_from", lg), opts.years, key="cmp_from")
sync_url("cmp_from", opts.span[0])
url_value("cmp_to", opts.years, opts.span[1])
c3.selectbox(t("leadership_span_to", lg), opts.years, key="cmp_to")
sync_url("cmp_to", opts.span[1])
provinces = [k for k in st.session_state["cmp_provinces"] if k in label]
year = int(st.session_state["cmp_year"])
span = tuple(sorted((int(st.session_state["cmp_from"]), int(st.session_state["cmp_to"]))))
if not provinces:
    st.warning(t("leadership_no_provinces", lg))
    st.stop()
# Data (the model and its views are built once per choice, data version and language, from the one
# snapshot of the store every session shares: a new year or span is built without reading the store).
key = (tuple(provinces), year, span)
snap = load_shared(leadership.snapshot)
m = cached_view(lambda: compare.build_compare(snap, tuple(provinces), year, span[0], span[1]), "compare-model", key)
v = cached_view(lambda: compare.compare_views(m, lg), "compare-views", key)
shown = cached_view(lambda: (arrow(v.scores), arrow(v.leaders)), "compare-shown", key)
words = cached_view(lambda: commentary.compare_commentary(m, lg), "compare-commentary", key)
# Render: commentary, heatmap and scores with ranks.
if v.partial:
    st.info(t("leadership_partial_year", lg, year=year, full=opts.full_year))
commentary_block(words, lg)
fig = cached_figure(lambda: charts.scores_heatmap_figure(v.matrix, lang=lg, style=sty, height=140 + 42 * len(v.matrix),
                                                  title=t("leadership_heatmap_title", lg, year=year)), "heatmap", key)
chart_block(fig, v.heatmap_table, key="heatmap", source=t("leadership_source", lg), file_stem=f"pci-compare-{year}")
st.subheader(t("leadership_scores_title", lg, year=year))
st.dataframe(shown[0], hide_index=True, placeholder="", width="stretch")
links = st.container(horizontal=True, vertical_alignment="center")  # each chosen province's profile
links.caption(t("compare_profiles", lg))
for k in provinces:
    links.page_link(PROFILE_FILE, label=label[k], icon=":material/location_city:",
                    query_params=profile_query(k, lg))
# Render: composite over the years (the same for every year chosen: built once per provinces and span).
fig = cached_figure(lambda: charts.provinces_figure(v.trajectories, lang=lg, style=sty, y_title=t("composite", lg),
                                                    title=t("leadership_traj_title", lg),
                                                    method_starts=m.method_starts), "traj", tuple(provinces), span)
chart_block(fig, v.trajectories_table, key="traj", source=t("leadership_source", lg),
            file_stem=f"pci-compare-composite-{span[0]}-{span[1]}")
# Render: learn from the leaders.
st.subheader(t("leadership_leaders_title", lg))
if v.leader_codes:
    st.caption(t("leadership_leaders_caption", lg, year=year))
    st.dataframe(shown[1], hide_index=True, placeholder="", width="stretch")
    url_value("cmp_lead", v.leader_codes, v.leader_codes[0])
    st.selectbox(t("leadership_leader_pick", lg), v.leader_codes, key="cmp_lead", format_func=v.sub_names.get)
    sync_url("cmp_lead", v.leader_codes[0])
    code = str(st.session_state["cmp_lead"])
    lead_series, leader_name, lead_table = cached_view(
        lambda: (*compare.leader_series(m, code, lg), compare.leader_table(m, code, lg)), "leader", code, key)
    fig = cached_figure(lambda: charts.provinces_figure(
        lead_series, lang=lg, style=sty, y_title=t("score", lg), method_starts=m.method_starts,
        title=t("leadership_leader_traj_title", lg, name=v.sub_names[code], leader=leader_name)), "leader", code, key)
    chart_block(fig, lead_table, key="leader", source=t("leadership_source", lg), file_stem=f"pci-leader-{code}-{year}")
else:
    st.info(t("leadership_leaders_none", lg, year=year, full=opts.full_year))
# Render: the provinces' tile map (a measure in a year; 2025 on: the 34 units).
st.subheader(t("cm_map_title", lg))
map_opts = load(tile_map.map_options)
map_default = year if year in map_opts.years else map_opts.years[-1]
m1, m2 = st.columns(2)
url_value("cmp_map_year", map_opts.years, map_default)
m1.selectbox(t("cm_map_year", lg), map_opts.years, key="cmp_map_year")
sync_url("cmp_map_year", map_default)
map_year = int(st.session_state["cmp_map_year"])
map_names = {c: (e if lg == "en" else v) for c, v, e in map_opts.measures[map_year]}
url_value("cmp_map", list(map_names), "composite")
m2.selectbox(t("cm_map_measure", lg), list(map_names), key="cmp_map", format_func=map_names.get)
sync_url("cmp_map", "composite")
map_code = str(st.session_state["cmp_map"])
tm = cached_view(lambda: load(tile_map.map_model, map_code, map_year), "map-model", map_code, map_year)
fig = cached_figure(lambda: charts_map.tile_map_figure(tm, lang=lg, style=sty, title=t(
    "cm_map_chart", lg, name=tm.name(lg), year=map_year, units=tm.units)), "map", map_code, map_year)
chart_block(fig, tm.table(lg), key="map", source=t("leadership_source", lg), file_stem=f"pci-map-{map_code}-{map_year}")
st.caption(t("cm_map_caption", lg, known=tm.n_known, units=tm.units))
st.divider()
st.caption(t("sources_footer", lg))

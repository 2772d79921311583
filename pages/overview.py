"""Overview: Hải Phòng's composite and rank 2006–2024 against the median and the top province, the
scorecard of the plan's priorities (value, change, target status, rank) and where the points are."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import fmt_num, fmt_signed, t
from pci_metrics.domain.targets import MAX_WATCH_BAND, MAX_WATCH_PLACES
from pci_metrics.outputs import charts
from pci_metrics.store import reference_db
from pci_metrics.ui.backup_status import backup_notice
from pci_metrics.ui.commentary_block import commentary_block, projection_block
from pci_metrics.ui.common import (
    arrow,
    cached_figure,
    cached_view,
    chart_block,
    current_user,
    has_role,
    inside_app,
    lang,
    load,
    plain_md,
    style,
    with_db,
)
from pci_metrics.views import commentary, dashboard, leadership, projection, scorecard

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg = lang()
sty = style()
# Data (models, tables and figures are built once per data version, language and theme).
m = cached_view(lambda: load(dashboard.overview_model), "overview-model")
sc = cached_view(lambda: load(scorecard.scorecard_model), "scorecard-model")
card, points = cached_view(lambda: (arrow(sc.table(lg)), sc.points_table(lg)), "scorecard-tables")
forecast = cached_view(lambda: projection.composite_projection(
    m.composite, sc.rows, load(reference_db.load_frameworks), load(reference_db.load_plan)), "overview-projection")
words = cached_view(lambda: commentary.overview_commentary(m, sc.rows, lg, forecast), "overview-commentary")
# Render.
st.title(t("overview_title", lg))
st.caption(t("overview_caption", lg))
backup_notice(lg)  # administrators only
latest = m.composite.dropna(subset=["value"]).iloc[-1]
c1, c2, c3 = st.columns(3)
c1.metric(t("composite_of_year", lg, year=m.latest_year), fmt_num(latest["value"], lg),
          fmt_signed(m.trend.change_on_last_year, lg) + " " + t("change_on_last_year", lg)
          if m.trend.change_on_last_year is not None else None)
c2.metric(t("rank_of_year", lg, year=m.latest_year),
          t("rank_of", lg, rank=int(latest["rank"]), n=int(latest["rank_of"])))
c3.metric(t("median_of_year", lg, year=m.latest_year),
          fmt_num(m.median[m.median["year"] == m.latest_year]["value"].squeeze(), lg))
if m.latest_year_scope == "top30":
    st.info(t("top30_note", lg))
commentary_block(words, lg)

st.subheader(t("leadership_scorecard_title", lg))
# our own fixed stylesheet: on a phone the scorecard keeps a readable width and scrolls sideways
# instead of squeezing seven columns into 360 px (one word a line); the status is its second column,
# so it is on screen before any scrolling
st.html("<style>[data-testid='stMain'] [data-testid='stTable'] { overflow-x: auto; }"
        "[data-testid='stMain'] [data-testid='stTable'] table { min-width: 40rem; }</style>")
st.table(card, hide_index=True)
for line in sc.target_sources(lg):
    st.caption(t("leadership_target_source", lg, line=plain_md(line)))
st.caption(t("leadership_scorecard_lineage", lg))
with st.expander(t("leadership_rule_title", lg)):
    st.markdown(t("leadership_rule", lg, band=fmt_num(sc.watch_band, lg), places=sc.watch_places))
    if has_role("analyst"):
        with st.form("rag_bands"):
            band = st.number_input(t("leadership_band_points", lg), 0.0, MAX_WATCH_BAND, sc.watch_band,
                                   0.05, key="rag_band")
            places = st.number_input(t("leadership_band_places", lg), 0, MAX_WATCH_PLACES,
                                     sc.watch_places, 1, key="rag_places")
            if st.form_submit_button(t("leadership_save", lg)):
                with_db(lambda con: leadership.save_watch_bands(con, band, places, current_user()))
                st.rerun()

name = "name_en" if lg == "en" else "name_vi"
fig = cached_figure(lambda: charts.trend_figure(
    [(t("series_haiphong", lg), m.composite), (t("series_median", lg), m.median), (t("series_top", lg), m.top)],
    lang=lg, style=sty, title=t("composite_chart_title", lg), y_title=t("composite", lg)), "overview-composite")
chart_block(fig, m.table(), key="composite", source=t("leadership_source", lg), file_stem="pci-haiphong-composite")

fig_rank = cached_figure(lambda: charts.rank_figure(m.composite, lang=lg, style=sty, title=t("rank_chart_title", lg)),
                         "overview-rank")
chart_block(fig_rank, m.composite[["year", "rank", "rank_of", "source"]], key="rank",
            source=t("leadership_source", lg), file_stem="pci-haiphong-rank")
projection_block(forecast, t("cm_composite_name", lg), lg, key="composite",
                 y_title=t("rank", lg) if forecast and forecast.projection.kind == "rank" else t("composite", lg))

if m.profile_year is not None:
    if m.profile_year < m.latest_year:
        st.warning(t("profile_unknown", lg, year=m.latest_year))
    fig_p = cached_figure(lambda: charts.profile_figure(
        m.profile, lang=lg, style=sty, year=m.profile_year, prev=m.profile_prev or m.profile_year,
        title=t("profile_chart_title", lg, year=m.profile_year, prev=m.profile_prev)), "overview-profile")
    chart_block(fig_p, m.profile[["code", name, "prev", "latest", "change"]], key="profile",
                source=t("leadership_source", lg), file_stem=f"pci-haiphong-subindices-{m.profile_year}")

st.subheader(t("leadership_points_title", lg))
if sc.unknown_weight_frameworks:
    st.info(t("leadership_points_2025", lg))
if sc.points_year is None:
    st.info(t("leadership_points_none", lg))
else:
    if sc.hp_sub_year and sc.hp_sub_year > sc.points_year:
        st.caption(t("leadership_points_year_note", lg, hp=sc.hp_sub_year, year=sc.points_year))
    fig_pts = cached_figure(lambda: charts.bar_figure(
        sc.points[name].tolist(), sc.points["points"].astype(float).tolist(), lang=lg, style=sty,
        title=t("leadership_points_chart", lg, year=sc.points_year), x_title=t("leadership_col_points", lg)),
        "overview-points")
    chart_block(fig_pts, points, key="points", file_stem=f"pci-haiphong-points-{sc.points_year}",
                source=t("leadership_points_caption", lg, year=sc.points_year,
                         fw=sc.framework_name(sc.points_framework, lg), now=sc.framework_name(sc.now_framework, lg)))
st.divider()
st.caption(t("sources_footer", lg))

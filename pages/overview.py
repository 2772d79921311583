"""Overview: Hải Phòng's composite and rank 2006–2024 against the median and the top province."""

from __future__ import annotations

import streamlit as st

from pci_metrics import charts, dashboard
from pci_metrics.i18n import fmt_num, fmt_signed, t
from pci_metrics.ui.common import chart_block, lang, load, style

# Inputs.
lg = lang()
sty = style()
# Data.
m = load(dashboard.overview_model)
# Render.
st.title(t("overview_title", lg))
st.caption(t("overview_caption", lg))
latest = m.composite.dropna(subset=["value"]).iloc[-1]
c1, c2, c3 = st.columns(3)
c1.metric(t("latest_composite", lg) + f" ({m.latest_year})", fmt_num(latest["value"], lg),
          fmt_signed(m.trend.change_on_last_year, lg) + " " + t("change_on_last_year", lg)
          if m.trend.change_on_last_year is not None else None)
c2.metric(t("latest_rank", lg) + f" ({m.latest_year})",
          t("rank_of", lg, rank=int(latest["rank"]), n=int(latest["rank_of"])))
c3.metric(t("series_median", lg) + f" ({m.latest_year})",
          fmt_num(m.median[m.median["year"] == m.latest_year]["value"].squeeze(), lg))
if m.latest_year_scope == "top30":
    st.info(t("top30_note", lg))

name = "name_en" if lg == "en" else "name_vi"
fig = charts.trend_figure(
    [(t("series_haiphong", lg), m.composite), (t("series_median", lg), m.median),
     (t("series_top", lg), m.top)],
    lang=lg, style=sty, title=t("composite_chart_title", lg), y_title=t("composite", lg))
chart_block(fig, m.table(), key="composite", source=t("sources_footer", lg), file_stem="pci-haiphong-composite")

fig_rank = charts.rank_figure(m.composite, lang=lg, style=sty, title=t("rank_chart_title", lg))
chart_block(fig_rank, m.composite[["year", "rank", "rank_of", "source"]], key="rank",
            source=t("sources_footer", lg), file_stem="pci-haiphong-rank")

if m.profile_year is not None:
    if m.profile_year < m.latest_year:
        st.warning(t("profile_unknown", lg, year=m.latest_year))
    fig_p = charts.profile_figure(m.profile, lang=lg, style=sty, year=m.profile_year,
                                  prev=m.profile_prev or m.profile_year,
                                  title=t("profile_chart_title", lg, year=m.profile_year, prev=m.profile_prev))
    chart_block(fig_p, m.profile[["code", name, "prev", "latest", "change"]], key="profile",
                source=t("sources_footer", lg), file_stem=f"pci-haiphong-subindices-{m.profile_year}")
st.divider()
st.caption(t("sources_footer", lg))

"""A province's profile: its composite and rank over the years against the median and the top
province, and its sub-indices in a year with data against the median, with the sources.
``?province=<key>`` picks the province, so a profile can be bookmarked and linked to."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import fmt_num, name_col, t
from pci_metrics.outputs import charts
from pci_metrics.ui.common import (
    cached_figure,
    cached_view,
    chart_block,
    inside_app,
    lang,
    load,
    style,
    sync_url,
    url_value,
)
from pci_metrics.views import provinces
from pci_metrics.views.leadership import HAIPHONG

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg, sty = lang(), style()
opts = load(provinces.provinces_options)
keys = opts.provinces["entity_key"].tolist()
label = dict(zip(keys, opts.provinces[name_col(lg)], strict=True))
url_value(provinces.PROFILE_PARAM, keys, HAIPHONG)
key = str(st.session_state[provinces.PROFILE_PARAM])
# Data (the profile once per province and data version).
p = cached_view(lambda: load(provinces.province_profile, key), "province-profile", key)
name = p.name(lg)
# Render: the province, its composite and rank over the years.
st.title(t("profile_title", lg, name=name))
st.caption(t("profile_caption", lg))
st.selectbox(t("profile_province", lg), keys, key=provinces.PROFILE_PARAM, format_func=lambda k: label.get(k, k))
sync_url(provinces.PROFILE_PARAM, HAIPHONG)
last = p.latest_year
if last is None:
    st.info(t("profile_no_composite", lg, name=name))
else:
    rank, ranked = p.latest_rank()
    c1, c2 = st.columns(2)
    c1.metric(t("composite_of_year", lg, year=last), fmt_num(p.latest_value(), lg))
    c2.metric(t("rank_of_year", lg, year=last),
              t("rank_of", lg, rank=rank, n=ranked) if rank and ranked else t("no_data", lg))
    if p.scopes.get(last) == "top30":
        st.info(t("profile_scope_top", lg, year=last))
    fig = cached_figure(lambda: charts.trend_figure(
        [(name, p.composite), (t("series_median", lg), p.median), (t("series_top", lg), p.top)], lang=lg, style=sty,
        title=t("profile_composite_title", lg, name=name), y_title=t("composite", lg)), "profile-composite", key)
    chart_block(fig, p.history_table(lg), key="prof_composite", source=t("leadership_source", lg),
                file_stem=f"pci-{key}-composite")
    fig = cached_figure(lambda: charts.rank_figure(p.composite, lang=lg, style=sty,
                                                   title=t("profile_rank_title", lg, name=name)), "profile-rank", key)
    chart_block(fig, p.history_table(lg), key="prof_rank", source=t("leadership_source", lg),
                file_stem=f"pci-{key}-rank")
# Render: the sub-indices of a year against the median.
if p.sub_year is None:
    st.info(t("profile_sub_none", lg, name=name))
else:
    url_value("prof_sub_year", p.sub_years, p.sub_year)
    st.selectbox(t("year", lg), p.sub_years, key="prof_sub_year")
    sync_url("prof_sub_year", p.sub_year)
    sub_year = int(st.session_state["prof_sub_year"])
    known, total, has_median = p.sub_summary(sub_year)
    st.caption(t("profile_sub_known", lg, year=sub_year, n=known, total=total, name=name))
    if not has_median:
        st.info(t("profile_sub_no_median", lg, year=sub_year) + (
            " " + t("profile_sub_median_in", lg, year=p.median_years[-1]) if p.median_years else ""))
    fig = cached_figure(lambda: charts.profile_figure(
        p.sub_chart_frame(sub_year), lang=lg, style=sty, year=sub_year, prev=sub_year,
        title=t("profile_sub_title", lg, year=sub_year, name=name), prev_label=t("series_median", lg),
        latest_label=name, height=140 + 48 * total), "profile-subs", key, sub_year)
    chart_block(fig, p.sub_table(sub_year, lg), key="prof_subs", source=t("leadership_source", lg),
                file_stem=f"pci-{key}-subindices-{sub_year}")
st.divider()
st.caption(t("sources_footer", lg))

"""A prioritized sub-index: latest value against the target, gaps, trend and rank, where Hải Phòng
stands among provinces, the lineage behind its history, its indicators, the plan's tasks and the
analysts' notes. One file serves every priority page: app.py puts the page's code in
``st.session_state["nav_page"]``."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pci_metrics.base.i18n import fmt_num, fmt_signed, t
from pci_metrics.domain.notes import YEAR_NOTE_MAX_CHARS
from pci_metrics.outputs import charts
from pci_metrics.store import reference_db, scores_db, storage
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
    style,
    sync_url,
    url_value,
    with_db,
)
from pci_metrics.views import commentary, dashboard, priority, priority_tables, projection
from pci_metrics.views.leadership import HAIPHONG
from pci_metrics.views.leadership_text import md_literal, target_text
from pci_metrics.views.marks import target_colour, target_label

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg, sty = lang(), style()
code = str(st.session_state.get("nav_page", ""))
if code not in set(load(reference_db.load_priorities)["code"]):
    st.title(t("nav_priorities", lg))
    st.error(t("leadership_unknown_priority", lg))
    st.stop()
# Data (the model and its tables are built once per data version, language and day).
today = date.today().isoformat()
m = cached_view(lambda: load(priority.priority_model, code, today), "priority-model", code, today)
tb = cached_view(lambda: priority_tables.priority_tables(m, lg), "priority-tables", code, today)
shown = cached_view(lambda: {k: arrow(v) for k, v in {"gaps": tb.gaps, "lineage": tb.lineage, "tasks": tb.tasks,
                                                      **tb.indicators}.items()}, "priority-shown", code, today)
forecast = cached_view(lambda: projection.priority_projection(
    m, load(reference_db.load_frameworks), load(reference_db.load_plan)), "priority-projection", code, today)
words = cached_view(lambda: commentary.priority_commentary(
    m, lg, commentary.sub_changes(load(dashboard.overview_model)), forecast), "priority-commentary", code, today)
name, src = m.name(lg), t("leadership_source", lg)
if m.kind == "lineage":
    src = f"{src} {t('leadership_derived_source', lg)}"
# Render: headline.
st.title(name)
st.caption(t("leadership_priority_caption", lg, plan=md_literal(m.plan_source)))
if m.kind == "lineage":
    st.info(tb.lineage_text)
elif m.kind == "none":
    st.warning(t("leadership_no_history", lg))
lt = m.latest
c1, c2, c3 = st.columns(3)
c1.metric(t("leadership_latest_value", lg, year=lt.year or ""), fmt_num(lt.value, lg),
          fmt_signed(lt.change, lg) + " " + t("change_on_last_year", lg) if lt.change is not None else None)
c2.metric(t("leadership_latest_rank", lg, year=lt.year or ""),
          t("rank_of", lg, rank=lt.rank, n=lt.rank_of) if lt.rank and lt.rank_of else t("no_data", lg))
c3.metric(t("leadership_target_of", lg, year=m.target["year"]) if m.target else t("leadership_target", lg),
          target_text(m.target, lg) or t("leadership_none_set", lg))
st.badge(f"{t('leadership_status', lg)}: {target_label(m.status, lg)}", color=target_colour(m.status))
if m.target is None:
    st.caption(t("leadership_target_who", lg))
if lt.change_note == "break":
    st.caption(t("leadership_change_break_note", lg, year=lt.year))
if not m.framework_weights_known:
    st.caption(t("leadership_weights_unknown", lg, framework=m.framework_id.upper().replace("PCI", "PCI ")))
commentary_block(words, lg)

st.subheader(t("leadership_gaps_title", lg))
st.dataframe(shown["gaps"], hide_index=True, placeholder="", width="stretch")
st.caption(t("leadership_gaps_caption", lg, year=m.bench_year) if m.bench_year else t("leadership_gaps_none", lg))

# Render: trend with the analysts' notes under it.
bench = m.benchmarks.assign(value=m.benchmarks["median"])
top = m.benchmarks.assign(value=m.benchmarks["top_score"])
fig = cached_figure(lambda: charts.trend_figure(
    [(t("series_haiphong", lg), m.series), (t("series_median", lg), bench), (t("series_top", lg), top)],
    lang=lg, style=sty, title=t("leadership_trend_title", lg, name=name), y_title=t("score", lg),
    target=m.target["target_score"] if m.target else None, notes=m.chart_notes()), "priority-trend", code)
chart_block(fig, tb.chart, key="trend", source=src, file_stem=f"pci-{code}-trend")
st.caption(t("leadership_trend_caption", lg, year=m.bench_year or ""))
projection_block(forecast, name, lg, key=code,
                 y_title=t("rank", lg) if forecast and forecast.projection.kind == "rank" else t("score", lg))
st.markdown(f"**{t('leadership_notes_title', lg)}**")
for r in storage.records(m.notes):
    st.text(t("leadership_note_line", lg, year=r.year, text=r.text, author=r.author or ""))
if m.notes.empty:
    st.caption(t("leadership_notes_none", lg))
if has_role("analyst"):
    with st.expander(t("leadership_note_edit", lg)):
        year = st.selectbox(t("leadership_note_year", lg), sorted(m.series["year"].astype(int))[::-1], key="note_year")
        with st.form("note_form"):
            text = st.text_area(t("leadership_note_text", lg), value=m.notes_by_year().get(year, ""),
                                max_chars=YEAR_NOTE_MAX_CHARS, key=f"note_text_{year}")
            saved = st.form_submit_button(t("leadership_save", lg))
        if saved:
            with_db(lambda con: scores_db.save_year_note(con, HAIPHONG, int(year), code, text, current_user()))
            st.rerun()

# Render: rank over time and where Hải Phòng stands.
ranked = m.series.dropna(subset=["rank"])
if ranked.empty:
    st.info(t("leadership_rank_none", lg))
else:
    fig = cached_figure(lambda: charts.rank_figure(ranked, lang=lg, style=sty,
                                                   title=t("leadership_rank_title", lg, name=name)), "priority-rank", code)
    chart_block(fig, tb.rank, key="rank", source=src, file_stem=f"pci-{code}-rank")
if not m.distribution.empty:
    year_d = int(m.distribution["year"].iloc[0])
    fig = cached_figure(lambda: charts.standing_figure(
        m.distribution, highlight=HAIPHONG, lang=lg, style=sty,
        title=t("leadership_dist_title", lg, name=name, year=year_d)), "priority-dist", code)
    chart_block(fig, tb.distribution, key="dist", source=src, file_stem=f"pci-{code}-{year_d}")
    st.caption(t("leadership_dist_caption", lg))

# Render: the lineage and the classic sub-indices behind the history.
if m.kind == "lineage":
    st.subheader(t("leadership_lineage_title", lg))
    st.dataframe(shown["lineage"], hide_index=True, placeholder="", width="stretch")
if m.classic["classic_code"].nunique() > 1:  # one classic sub-index: it is the trend above
    cols = "name_en" if lg == "en" else "name_vi"
    fig = cached_figure(lambda: charts.provinces_figure(
        [(str(g[cols].iloc[0]), g) for _, g in m.classic.groupby("classic_code", sort=False)],
        lang=lg, style=sty, title=t("leadership_classic_title", lg), y_title=t("score", lg)), "priority-classic", code)
    chart_block(fig, tb.classic, key="classic", source=t("leadership_source", lg),
                file_stem=f"pci-{code}-classic")

# Render: indicators (drill-down) and the plan's tasks.
st.subheader(t("leadership_indicators_title", lg))
subs = list(tb.indicators)
if subs:
    url_value("ind_sub", subs, subs[0])
    st.segmented_control(t("leadership_indicator_sub", lg), subs, key="ind_sub", format_func=tb.sub_labels.get,
                         required=True)
    sync_url("ind_sub", subs[0])
    st.caption(t("leadership_indicators_note", lg, years=", ".join(str(int(y)) for y in
                                                                  sorted(m.indicators["year"].unique()))))
    st.dataframe(shown[str(st.session_state["ind_sub"])], hide_index=True, placeholder="", width="stretch")
else:
    st.info(t("leadership_indicators_none", lg))
st.subheader(t("leadership_tasks_title", lg))
if m.tasks.empty:
    st.info(t("leadership_tasks_none", lg))
else:
    st.dataframe(shown["tasks"], hide_index=True, placeholder="", width="stretch")
    st.caption(t("leadership_tasks_caption", lg, period=m.tasks["period"].iloc[0]))
st.divider()
st.caption(t("sources_footer", lg))

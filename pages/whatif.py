"""What-if: move sub-index scores, watch the composite and the rank; what it takes to reach a rank."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import fmt_num, fmt_signed, t
from pci_metrics.domain.scenario_weights import SCENARIO_ASSUMPTIONS
from pci_metrics.outputs import charts
from pci_metrics.store.storage import records
from pci_metrics.ui.common import (
    cached_figure,
    cached_view,
    chart_block,
    inside_app,
    lang,
    load,
    plain_md,
    style,
    styled,
    sync_url,
    sync_url_number,
    url_number,
    url_value,
)
from pci_metrics.views import scenario_text, scenarios

inside_app()  # never run without app.py's navigation and role gate

MAX_STEPS = ["best", 0.5, 1.0, 2.0]
GAP_FRACTIONS = [0.25, 0.5, 0.75, 1.0]


def reset(keys: list[str]) -> None:
    for key in keys:
        st.session_state[key] = 0.0


# Inputs.
lg = lang()
sty = style()
ch = load(scenarios.choices)
st.title(t("whatif_title", lg))
st.caption(t("whatif_caption", lg))
c1, c2 = st.columns([3, 2])
c3, c4 = st.columns([3, 2])
url_value("wi_entity", ch.keys(), scenarios.DEFAULT_ENTITY)
entity = c1.selectbox(t("whatif_entity", lg), ch.keys(), key="wi_entity", format_func=lambda k: ch.name(k, lg))
sync_url("wi_entity", scenarios.DEFAULT_ENTITY)
default_year = ch.default_year(entity)
url_value("wi_year", ch.years_for(entity), default_year)
year = c2.selectbox(t("whatif_year", lg), ch.years_for(entity), key="wi_year")
sync_url("wi_year", default_year)
url_value("wi_view", list(scenarios.VIEWS), scenarios.VIEW_CLASSIC)
view = c3.segmented_control(t("whatif_view", lg), list(scenarios.VIEWS), key="wi_view", required=True,
                            format_func=lambda v: t(f"whatif_view_{v}", lg))
sync_url("wi_view", scenarios.VIEW_CLASSIC)
assumption = "lineage_2022"
if view == scenarios.VIEW_PCI2025:
    url_value("wi_assume", list(SCENARIO_ASSUMPTIONS), "lineage_2022")
    assumption = c4.radio(t("whatif_assumption", lg), list(SCENARIO_ASSUMPTIONS), key="wi_assume",
                          format_func=lambda a: t(f"whatif_assume_{a}", lg), horizontal=True)
    sync_url("wi_assume", "lineage_2022")

# Data (the year's scores and weights, cached).
base = load(scenarios.base_model, entity, year, view, assumption)
if base.problem is not None:
    st.warning(plain_md(base.problem.text(lg) + " " + t("whatif_problem_who", lg)))
    st.stop()
if base.scenario is not None:
    st.info(t("whatif_pci2025_intro", lg, year=year) + " " + base.scenario.label(lg))
if not base.rank_supported:
    st.info(plain_md(t("whatif_rank_unsupported", lg, years=scenarios.years_text(list(base.rank_years)), year=year,
                       entity=ch.name(entity, lg))))

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(t("whatif_sliders", lg))
    st.caption(t("whatif_sliders_help", lg))
    deltas: dict[str, float] = {}
    slider_keys = [f"wi_d_{c}" for c in base.codes]
    for r in records(base.subindices):
        key = f"wi_d_{r.code}"
        url_number(key, r.lo, r.hi, 0.0, scenarios.STEP)
        label = t("whatif_slider_label", lg, name=r.name_en if lg == "en" else r.name_vi,
                  score=fmt_num(r.score, lg), weight=scenario_text.weight_text(r.weight, lg))
        deltas[r.code] = st.select_slider(plain_md(label), scenarios.slider_options(r.lo, r.hi), key=key,
                                          format_func=lambda v: fmt_signed(v, lg) if v else fmt_num(0, lg))
        sync_url_number(key, 0.0)
    st.button(t("whatif_reset", lg), on_click=reset, args=(slider_keys,), key="wi_reset")

st.subheader(scenario_text.labelled(t("whatif_target", lg), base, lg))
t1, t2 = st.columns(2)
url_value("wi_rank", list(range(1, base.n_provinces + 1)), 1)
target = t1.number_input(t("whatif_target_rank", lg), min_value=1, max_value=base.n_provinces, step=1, key="wi_rank")
sync_url("wi_rank", 1)
url_value("wi_step", MAX_STEPS, "best")
max_step = t2.select_slider(t("whatif_max_step", lg), MAX_STEPS, key="wi_step", format_func=lambda s: (
    t("whatif_max_step_best", lg) if s == "best" else t("whatif_max_step_points", lg, points=fmt_num(s, lg, 1))))
sync_url("wi_step", "best")
target_box = st.container()

st.subheader(scenario_text.labelled(t("whatif_marginal", lg), base, lg))
gap = 0.5
if base.rank_supported:  # the gap to the year's best is only known when every province is
    url_value("wi_gap", GAP_FRACTIONS, 0.5)
    gap = st.select_slider(t("whatif_gap_fraction", lg), GAP_FRACTIONS, key="wi_gap",
                           format_func=lambda f: f"{fmt_num(f * 100, lg, 0)}%")
    sync_url("wi_gap", 0.5)
else:
    st.caption(t("whatif_marginal_no_best", lg, year=year))

# Process data (pure: the rank plan and marginal values once per choice, the changes on every move).
step = None if max_step == "best" else float(max_step)
fixed = cached_view(lambda: scenarios.targets(base, int(target), float(gap), step), "whatif_targets", entity, year,
                    view, assumption, int(target), float(gap), step)
out = scenarios.outcome(base, deltas, fixed=fixed)

# Render.
with right:
    st.subheader(scenario_text.labelled(t("whatif_results", lg), base, lg))
    label_c = t("whatif_composite_2025" if base.scenario is not None else "whatif_composite", lg)
    st.metric(scenario_text.labelled(label_c, base, lg), fmt_num(out.composite_after, lg),
              fmt_signed(out.composite_delta, lg) if out.changed else None)
    rank_value, rank_delta, rank_help = scenario_text.rank_display(out, lg)
    st.metric(scenario_text.labelled(t("whatif_rank", lg), base, lg), rank_value, rank_delta, help=rank_help)
    st.caption(plain_md(scenario_text.before_text(out, lg)))
    for note in out.notes:
        st.caption(plain_md(note.text(lg)))

with target_box:
    kind, text, plan = scenario_text.target_message(out, lg)
    {"success": st.success, "warning": st.warning}.get(kind, st.info)(plain_md(text))
    if plan is not None and not plan.empty:
        st.dataframe(styled(plan, lg), hide_index=True, placeholder="", width="stretch")

labels, series, table = scenario_text.marginal_chart(out, lg)
fig = cached_figure(lambda: charts.marginal_figure(
    labels, series, lang=lg, style=sty, x_title=t("whatif_marginal_axis", lg), title=scenario_text.chart_title(
        t("whatif_marginal_title", lg, entity=ch.name(entity, lg), year=year), base, lg)),
    "whatif_marginal", entity, year, view, assumption, float(gap))
source = plain_md(scenario_text.source_text(base, lg))  # score sources come from imports: shown as typed
chart_block(fig, table, key="whatif_marginal", source=source,
            file_stem=f"pci-whatif-marginal-{entity}-{year}")

if not out.standings.empty:
    window = scenario_text.standings_window(out)
    rank_text = t("rank_of", lg, rank=out.rank_after, n=out.n_provinces)
    fig_s = charts.standings_figure(window, highlight=entity, before=out.composite_before, lang=lg, style=sty,
                                    before_label=t("whatif_standings_before", lg), title=scenario_text.chart_title(
                                        t("whatif_standings_title", lg, entity=ch.name(entity, lg), rank=rank_text),
                                        base, lg))
    chart_block(fig_s, window, key="whatif_standings", source=source,
                file_stem=f"pci-whatif-standings-{entity}-{year}")

"""Service index (Decision 766): the ward's readings per period, five groups, total, band, trend."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import fmt_num, fmt_signed, t
from pci_metrics.outputs import charts, service_tables
from pci_metrics.ui.common import chart_block, inside_app, lang, load, style
from pci_metrics.views import service

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg = lang()
sty = style()
# Data.
m = load(service.service_model)
# Render.
st.title(t("service_title", lg))
st.caption(t("service_caption", lg))
if m.empty:
    st.info(t("service_empty", lg))
else:
    c1, c2, c3 = st.columns(3)
    c1.metric(t("service_latest", lg) + (f" ({m.latest_period})" if m.latest_period else ""),
              fmt_num(m.latest_total, lg) + ("/100" if m.latest_total is not None else ""),
              (fmt_signed(m.change, lg) + " " + t("service_change", lg)) if m.change is not None else None)
    c2.metric(t("service_band", lg), t(f"service_band_{m.latest_band}", lg).split(" (")[0])
    partial = m.table[~m.table["complete"]]
    for p in partial["period"]:
        st.warning(t("service_partial", lg, period=p))
    periods, groups, totals = service_tables.figure_data(m, lg)
    fig = charts.service_figure(periods, groups, totals, lang=lg, style=sty, title=t("service_chart_title", lg),
                                y_title=t("score", lg), band_lines=[(90, t("service_line_excellent", lg)),
                                                                    (50, t("service_line_weak", lg))])
    chart_block(fig, service_tables.readings_view(m, lg), key="service", source=t("service_source", lg),
                file_stem="chi-so-phuc-vu-qd766-hong-bang")
st.dataframe(service_tables.groups_table(m, lg), hide_index=True, placeholder="")
st.caption(t("service_pair_note", lg))
st.caption(f"{t('source', lg)}: {t('service_source', lg)}")

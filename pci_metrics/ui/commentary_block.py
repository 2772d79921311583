"""The written commentary on a page (the sentences, each with its footnote number, and the sources
under them: :mod:`pci_metrics.views.commentary`) and the projection to the target year
(:mod:`pci_metrics.views.projection`)."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.outputs import charts_projection
from pci_metrics.ui.common import cached_figure, chart_block, plain_md, style
from pci_metrics.views import projection
from pci_metrics.views.commentary import Commentary
from pci_metrics.views.projection import MeasureProjection


def commentary_block(c: Commentary, lang: str) -> None:
    """A "Nhận định" box: the sentences as a list, the sources as footnotes (data text stays literal)."""
    if not c.sentences:
        return
    with st.container(border=True, key="commentary"):
        st.markdown(f"**{t('cm_title', lang)}**")
        st.markdown("\n".join(f"- {plain_md(line)}" for line in c.lines()))
        notes = c.footnotes(lang)
        if notes:
            st.caption(t("cm_sources", lang) + "  \n" + "  \n".join(plain_md(n) for n in notes))


def projection_block(mp: MeasureProjection | None, name: str, lang: str, *, key: str, y_title: str) -> None:
    """The projection to the target year: its status, its sentence, the chart when there is a
    projection (else why there is none) and, next to it, the method and its limits."""
    if mp is None:
        return
    p = mp.projection
    st.subheader(t("pj_title", lang))
    st.badge(projection.status_label(p.status, lang), color=projection.COLOURS.get(p.status, "gray"))
    text = plain_md(projection.projection_text(mp, name, lang))
    if p.status == "not_enough":
        st.info(text)
    else:
        st.markdown(text)
        fig = cached_figure(lambda: charts_projection.projection_figure(
            mp, lang=lang, style=style(), y_title=y_title,
            title=t("pj_chart_title", lang, name=name, ty=p.target_year)), "projection", key)
        data = p.line().merge(mp.series[["year", "value"]].rename(columns={"value": "observed"}), on="year", how="outer")
        chart_block(fig, data.sort_values("year"), key=f"projection_{key}", source=t("leadership_source", lang),
                    file_stem=f"pci-{key}-projection-{p.target_year}")
    st.caption(projection.method_text(lang))

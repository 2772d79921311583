"""The written commentary on a page: the sentences, each with its footnote number, and the sources
under them (the sentences come from :mod:`pci_metrics.views.commentary`)."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.ui.common import plain_md
from pci_metrics.views.commentary import Commentary


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

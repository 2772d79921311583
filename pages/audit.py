"""Audit log (administrators): every write — who, when, what (old → new), which import batch."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import t, tn
from pci_metrics.trust import audit
from pci_metrics.ui.common import inside_app, lang, load, require_role

inside_app()  # never run without app.py's navigation and role gate

require_role("admin")
# Inputs.
lg = lang()
st.title(t("trust_audit_title", lg))
st.caption(t("trust_audit_caption", lg))
choices = load(audit.filter_choices)
any_ = t("trust_any", lg)
c1, c2, c3, c4, c5 = st.columns(5)
user = c1.selectbox(t("trust_f_user", lg), [None, *choices["user_name"]], key="audit_user",
                    format_func=lambda v: any_ if v is None else v)
action = c2.selectbox(t("trust_f_action", lg), [None, *choices["action"]], key="audit_action",
                      format_func=lambda v: any_ if v is None else audit.action_words(v, lg))
table = c3.selectbox(t("trust_f_table", lg), [None, *choices["table_name"]], key="audit_table",
                     format_func=lambda v: any_ if v is None else audit.table_words(v, lg))
batch = c4.number_input(t("trust_f_batch", lg), min_value=1, step=1, value=None, key="audit_batch")
days = c5.selectbox(t("trust_f_days", lg), [None, 1, 7, 30, 365], key="audit_days",
                    format_func=lambda v: any_ if v is None else str(v))
# Data.
names = load(audit.record_names, lg)
frame = audit.readable(load(audit.filtered, user, action, table, None if batch is None else int(batch), days), lg, names)
# Render.
st.caption(tn("trust_audit_count", lg, len(frame)))
if frame.empty:
    st.info(t("trust_audit_empty", lg))
st.dataframe(frame, hide_index=True, placeholder="", width="stretch", key="audit_table_view")
stem = t("trust_audit_file", lg)
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button(t("download_csv", lg), lambda: audit.to_csv_bytes(frame), file_name=f"{stem}.csv",
                   mime="text/csv", key="audit_csv", on_click="ignore")
d2.download_button(t("download_xlsx", lg), lambda: audit.to_xlsx_bytes(frame, t("trust_audit_title", lg)),
                   file_name=f"{stem}.xlsx", key="audit_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
if batch is not None:  # an import's audit line counts rows; the rows themselves are here
    st.subheader(t("trust_batch_rows", lg, batch=int(batch)))
    st.dataframe(audit.readable(load(audit.batch_rows, int(batch)), lg, names), hide_index=True, placeholder="", width="stretch",
                 key="audit_batch_rows")

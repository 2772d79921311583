"""Import: upload a VCCI workbook, the template or a CSV → problems or preview → import → undo; quick forms."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.base.problems import InputError, Problem
from pci_metrics.imports import commit, display, forms, ingest, limits, naming, template
from pci_metrics.store import storage
from pci_metrics.ui.common import current_role, current_user, db, inside_app, lang, load, load_by_path, require_role

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg = lang()
require_role("analyst")
st.title(t("ingest_title", lg))
st.caption(t("ingest_caption", lg, mb=limits.MAX_BYTES // 1024 // 1024, rows=fmt_num(limits.MAX_ROWS, lg, 0)))
st.download_button(t("ingest_template_button", lg), data=lambda: template.template_bytes(db()), file_name="mau-nhap-lieu-pci.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="ingest_template", on_click="ignore")
upload = st.file_uploader(t("ingest_upload", lg), key="ingest_file", max_upload_size=limits.MAX_BYTES // 1024 // 1024)
year = st.number_input(t("ingest_year", lg), min_value=limits.YEAR_MIN, max_value=2100, value=None, step=1,
                       key="ingest_year")


def show_outcome(key: str) -> None:
    """A message left by the last write (it survives the rerun that shows the new data)."""
    if key in st.session_state:
        kind, text = st.session_state.pop(key)
        getattr(st, kind)(text)


def show_problems(problems: list[Problem]) -> None:
    st.error(t("ingest_problems", lg, n=len(problems)))
    st.dataframe(display.problems_frame(problems, lg), hide_index=True, width="stretch", key="ingest_problems")


def write(action, message_key: str, *args, **kwargs) -> None:  # noqa: ANN001 - a write of pci_metrics.imports.commit or .forms
    """Run one write; keep its message for the rerun; report problems and a busy database clearly."""
    try:
        outcome = action(db(), *args, user=current_user(), **kwargs)
        st.session_state[message_key] = ("success" if outcome.status != "nothing" else "info", outcome.message(lg))
    except InputError as exc:
        st.session_state[message_key] = ("error", "\n\n".join(p.message(lg) for p in exc.problems[:20]))
    except storage.DatabaseBusy:
        st.session_state[message_key] = ("warning", t("ingest_busy", lg))
    st.rerun()


show_outcome("ingest_message")
# Data: read, validate and compare (cached per file, year and data stamp).
if upload is not None:
    with st.spinner(t("ingest_reading", lg)):  # in a limited worker process; the database stays free
        preview = load_by_path(ingest.preview_file, upload.getvalue(), upload.name, year, current_user())
    incoming = preview.incoming
    # Render.
    if not preview.ok:
        show_problems(limits.errors(incoming.problems))
    else:
        kind = t(f"ingest_kind_{incoming.kind}", lg, year=incoming.year)
        st.subheader(t("ingest_preview", lg, kind=kind, file=incoming.file_name))
        c1, c2, c3 = st.columns(3)
        c1.metric(t("ingest_added", lg), f"{preview.added:,}".replace(",", "."))
        c2.metric(t("ingest_changed", lg), f"{preview.changed:,}".replace(",", "."))
        c3.metric(t("ingest_unchanged", lg), f"{preview.unchanged:,}".replace(",", "."))
        if preview.added + preview.changed == 0:
            same = preview.same_file_batch
            st.info(t("ingest_same_file", lg, batch=same["batch_id"], when=str(same["created_at"])[:16])
                    if same else t("ingest_nothing", lg))
        else:
            records = display.changes_frame(preview, load(naming.import_names), lg)
            st.dataframe(records, hide_index=True, width="stretch", key="ingest_changes")
            if note := display.more_records_note(preview, len(records), lg):
                st.caption(note)
            confirmed = True
            if preview.published_changes:
                st.warning(t("ingest_published_warning", lg, n=preview.published_changes))
                confirmed = st.checkbox(t("ingest_confirm_published", lg, n=preview.published_changes),
                                        key="ingest_confirm")
            if st.button(t("ingest_import_button", lg), type="primary", disabled=not confirmed, key="ingest_commit"):
                write(commit.commit_to, "ingest_message", incoming, allow_changes=confirmed)
    notices = [p for p in incoming.problems if p.severity != "error"]
    if notices:
        with st.expander(f"{t('ingest_notices', lg)} ({len(notices)})"):
            for p in notices:
                st.text(display.notice_text(p, lg))

# Import batches and undo.
st.subheader(t("ingest_batches", lg))
show_outcome("ingest_undo_message")
batches = load(commit.batches_table)
if batches.empty:
    st.caption(t("ingest_no_batches", lg))
else:
    st.dataframe(display.batches_frame(batches, lg), hide_index=True, width="stretch", key="ingest_batches_table")
    mine = commit.undoable(batches, current_user(), current_role())
    if mine:
        pick = st.selectbox(t("ingest_undo_pick", lg), mine, key="ingest_undo_pick",
                            format_func=lambda b: display.batch_label(batches, b))
        if st.button(t("ingest_undo_button", lg), key="ingest_undo"):
            write(commit.undo_in, "ingest_undo_message", int(pick))
    else:
        st.caption(t("ingest_undo_none", lg))

# Quick entry: a target, a single missing value (same validation, batches and undo as files).
st.subheader(t("ingest_forms", lg))
show_outcome("ingest_form_message")
opts = load(forms.form_options)
left, right = st.columns(2)
with left.form("ingest_target_form"):
    st.markdown(f"**{t('ingest_form_target', lg)}**")
    values = {"entity": st.selectbox(t("ingest_f_entity", lg), opts.entities, key="ingest_t_entity"),
              "year": st.selectbox(t("ingest_f_year", lg), opts.years, index=opts.years.index(2026)
                                   if 2026 in opts.years else 0, key="ingest_t_year"),
              "code": st.selectbox(t("ingest_f_code", lg), opts.codes, key="ingest_t_code",
                                   format_func=lambda c: opts.code_name(c, lg)),
              "target_score": st.number_input(t("ingest_f_target_score", lg), 0.0, 100.0, value=None, key="ingest_t_score"),
              "target_rank": st.number_input(t("ingest_f_target_rank", lg), 1, 63, value=None, key="ingest_t_rank"),
              "source": st.text_input(t("ingest_f_source", lg), key="ingest_t_source")}
    if st.form_submit_button(t("ingest_f_save", lg), key="ingest_t_save"):
        write(forms.save_form, "ingest_form_message", "targets", values)
with right.form("ingest_value_form"):
    st.markdown(f"**{t('ingest_form_value', lg)}**")
    values = {"entity": st.selectbox(t("ingest_f_entity", lg), opts.entities, index=opts.entities.index("Hải Phòng")
                                     if "Hải Phòng" in opts.entities else 0, key="ingest_v_entity"),
              "year": st.selectbox(t("ingest_f_year", lg), opts.years[5:], key="ingest_v_year"),
              "code": st.selectbox(t("ingest_f_code", lg), opts.codes, key="ingest_v_code",
                                   format_func=lambda c: opts.code_name(c, lg)),
              "value": st.number_input(t("ingest_f_value", lg), 0.0, 100.0, value=None, key="ingest_v_value"),
              "rank": st.number_input(t("ingest_f_rank", lg), 1, 63, value=None, key="ingest_v_rank"),
              "source": st.text_input(t("ingest_f_source", lg), key="ingest_v_source")}
    allow = st.checkbox(t("ingest_f_confirm", lg), key="ingest_v_confirm")
    if st.form_submit_button(t("ingest_f_save", lg), key="ingest_v_save"):
        write(forms.save_form, "ingest_form_message", "scores", values, allow_changes=allow)

"""The reports the plan requires: a Word administrative report (Nghị định 30/2020/NĐ-CP layout) and
an Excel annex with the task table, for a period (``2026-Q1``, ``2026-Q2``, ``2026-Q3``, ``2026``).

The report summarises each prioritized sub-index (latest value, target or "chưa có mục tiêu", gap,
trend — Hải Phòng's city figures, the ward has no PCI of its own) and the task outcomes by unit for
the period, with the charts as images. Every figure comes from the database; the last paragraph
says where. The number, the day and the signature are left for the văn thư and the signer.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import docx
import duckdb
import pandas as pd
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pci_metrics.base import exports
from pci_metrics.base.cells import is_blank
from pci_metrics.base.choices import REPORT_ISSUERS
from pci_metrics.base.i18n import fmt_num, fmt_signed, t
from pci_metrics.domain import periods as period_rules
from pci_metrics.domain import task_status as status_rules
from pci_metrics.domain.trends import Trend
from pci_metrics.outputs import chart_images, charts, inputs, task_tables
from pci_metrics.store import storage, tasks_db
from pci_metrics.views import commentary, dashboard, priority, scorecard, tasks
from pci_metrics.views.marks import target_label
from pci_metrics.views.service import ServiceModel, service_model

HAIPHONG = "haiphong"
ISSUERS = REPORT_ISSUERS  # who may issue the report (the choices the page and the command line offer)
_ROMAN = {"1": "I", "2": "II", "3": "III"}
TASK_TABLE_CM = (1.2, 4.6, 2.1, 1.5, 2.6, 1.6, 2.4)  # code, task, status, progress, outcome, evidence, report used: 16 cm


@dataclass
class PriorityLine:
    """One prioritized sub-index as the report states it."""

    code: str
    name_vi: str
    name_en: str
    series: pd.DataFrame  # year, value, framework_id, provenance, source
    latest_year: int | None
    latest_value: float | None
    provenance: str | None
    source: str | None
    target: float | None  # the score target (points)
    target_year: int | None
    gap: float | None
    status: str  # Snapshot.judge (domain.targets): on_track / watch / off_track / no_target / no_data
    trend: Trend
    classic: list[str]
    classic_vi: list[str] = field(default_factory=list)
    classic_en: list[str] = field(default_factory=list)
    target_rank: int | None = None

    def name(self, lang: str) -> str:
        """The sub-index name in a language."""
        return self.name_en if lang == "en" else self.name_vi

    def source_text(self, lang: str) -> str:
        """Where the latest value comes from, in one language.

        >>> from pci_metrics.domain.trends import trend
        >>> s = pd.DataFrame(columns=["year", "value", "framework_id"])
        >>> PriorityLine("x", "A", "A", s, 2022, 6.0, "derived", "a / b", None, None, None, "no_target", trend(s),
        ...              ["entry"], ["Gia nhập thị trường"], ["Entry costs"]).source_text("vi")
        'trung bình của chỉ số cổ điển Gia nhập thị trường (liên kết kế thừa, một nhận định)'
        """
        if self.provenance == "derived" and self.classic:
            names = self.classic_en if lang == "en" else self.classic_vi
            return t("tasks_rpt_derived_from", lang, names=", ".join(names or self.classic))
        return commentary.localized_source(self.source, lang) or ""


@dataclass
class ReportModel:
    """Everything one period's report says."""

    period: str
    today: date
    plan: dict[str, Any]
    tasks: tasks.TasksModel
    priorities: list[PriorityLine]
    service: ServiceModel
    units: pd.DataFrame
    focal_vi: str
    focal_en: str
    notes: list[str] = field(default_factory=list)
    comments: dict[str, dict[str, commentary.Commentary]] = field(default_factory=dict)  # key → lang → commentary
    stamp: str = ""  # the data stamp it was read at: its chart images are drawn once per stamp


def priority_line(m: priority.PriorityModel) -> PriorityLine:
    """One priority as the report states it, read from its page's model: the same latest value,
    target, status and gap (:func:`inputs.target_answer`), and the same series for the chart."""
    answer = inputs.target_answer(m)
    lt = m.latest
    links = m.lineage
    return PriorityLine(
        code=m.code, name_vi=m.name_vi, name_en=m.name_en, series=m.series, latest_year=lt.year,
        latest_value=lt.value, provenance=lt.provenance, source=lt.source, target=answer.score,
        target_year=answer.year, gap=answer.gap, status=answer.status, trend=m.trend,
        classic=[str(c) for c in links["classic_code"]],
        classic_vi=[str(n) for n in links["name_vi"].fillna(links["classic_code"])],
        classic_en=[str(n) for n in links["name_en"].fillna(links["classic_code"])],
        target_rank=answer.rank,
    )


def report_model(con: duckdb.DuckDBPyConnection, period: str, today: date | str) -> ReportModel:
    """Build the report of one period as of ``today`` (injected; nothing here reads the clock).

    One read of the store (:func:`inputs.load`): the period's tasks model and the priority pages'
    models, so the report says what the pages, the slides and ``show`` say."""
    today = date.fromisoformat(today) if isinstance(today, str) else today
    data = inputs.load(con, today, period=period)
    tm = data.tasks
    if period not in tm.periods:
        raise ValueError(f"period {period!r} is not a reporting period of the plan ({', '.join(tm.periods)})")
    plan = data.snap.plan
    units = tasks_db.load_units(con)
    focal = units[units["is_focal"]]
    return ReportModel(
        period=period, today=today, plan=plan.iloc[0].to_dict() if not plan.empty else {}, tasks=tm,
        priorities=[priority_line(m) for m in data.priorities], service=service_model(con), units=units,
        focal_vi=str(focal["name_vi"].iloc[0]) if not focal.empty else "",
        focal_en=str(focal["name_en"].iloc[0]) if not focal.empty else "", stamp=storage.stamp_of(con),
        comments=commentary.all_commentaries(dashboard.overview_model(con), scorecard.build_scorecard(data.snap).rows,
                                             data.priorities, data.snap.frameworks, data.snap.plan),
    )


# ---------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------

def formal_period(period: str, lang: str = "vi") -> str:
    """A period as a report's subject says it.

    >>> formal_period("2026-Q1"), formal_period("2026"), formal_period("2026-Q3", "en")
    ('quý I năm 2026', 'năm 2026', 'the third quarter of 2026')
    """
    year, _, q = period.partition("-Q")
    if lang == "en":
        return f"the {['first', 'second', 'third'][int(q) - 1]} quarter of {year}" if q else f"the year {year}"
    return f"quý {_ROMAN[q]} năm {year}" if q else f"năm {year}"


def date_line(today: date, lang: str = "vi") -> str:
    """Place and date (NĐ 30: the day is left for the signer; months 1–2 are written 01, 02).

    >>> date_line(date(2026, 2, 3)), date_line(date(2026, 11, 27), "en")
    ('Hồng Bàng, ngày      tháng 02 năm 2026', 'Hồng Bàng, ..... November 2026')
    """
    if lang == "en":
        return f"Hồng Bàng, ..... {today.strftime('%B')} {today.year}"
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    return f"Hồng Bàng, ngày      tháng {month} năm {today.year}"


def target_sentences(p: PriorityLine, lang: str = "vi") -> list[str]:
    """The target, the gap and the status of one priority in words (no latest value: no gap, never 0)."""
    status = target_label(p.status, lang)
    if p.target is None and p.target_rank is None:
        return [t("tasks_rpt_no_target", lang)]
    if p.target is None:
        return [t("tasks_rpt_target_rank", lang, year=p.target_year, rank=p.target_rank, status=status)]
    if p.gap is None:
        out = [t("tasks_rpt_target_no_gap", lang, year=p.target_year, target=fmt_num(p.target, lang), status=status)]
    else:
        out = [t("tasks_rpt_target", lang, year=p.target_year, target=fmt_num(p.target, lang),
                 gap=fmt_num(p.gap, lang) if p.gap > 0 else "0", status=status)]
    if p.target_rank is not None:
        out.append(t("tasks_rpt_target_rank_too", lang, rank=p.target_rank))
    return out


def priority_sentences(p: PriorityLine, lang: str = "vi") -> list[str]:
    """The report's sentences on one priority: latest value, target and gap, trend.

    >>> from pci_metrics.domain.trends import trend
    >>> s = pd.DataFrame({"year": [2021, 2022], "value": [6.0, 6.5], "framework_id": ["a", "a"]})
    >>> p = PriorityLine("x", "Gia nhập thị trường", "Entry", s, 2022, 6.5, "derived", "mean of entry", None, None,
    ...                  None, "no_target", trend(s), ["entry"])
    >>> priority_sentences(p)[:3]  # doctest: +NORMALIZE_WHITESPACE
    ['Giá trị gần nhất: 6,50 điểm (năm 2022; tính toán: trung bình của chỉ số cổ điển entry (liên kết kế thừa, một nhận định)).',
     'Mục tiêu: chưa có mục tiêu.', 'Xu hướng: tăng 0,50 điểm so với năm trước (năm 2022).']
    """
    out = []
    if p.latest_value is None:
        out.append(t("tasks_rpt_latest_none", lang))
    else:
        out.append(t("tasks_rpt_latest", lang, value=fmt_num(p.latest_value, lang), year=p.latest_year,
                     prov=t(f"prov_{p.provenance}", lang) if p.provenance else "", source=p.source_text(lang)))
    out += target_sentences(p, lang)
    tr = p.trend
    if tr.change_on_last_year is not None:
        word = "tasks_rpt_up" if tr.change_on_last_year > 0 else ("tasks_rpt_down" if tr.change_on_last_year < 0
                                                                  else "tasks_rpt_flat")
        out.append(t(word, lang, change=fmt_num(abs(tr.change_on_last_year), lang), year=tr.latest_year))
    elif tr.latest_year is not None and tr.latest_year in tr.breaks:
        out.append(t("tasks_rpt_trend_break", lang, year=tr.latest_year))
    else:
        out.append(t("tasks_rpt_trend_none", lang))
    if tr.best_year is not None:
        out.append(t("tasks_rpt_best", lang, best=fmt_num(tr.best_value, lang), best_year=tr.best_year,
                     worst=fmt_num(tr.worst_value, lang), worst_year=tr.worst_year))
    return out


def status_summary(model: ReportModel, lang: str = "vi") -> str:
    """One sentence: how many tasks in each status this period."""
    counts = {str(r.status): int(r.n) for r in storage.records(model.tasks.counts)}
    parts = [f"{status_rules.status_label(s, lang)} {counts.get(s, 0)}" for s in status_rules.ALL_STATUSES]
    return t("tasks_rpt_status_summary", lang, n=len(model.tasks.tasks), parts="; ".join(parts))


def tasks_by_unit(model: ReportModel, lang: str = "vi") -> list[tuple[str, pd.DataFrame]]:
    """The period's tasks grouped by lead unit (unassigned tasks last), each as a small table."""
    names = task_tables.unit_names(model.units, lang)
    frame = model.tasks.tasks
    groups: list[tuple[str, pd.DataFrame]] = []
    order = [str(u) for u in model.units["unit_key"]]
    for unit in order:
        mine = frame[[unit in (lead or []) for lead in frame["lead"]]]
        if not mine.empty:
            groups.append((names.get(unit, unit), mine))
    orphans = frame[[not lead for lead in frame["lead"]]]
    if not orphans.empty:
        groups.append((t("tasks_rpt_unassigned_group", lang), orphans))
    n = "en" if lang == "en" else "vi"
    out = []
    for name, g in groups:
        table = pd.DataFrame({
            t("tasks_col_task_id", lang): g["task_id"],
            t("tasks_col_title", lang): g[f"title_{n}"].fillna(g["title_vi"]),
            t("tasks_col_status", lang): [status_rules.status_label(s, lang) for s in g["status"]],
            t("tasks_col_progress", lang): [fmt_num(p, lang, 0) if not is_blank(p) else "—" for p in g["progress"]],
            t("tasks_col_outcome", lang): g["outcome"].fillna("").astype(str),
            t("tasks_col_evidence", lang): g["evidence"].fillna("").astype(str),
            t("units_rpt_col_used", lang): [task_tables.report_used(r, names, lang) for _, r in g.iterrows()],
        })
        out.append((name, table.reset_index(drop=True)))
    return out


# ---------------------------------------------------------------------------
# Figures (built by charts.py, exported as PNG through kaleido)
# ---------------------------------------------------------------------------

def priority_figure(p: PriorityLine, lang: str = "vi") -> Any:
    """The trend chart of one priority as the report shows it (light print style)."""
    series = p.series[p.series["year"] >= 2006] if not p.series.empty else p.series
    return charts.trend_figure([(t("series_haiphong", lang), series)], lang=lang, style=charts.Style(),
                               title=p.name(lang), y_title=t("score", lang), target=p.target,
                               height=420)


def status_figure(model: ReportModel, lang: str = "vi") -> Any:
    """Task statuses per lead unit (stacked bars)."""
    labels, series = task_tables.status_by_unit(model.tasks, lang)
    return charts.stacked_bars_figure(labels, series, lang=lang, style=charts.Style(),
                                      title=t("tasks_chart_by_unit", lang, period=period_rules.period_label(model.period, lang)),
                                      x_title=t("tasks_col_count", lang), height=420)


# ---------------------------------------------------------------------------
# The Word report
# ---------------------------------------------------------------------------

def _widths(table: Any, widths_cm: Sequence[float]) -> None:
    """Fixed column widths (Word and LibreOffice both honour the grid and each cell's width)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for i, w in enumerate(widths_cm):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)


def _keep_rows_together(table: Any) -> None:
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:cantSplit")
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


_ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _para(container: Any, text: str = "", *, bold: bool = False, italic: bool = False, size: float = 13,
          align: str = "justify", space_after: float = 4, indent: bool = False) -> Any:
    p = container.add_paragraph()
    p.alignment = _ALIGN[align]
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.0)
    if bold:  # a heading stays on the page of what follows it
        p.paragraph_format.keep_with_next = True
    if text:
        for i, line in enumerate(text.split("\n")):
            if i:
                p.add_run().add_break()
            run = p.add_run(line)
            run.bold, run.italic = bold, italic
            run.font.size = Pt(size)
    return p


def _bullet(doc: Any, text: str) -> Any:
    """One "- " line of the report's body."""
    return _para(doc, "- " + text, indent=True)


def _cell_para(cell: Any, text: str, **kw: Any) -> Any:
    first = cell.paragraphs[0]
    if not first.text:
        first._element.getparent().remove(first._element)
    return _para(cell, text, **kw)


def _issuer(model: ReportModel, issuer: str, lang: str) -> dict[str, str]:
    if issuer == "focal":
        return dict(parent=t("tasks_rpt_ward_upper", lang), body=(model.focal_en if lang == "en" else model.focal_vi).upper(),
                    symbol=t("tasks_rpt_symbol_focal", lang), sign=t("tasks_rpt_sign_focal", lang),
                    recipients=t("tasks_rpt_recipients_focal", lang), speaker=model.focal_en if lang == "en" else model.focal_vi)
    return dict(parent="", body=t("tasks_rpt_ward_body", lang), symbol=t("tasks_rpt_symbol_ward", lang),
                sign=t("tasks_rpt_sign_ward", lang), recipients=t("tasks_rpt_recipients_ward", lang),
                speaker=t("tasks_rpt_ward_speaker", lang))


def _new_document() -> Any:
    """An A4 document in Times New Roman 13 with NĐ 30's margins."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    return doc


def _head(doc: Any, model: ReportModel, who: dict[str, str], lang: str) -> None:
    """Issuing body | quốc hiệu and tiêu ngữ; number | place and date; then the name and subject."""
    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(head, (6.0, 10.0))
    left, right = head.rows[0].cells
    if who["parent"]:
        _cell_para(left, who["parent"], size=12, align="center", space_after=0)
    _cell_para(left, who["body"], bold=True, size=12, align="center", space_after=0)
    _cell_para(left, "―――――", bold=True, size=10, align="center", space_after=0)
    _cell_para(right, t("tasks_rpt_quoc_hieu", lang), bold=True, size=12, align="center", space_after=0)
    _cell_para(right, t("tasks_rpt_tieu_ngu", lang), bold=True, size=13, align="center", space_after=0)
    _cell_para(right, "――――――――――", bold=True, size=10, align="center", space_after=0)
    _cell_para(head.rows[1].cells[0], who["symbol"], size=13, align="center", space_after=0)
    _cell_para(head.rows[1].cells[1], date_line(model.today, lang), italic=True, size=13, align="center", space_after=0)
    _para(doc, "", space_after=6)
    _para(doc, t("tasks_rpt_title", lang), bold=True, size=14, align="center", space_after=0)
    plan_title = str(model.plan.get("title_en" if lang == "en" else "title_vi", ""))
    _para(doc, t("tasks_rpt_subject", lang, plan=plan_title, period=formal_period(model.period, lang)), bold=True,
          size=14, align="center", space_after=2)
    _para(doc, "――――――", bold=True, size=10, align="center", space_after=10)
    _para(doc, t("tasks_rpt_opening", lang, plan=plan_title, speaker=who["speaker"],
                 period=formal_period(model.period, lang)), indent=True)


def _picture(doc: Any, figure: Any, stamp: str) -> None:
    """A chart at the text's width; its image is drawn once per data stamp (:mod:`.chart_images`)."""
    doc.add_picture(io.BytesIO(chart_images.png(figure, width=900, height=420, stamp=stamp)), width=Cm(15.5))


def _commentary(doc: Any, model: ReportModel, key: str, lang: str) -> None:
    """The commentary's sentences (with their footnote numbers) and, in small type, their sources."""
    words = model.comments.get(key, {}).get(lang)
    if words is None or not words.sentences:
        return
    _para(doc, t("cm_title", lang) + ":", italic=True, indent=True)
    for line in words.lines():
        _bullet(doc, line)
    for note in words.footnotes(lang):
        _para(doc, note, italic=True, size=10, indent=True, space_after=1)


def _priorities_part(doc: Any, model: ReportModel, lang: str, images: bool) -> None:
    """I. The composite's commentary, then each prioritized sub-index: its sentences, its commentary
    and its trend chart."""
    _para(doc, t("tasks_rpt_h_priorities", lang), bold=True)
    _para(doc, t("tasks_rpt_priorities_note", lang), italic=True, size=12, indent=True)
    _commentary(doc, model, "composite", lang)
    for i, p in enumerate(model.priorities, start=1):
        _para(doc, f"{i}. {p.name(lang)}", bold=True, indent=True)
        for s in priority_sentences(p, lang):
            _bullet(doc, s)
        _commentary(doc, model, p.code, lang)
        if images and not p.series.dropna(subset=["value"]).empty:
            _picture(doc, priority_figure(p, lang), model.stamp)


def _tasks_part(doc: Any, model: ReportModel, lang: str, images: bool) -> None:
    """II. Task outcomes by unit."""
    _para(doc, t("tasks_rpt_h_tasks", lang, period=formal_period(model.period, lang)), bold=True)
    _para(doc, status_summary(model, lang), indent=True)
    if images:
        _picture(doc, status_figure(model, lang), model.stamp)
    for j, (unit, table) in enumerate(tasks_by_unit(model, lang), start=1):
        _para(doc, f"{j}. {unit}", bold=True, indent=True)
        _table(doc, table)


def _attention_part(doc: Any, model: ReportModel, lang: str) -> None:
    """III. Overdue tasks and missing reports."""
    tm = model.tasks
    _para(doc, t("tasks_rpt_h_attention", lang), bold=True)
    if tm.overdue.empty:
        _bullet(doc, t("tasks_rpt_no_overdue", lang))
    n = "en" if lang == "en" else "vi"
    for r in storage.records(tm.overdue):
        title = r.title_en if lang == "en" and isinstance(r.title_en, str) else r.title_vi
        _bullet(doc, t("tasks_rpt_overdue_line", lang, task=r.task_id, title=title,
                       deadline=task_tables.fmt_task_date(r.deadline, lang), lead=getattr(r, f"lead_{n}") or "—"))
    if tm.no_deadline:
        _bullet(doc, t("tasks_rpt_no_deadline", lang, n=tm.no_deadline, total=len(tm.tasks)))
    missing = tm.missing[~tm.missing["has_reported"]]
    names = task_tables.unit_names(model.units, lang)
    if missing.empty:
        _bullet(doc, t("tasks_rpt_all_reported", lang))
    for r in storage.records(missing):
        _bullet(doc, t("tasks_rpt_missing_line", lang, unit=names.get(r.unit_key, r.unit_key), tasks=r.missing))


def _service_part(doc: Any, model: ReportModel, lang: str) -> None:
    """IV. The service index."""
    _para(doc, t("tasks_rpt_h_service", lang), bold=True)
    sv = model.service
    if sv.latest_total is None:
        _bullet(doc, t("tasks_rpt_service_none", lang))
        return
    _bullet(doc, t("tasks_rpt_service_latest", lang, period=sv.latest_period, total=fmt_num(sv.latest_total, lang),
                   band=t(f"service_band_{sv.latest_band}", lang),
                   change=fmt_signed(sv.change, lang) if sv.change is not None else t("no_data", lang)))


def _closing(doc: Any, model: ReportModel, who: dict[str, str], lang: str) -> None:
    """V. Proposals (left for the unit to write), Nơi nhận | signature block, and where the figures come from."""
    _para(doc, t("tasks_rpt_h_proposals", lang), bold=True)
    _para(doc, "." * 105, indent=True)
    _para(doc, t("tasks_rpt_closing", lang, speaker=who["speaker"]), indent=True).paragraph_format.keep_with_next = True
    foot = doc.add_table(rows=1, cols=2)
    _no_borders(foot)
    _widths(foot, (7.5, 8.5))
    _keep_rows_together(foot)
    fl, fr = foot.rows[0].cells
    _cell_para(fl, t("tasks_rpt_recipients_head", lang), bold=True, italic=True, size=12, align="left", space_after=0)
    _cell_para(fl, who["recipients"], size=11, align="left", space_after=0)
    _cell_para(fr, who["sign"], bold=True, size=13, align="center", space_after=0)
    _cell_para(fr, "\n\n\n\n", size=13, align="center", space_after=0)
    _para(doc, "", space_after=12)
    _para(doc, t("tasks_rpt_provenance", lang, date=model.today.strftime("%d/%m/%Y") if lang == "vi"
                 else model.today.isoformat()), italic=True, size=10)


def report_docx(model: ReportModel, lang: str = "vi", *, issuer: str = "ward", images: bool = True) -> bytes:
    """The period's report as a .docx (A4, Times New Roman, NĐ 30/2020 layout), as bytes."""
    who = _issuer(model, issuer, lang)
    doc = _new_document()
    _head(doc, model, who, lang)
    _priorities_part(doc, model, lang, images)
    _tasks_part(doc, model, lang, images)
    _attention_part(doc, model, lang)
    _service_part(doc, model, lang)
    _closing(doc, model, who, lang)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _table(doc: Any, frame: pd.DataFrame) -> None:
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    if len(frame.columns) == len(TASK_TABLE_CM):
        _widths(table, TASK_TABLE_CM)
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        _cell_para(cell, str(name), bold=True, size=11, align="center", space_after=0)
    for rec in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, rec, strict=True):
            _cell_para(cell, "" if is_blank(value) else str(value), size=11, align="left", space_after=0)
    _para(doc, "", space_after=4).paragraph_format.space_after = Pt(4)


# ---------------------------------------------------------------------------
# The Excel annex
# ---------------------------------------------------------------------------

def _sheet(wb: Any, title: str, frame: pd.DataFrame, caption: str) -> None:
    ws = wb.create_sheet(title[:31])
    ws.append([caption])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([str(c) for c in frame.columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in frame.itertuples(index=False):
        ws.append([None if is_blank(v) else (v if isinstance(v, int | float) else str(v)) for v in rec])
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            exports.mark_text(cell)  # text stays text: Excel never evaluates it
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, col in enumerate(frame.columns, start=1):
        longest = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))])
        ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)
    ws.freeze_panes = "A3"


def report_xlsx(model: ReportModel, lang: str = "vi") -> bytes:
    """The annex: the period's task table, reports missing by unit, and the reporting calendar."""
    wb = Workbook()
    wb.remove(wb.active)
    label = period_rules.period_label(model.period, lang)
    _sheet(wb, t("tasks_xlsx_sheet_tasks", lang), task_tables.task_table(model.tasks.tasks, lang),
           t("tasks_xlsx_caption_tasks", lang, period=label, today=task_tables.fmt_task_date(model.today, lang)))
    _sheet(wb, t("tasks_xlsx_sheet_units", lang), task_tables.missing_table(model.tasks, lang),
           t("tasks_xlsx_caption_units", lang, period=label))
    _sheet(wb, t("tasks_xlsx_sheet_history", lang), task_tables.history_table(model.tasks, lang),
           t("tasks_xlsx_caption_history", lang))
    _sheet(wb, t("tasks_xlsx_sheet_calendar", lang), task_tables.calendar_table(model.tasks, lang),
           t("tasks_xlsx_caption_calendar", lang))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def file_name(period: str, fmt: str, lang: str = "vi") -> str:
    """The download name of a report.

    >>> file_name("2026-Q1", "docx"), file_name("2026", "xlsx", "en")
    ('bao-cao-pci-hong-bang-2026-Q1.docx', 'pci-report-hong-bang-2026-annex.xlsx')
    """
    if lang == "en":
        return f"pci-report-hong-bang-{period}" + ("-annex" if fmt == "xlsx" else "") + f".{fmt}"
    return f"{'bao-cao' if fmt == 'docx' else 'phu-luc'}-pci-hong-bang-{period}.{fmt}"


_MODELS: dict[tuple[str, str, str, str], ReportModel] = {}
_MODELS_LOCK = threading.Lock()
MAX_MODELS = 8


def stamped_model(path: str, period: str, today: date | str) -> ReportModel:
    """:func:`report_model`, built once per data stamp, period and day: a second download of the same
    report (another language, the focal unit's version, the annex) reads nothing again. Nobody changes
    a model once built."""
    key = (str(path), storage.data_stamp(path), period, str(today))
    with _MODELS_LOCK:
        hit = _MODELS.get(key)
    if hit is not None:
        return hit
    with storage.connect(path, read_only=False) as con:
        model = report_model(con, period, today)
    with _MODELS_LOCK:
        for old in [k for k in _MODELS if k[0] == key[0] and k[1] != key[1]] + list(_MODELS)[:-MAX_MODELS]:
            _MODELS.pop(old, None)
        _MODELS[key] = model
    return model


def render(path: str, period: str, fmt: str, *, lang: str = "vi", today: date | str, issuer: str = "ward",
           images: bool = True) -> bytes:
    """Build the model (once per data stamp: :func:`stamped_model`) and render one report (``docx``
    or ``xlsx``) as bytes."""
    model = stamped_model(path, period, today)
    if fmt == "docx":
        return report_docx(model, lang, issuer=issuer, images=images)
    if fmt == "xlsx":
        return report_xlsx(model, lang)
    raise ValueError(f"unknown format {fmt!r}")


def timed_render(path: str, period: str, fmt: str, **kw: Any) -> tuple[bytes, float]:
    """:func:`render` and its wall time in seconds (for the CLI's message and the benchmark)."""
    t0 = time.perf_counter()
    data = render(path, period, fmt, **kw)
    return data, time.perf_counter() - t0

"""Subcommands of the whatif area: ``whatif`` prints composite and rank before and after.

``python -m pci_metrics whatif --entity haiphong --year 2019 --set transparency=+0.5 --set labor=+0.2``
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from pci_metrics.base.i18n import fmt_num, fmt_signed, t
from pci_metrics.cli.common import UserError
from pci_metrics.domain import whatif
from pci_metrics.store import storage
from pci_metrics.views import scenarios


def _both(key: str, *, names: dict[str, tuple[str, str]] | None = None, **kw: Any) -> str:
    """One line in both languages, as the rest of the CLI prints; ``names`` are (vi, en) pairs."""
    names = names or {}
    vi = t(key, "vi", **kw, **{k: v[0] for k, v in names.items()})
    en = t(key, "en", **kw, **{k: v[1] for k, v in names.items()})
    return vi if vi == en else f"{vi} / {en}"


def _names(base: scenarios.Base, keys: tuple[str, ...] | list[str]) -> tuple[str, str]:
    return (", ".join(base.label(k, "vi") for k in keys) or "—", ", ".join(base.label(k, "en") for k in keys) or "—")


def _n(value: float) -> str:
    return fmt_num(value, "en", 2)


def _rank(rank: int | None, n: int) -> str:
    return "?" if rank is None else f"{rank}/{n}"


def _plan_lines(plan: pd.DataFrame) -> list[str]:
    return [f"    {r.code:28} {_n(r['from']):>6} → {_n(r.to):>6}  {fmt_signed(r.delta, 'en'):>6}  "
            f"{fmt_signed(r.points, 'en'):>6}" for _, r in plan.iterrows()]


def cmd_whatif(args: argparse.Namespace) -> int:
    """Simulate sub-index changes of one entity in one year and print composite and rank before/after."""
    view = scenarios.VIEW_PCI2025 if args.assumption else scenarios.VIEW_CLASSIC
    with storage.connect(args.db, read_only=True) as con:
        ch = scenarios.choices(con)
        if args.entity not in ch.keys():
            raise UserError(_both("whatif_cli_unknown_entity", entity=args.entity))
        year = args.year if args.year is not None else ch.default_year(args.entity)
        try:
            base = scenarios.base_model(con, args.entity, int(year or 0), view, args.assumption or "lineage_2022")
        except ValueError as exc:
            raise UserError(str(exc)) from exc
    if base.problem is not None:
        raise UserError(f"{base.problem.vi} / {base.problem.en}")
    changes: dict[str, float] = {}
    for text in args.set or []:
        try:
            code, value = whatif.parse_change(text, base.codes)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
        changes[code] = changes.get(code, 0.0) + value
    out = scenarios.outcome(base, changes, target_rank=args.rank or 1, max_step=args.max_step)
    for line in report_lines(out, with_target=args.rank is not None):
        print(line)
    return 0


def report_lines(out: scenarios.Outcome, with_target: bool = False) -> list[str]:
    """The CLI report of an outcome, one string per line (bilingual labels, dot decimals)."""
    b = out.base
    lines = [_both("whatif_cli_header", entity=b.entity_vi, year=b.year, framework=b.framework_vi)]
    tag = ""
    if b.scenario is not None:
        lines.append(f"{b.scenario.label_vi} / {b.scenario.label_en}")
        tag = f"  [{t('whatif_assume_tag_' + str(b.assumption), 'vi')} / {t('whatif_assume_tag_' + str(b.assumption), 'en')}]"
    changed = out.table[out.table["delta"] != 0]
    if changed.empty:
        lines.append("  " + _both("whatif_cli_no_changes"))
    for _, r in changed.iterrows():
        lines.append(f"  {r.code:28} {_n(r.score):>6} → {_n(r.new_score):>6}  {fmt_signed(r.delta, 'en'):>6}  "
                     f"{fmt_signed(r.points, 'en'):>6}")
    lines.append(f"{_both('whatif_cli_composite')}: {_n(out.composite_before)} → {_n(out.composite_after)} "
                 f"({fmt_signed(out.composite_delta, 'en')}){tag}")
    n = out.n_provinces
    if b.rank_supported and out.rank_before is not None and out.rank_after is not None:
        places = out.rank_before - out.rank_after
        moved = _both("whatif_places", places=places) if places else _both("whatif_places_same")
        lines.append(f"{_both('whatif_cli_rank')}: {_rank(out.rank_before, n)} → {_rank(out.rank_after, n)} "
                     f"({moved}){tag}")
    else:
        years = scenarios.years_text(list(b.rank_years))
        if out.bounds is not None:
            after = (str(out.bounds.best) if out.bounds.exact else f"{out.bounds.best}–{out.bounds.worst}") + f"/{n}"
            who = _names(b, out.bounds.above + out.bounds.below)
            lines.append(f"{_both('whatif_cli_rank')}: {_rank(out.rank_before, n)} → {after} "
                         f"({_both('whatif_cli_bounds', names={'provinces': who})})")
        else:
            lines.append(f"{_both('whatif_cli_rank')}: ? ({_both('whatif_cli_rank_needs_all', years=years)})")
        if out.bounds is not None:
            lines.append("  " + _both("whatif_cli_rank_needs_all", years=years))
    if with_target:
        lines += _target_lines(out)
    for note in out.notes:
        if b.scenario is not None and note.vi == b.scenario.label_vi:
            continue  # already printed under the header
        lines.append(f"{_both('whatif_cli_note')}: {note.vi} / {note.en}")
    return lines


def _target_lines(out: scenarios.Outcome) -> list[str]:
    head = _both("whatif_cli_target", target=out.target_rank) + ": "
    p = out.plan
    if p is not None:
        if p.already_met:
            return [head + _both("whatif_cli_target_met", rank=p.rank_before, n=p.n_provinces)]
        if not p.reachable:
            return [head + f"{p.reason_vi} / {p.reason_en}", *_plan_lines(p.plan)]
        return [head + _both("whatif_cli_target_plan", total=_n(p.total_improvement),
                             points=_n(p.composite_after - p.composite_before),
                             names={"holders": _names(out.base, p.threshold_provinces)}), *_plan_lines(p.plan)]
    if out.guaranteed is not None and out.guaranteed_plan is not None:
        gain, province = out.guaranteed
        if province is None:
            return [head + _both("whatif_cli_target_met", rank=out.rank_before, n=out.n_provinces)]
        cap = "10" if out.max_step is None else f"10, +{_n(out.max_step)}"
        lines = [head + _both("whatif_cli_target_partial", gain=_n(gain), cap=cap,
                              names={"province": _names(out.base, [province])})]
        if not out.guaranteed_reachable:
            lines.append("  " + _both("whatif_target_partial_unreachable", target=out.target_rank, gain=_n(gain),
                                      cap=cap, best=_n(float(out.guaranteed_plan["points"].sum()))))
        return lines + _plan_lines(out.guaranteed_plan)
    years = scenarios.years_text(list(out.base.rank_years))
    return [head + _both("whatif_target_unknown", year=out.base.year, years=years, target=out.target_rank)]

"""Choices and defaults that both the engine and the command line's help name, kept here, free of
pandas and DuckDB, so that ``python -m pci_metrics … --help`` is built without loading them. Each is
defined once, here; the module that applies it imports it from here."""

from __future__ import annotations

#: The province the plan measures, where the what-if simulator starts (:mod:`pci_metrics.views.scenarios`).
DEFAULT_ENTITY = "haiphong"

#: Who issues the period's report: the ward's People's Committee, or its focal office
#: (:mod:`pci_metrics.outputs.reports`).
REPORT_ISSUERS = ("ward", "focal")

#: The PCI 2025 weight assumptions offered (:mod:`pci_metrics.domain.scenario_weights`).
SCENARIO_ASSUMPTIONS: tuple[str, ...] = ("equal", "lineage_2022")

#: Good nightly backups kept: the newest of each of the last N days and M months (:mod:`pci_metrics.ops.schedule`).
KEEP_DAILY, KEEP_MONTHLY = 7, 12

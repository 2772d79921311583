"""Tasks area timings for `make bench`: the page model, validating a large report sheet, and the reports."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd

from scripts.bench import timed

TODAY = date(2026, 3, 16)


def rows(db: Path) -> list[tuple[str, float, float]]:
    """(measure, median ms, max ms) of the tasks area on a copy of the bench database."""
    from pci_metrics.imports.task_reports import validate_task_reports
    from pci_metrics.outputs import reports
    from pci_metrics.store import storage, tasks_db
    from pci_metrics.views import tasks

    # Load inputs: a private copy with a quarter of reports.
    path = Path(tempfile.mkdtemp(prefix="bench-tasks-")) / "pci.duckdb"
    shutil.copy(db, path)
    with storage.connect(path) as con:
        frames = tasks_db.load_tasks(con), tasks_db.load_units(con), tasks_db.load_task_units(con)
        clean, _ = validate_task_reports(
            pd.DataFrame({"task_id": [f"T{i:02d}" for i in range(1, 15)], "period": "2026-Q1",
                          "status": "Đang thực hiện", "progress": "50,5", "outcome": "Đang làm"}),
            tasks=frames[0], units=frames[1], sheet="bench")
        tasks.save_reports(con, clean, user="bench")
    sheet = pd.DataFrame({"Mã nhiệm vụ": [f"T{1 + i % 14:02d}" for i in range(5000)],
                          "Kỳ báo cáo": [["2025", "2026-Q1", "2026-Q2", "2026-Q3", "2026"][i % 5] for i in range(5000)],
                          "Trạng thái": "Hoàn thành", "Tiến độ (%)": "100", "Kết quả": "x"})

    def model() -> None:
        with storage.connect(path, read_only=True) as con:
            tasks.tasks_model(con, "2026-Q1", TODAY)

    # Process data.
    out = [("tasks: page model (one period)", *timed(model))]
    out.append(("tasks: validate a 5,000-row report sheet",
                *timed(lambda: validate_task_reports(sheet, tasks=frames[0], units=frames[1], sheet="b",
                                                           task_units=frames[2]), runs=3)))
    reports.render(str(path), "2026-Q1", "docx", today=TODAY)  # starts kaleido's browser once
    out.append(("reports: quarterly .docx with 6 charts (warm)",
                *timed(lambda: reports.render(str(path), "2026-Q1", "docx", today=TODAY), runs=3)))
    out.append(("reports: quarterly .docx without charts",
                *timed(lambda: reports.render(str(path), "2026-Q1", "docx", today=TODAY, images=False), runs=3)))
    out.append(("reports: .xlsx annex", *timed(lambda: reports.render(str(path), "2026-Q1", "xlsx", today=TODAY),
                                              runs=3)))
    # Save outputs.
    return out

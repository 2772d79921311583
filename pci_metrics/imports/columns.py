"""The template's sheets and columns: which sheet holds what, and the header spellings of each field.

Headers and sheet names are compared normalised (no case, accents, spaces or punctuation), so
"Mã chỉ số", "ma chi so" and "code" name the same column.
"""

from __future__ import annotations

import re

from pci_metrics.domain.provinces import normalize_name

SHEET_KINDS: dict[str, tuple[str, ...]] = {
    "scores": ("diem", "scores", "score", "diemso"),
    "targets": ("muctieu", "targets", "target"),
    "task_reports": ("baocaonhiemvu", "taskreports", "baocao"),
    "service": ("chisophucvu", "serviceindex", "service", "phucvu"),
    "notes": ("ghichu", "notes", "note"),
    "appendix_tasks": ("nhiemvu", "phulucnhiemvu", "danhsachnhiemvu", "tasks", "appendixtasks"),
    "units": ("donvi", "danhsachdonvi", "units"),
}
IGNORED_SHEETS = ("huongdan", "instructions", "danhmuc", "lists")


# Header spellings per sheet kind and field, compared normalised (no case, accents, spaces, punctuation).
FIELD_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "scores": {
        "year": ("nam", "year"),
        "entity": ("donvi", "tinh", "tinhthanhpho", "entity", "entitykey", "province", "diaphuong"),
        "code": ("machiso", "chiso", "code", "subindex", "machisothanhphan"),
        "value": ("giatri", "diem", "value", "score"),
        "rank": ("xephang", "hang", "rank"),
        "source": ("nguon", "source"),
        "framework": ("khungdanhgia", "khung", "framework", "frameworkid"),
    },
    "targets": {
        "plan": ("kehoach", "plan", "planid"),
        "entity": ("donvi", "tinh", "entity", "entitykey", "province", "diaphuong"),
        "year": ("nam", "year"),
        "framework": ("khungdanhgia", "khung", "framework", "frameworkid"),
        "code": ("machiso", "chiso", "code", "subindex"),
        "target_score": ("diemmuctieu", "muctieudiem", "targetscore", "diem", "score"),
        "target_rank": ("hangmuctieu", "muctieuhang", "targetrank", "xephangmuctieu", "hang", "rank"),
        "source": ("nguon", "source", "cancu"),
    },
    "service": {
        "entity": ("donvi", "entity", "entitykey", "diaphuong"),
        "period": ("ky", "kybaocao", "kydanhgia", "period"),
        "group": ("nhom", "nhomchiso", "manhom", "group", "groupcode"),
        "score": ("diem", "score", "giatri", "value"),
        "source": ("nguon", "source"),
    },
    "notes": {
        "entity": ("donvi", "tinh", "entity", "entitykey", "diaphuong"),
        "year": ("nam", "year"),
        "code": ("machiso", "chiso", "code", "subindex"),
        "text": ("noidung", "ghichu", "text", "note", "cauchuyen"),
    },
}
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "scores": ("year", "entity", "code"), "targets": ("entity", "year", "code"),
    "service": ("entity", "period", "group", "score"), "notes": ("entity", "year", "code", "text"),
}
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "year": ("Năm", "year"), "entity": ("Đơn vị", "entity"), "code": ("Mã chỉ số", "code"),
    "value": ("Giá trị", "value"), "rank": ("Xếp hạng", "rank"), "source": ("Nguồn", "source"),
    "framework": ("Khung đánh giá", "framework"), "plan": ("Kế hoạch", "plan"),
    "target_score": ("Điểm mục tiêu", "target score"), "target_rank": ("Hạng mục tiêu", "target rank"),
    "period": ("Kỳ", "period"), "group": ("Nhóm", "group"), "score": ("Điểm", "score"),
    "text": ("Nội dung", "text"),
}
COMPOSITE_NAMES = ("composite", "diemtonghop", "pci", "tonghop", "pcicotrongso", "weightedpci")


def sheet_kind(name: str) -> str | None:
    norm = normalize_name(name)
    for kind, names in SHEET_KINDS.items():
        if norm in names:
            return kind
    return None


def measure_choice(code: str, name: str) -> str:
    """A measure as the template's drop-down offers it: the name people know, its code in brackets
    (what the import reads, so a name shared by two frameworks still finds its code).

    >>> measure_choice("entry", "Gia nhập thị trường")
    'Gia nhập thị trường (entry)'
    """
    return f"{name} ({code})"


def choice_code(text: str) -> str | None:
    """The code of a drop-down choice (:func:`measure_choice`); None for a bare code or name.

    >>> choice_code("Gia nhập thị trường (entry)"), choice_code("entry"), choice_code("Điểm (tạm)")
    ('entry', None, None)
    """
    m = re.search(r"\(([a-z][a-z0-9_]*)\)\s*$", text)
    return m.group(1) if m else None

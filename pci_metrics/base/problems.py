"""Problems found in user input, worded for the user in Vietnamese and English.

A problem names where it is (sheet, row, column), what was found and what was
expected, so an analyst can fix the file without help.

>>> p = Problem("Điểm", 4, "value", "12", "một số từ 0 đến 10", "a number from 0 to 10")
>>> p.message("en")
'Error in sheet "Điểm", row 4, column value: found "12", expected a number from 0 to 10'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a notice) in an input file."""

    sheet: str | None
    row: int | None
    column: str | None
    found: str | None
    expected_vi: str
    expected_en: str
    severity: str = "error"  # "error" blocks the import; "notice" is informational
    code: str = "invalid"

    def message(self, lang: str = "vi") -> str:
        """The one-line message in the glossary's shape.

        >>> Problem(None, None, None, None, "tệp rỗng", "an empty file", code="empty").message()
        'Lỗi: cần tệp rỗng'
        """
        vi = lang == "vi"
        kind = ("Lỗi" if vi else "Error") if self.severity == "error" else ("Lưu ý" if vi else "Notice")
        where: list[str] = []
        if self.sheet is not None:
            where.append(f'trang tính "{self.sheet}"' if vi else f'sheet "{self.sheet}"')
        if self.row is not None:
            where.append(f"dòng {self.row}" if vi else f"row {self.row}")
        if self.column is not None:
            where.append(f"cột {self.column}" if vi else f"column {self.column}")
        head = f"{kind} ở " + ", ".join(where) if (vi and where) else (f"{kind} in " + ", ".join(where) if where else kind)
        found = f'giá trị "{self.found}", ' if vi and self.found is not None else (
            f'found "{self.found}", ' if self.found is not None else "")
        expected = self.expected_vi if vi else self.expected_en
        need = "cần" if vi else "expected"
        return f"{head}: {found}{need} {expected}"


class InputError(Exception):
    """Raised when an input cannot be used; carries every problem found at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message("en") for p in problems[:5]))


class Refusal(Exception):
    """A request that cannot be done (nothing was changed), worded from the string catalogue:
    ``message(lang)`` says why in one language; ``str()`` holds both.

    >>> str(Refusal("db_busy"))[:20]
    'Cơ sở dữ liệu đang b'
    """

    def __init__(self, key: str, **kwargs: Any):
        self.key, self.kwargs = key, kwargs
        super().__init__(self.message("vi") + " / " + self.message("en"))

    def message(self, lang: str = "vi") -> str:
        """The reason in one language."""
        from pci_metrics.base.i18n import t

        return t(self.key, lang, **self.kwargs)

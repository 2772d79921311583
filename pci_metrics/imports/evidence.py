"""Evidence files of a task report: what a file is, read from its bytes (never from its name), and
whether it may be kept.

Accepted: PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx) without macros, at most ``MAX_BYTES``.
Refused, each with its own words: an empty or oversize file, a name that holds a path or a control
character, anything else (an executable renamed .pdf, an HTML page, a macro workbook). A kept file
is only ever offered as a download with its checked type, never shown as a page.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from pci_metrics.base.i18n import fmt_num, t

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 120
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", DOCX: ".docx", XLSX: ".xlsx"}


@dataclass(frozen=True)
class Evidence:
    """A checked evidence file: its name, the type read from its bytes, its bytes and checksum."""

    file_name: str
    media_type: str
    content: bytes
    sha256: str


class EvidenceRefused(ValueError):
    """An evidence file that may not be kept, with the reason in both languages."""

    def __init__(self, key: str, **kw: object) -> None:
        super().__init__(t(key, "en", **kw))
        self.key, self.kw = key, kw

    def message(self, lang: str = "vi") -> str:
        """The reason, in the user's language."""
        return t(self.key, lang, **self.kw)


def _office(data: bytes) -> str | None:
    """The type of an Office Open XML file (Word or Excel without macros), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def media_type(data: bytes) -> str | None:
    """The type of a file read from its first bytes (and, for Office files, its parts); None when it
    is none of the accepted kinds.

    >>> media_type(b"%PDF-1.7 ..."), media_type(b"MZ\\x90\\x00 an executable"), media_type(b"<html></html>")
    ('application/pdf', None, None)
    """
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def check_name(name: str | None) -> str:
    """A file name as given, refused when it holds a path, a control character or nothing.

    >>> check_name("bien-ban.pdf")
    'bien-ban.pdf'
    >>> try:
    ...     check_name("../../etc/passwd")
    ... except EvidenceRefused as refused:
    ...     print(refused.key)
    units_file_path
    """
    text = (name or "").strip()
    if not text or text in (".", ".."):
        raise EvidenceRefused("units_file_no_name")
    if "/" in text or "\\" in text or ".." in text or ":" in text:
        raise EvidenceRefused("units_file_path")
    if any(ord(c) < 32 or ord(c) == 127 for c in text) or len(text) > MAX_NAME:
        raise EvidenceRefused("units_file_bad_name", n=MAX_NAME)
    return text


def check_evidence(name: str | None, data: bytes) -> Evidence:
    """An uploaded evidence file, checked: its name, its size and its type read from its bytes."""
    file_name = check_name(name)
    if not data:
        raise EvidenceRefused("units_file_empty")
    if len(data) > MAX_BYTES:
        raise EvidenceRefused("units_file_too_big", mb=fmt_num(MAX_BYTES / 1024 / 1024, "vi", 0))
    kind = media_type(data)
    if kind is None:
        raise EvidenceRefused("units_file_type")
    return Evidence(file_name, kind, data, hashlib.sha256(data).hexdigest())

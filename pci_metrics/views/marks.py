"""Status marks — the words, a shape and a colour of every status — for the pages, the slides,
the quarterly report and the CLI alike, so a status looks the same wherever it is read.

A status is never told by colour alone (colour-blind readers, a grey projector) and never by an
emoji: a machine without an emoji font (Debian's Chromium, many office PCs) draws emoji as empty
boxes ("⊠ Chưa đạt"). The shapes are from WGL4, the character set that Arial, Times New Roman,
Calibri, DejaVu and Liberation all cover, so Word, PowerPoint, Chromium and a terminal draw them.
"""

from __future__ import annotations

from pci_metrics.base.i18n import t
from pci_metrics.domain import task_status

# target status (pci_metrics.domain.targets.STATUSES) -> shape; filled = judged, hollow = not yet
TARGET_MARKS = {"on_track": "●", "watch": "▲", "off_track": "■", "not_due": "○", "no_target": "–", "no_data": "–"}
# task status (pci_metrics.domain.task_status) -> shape
TASK_MARKS = {task_status.DONE: "●", task_status.IN_PROGRESS: "►", task_status.NOT_STARTED: "○",
              task_status.LATE: "▲", task_status.NOT_REPORTED: "□"}
# Streamlit's badge colours of the judged statuses (the rest are grey)
TARGET_COLOURS = {"on_track": "green", "watch": "orange", "off_track": "red"}
# WGL4's geometric shapes and dashes: what the marks may use (checked by the tests)
SAFE_SHAPES = frozenset("●○■□▲►▼◄–—•")


def target_words(status: str, lang: str = "vi") -> str:
    """The glossary's words for a target status.

    >>> target_words("not_due"), target_words("off_track", "en")
    ('Chưa đến kỳ đánh giá', 'Off track')
    """
    return t(f"target_status_{status}", lang)


def target_label(status: str, lang: str = "vi") -> str:
    """A target status as a shape and words, as every output shows it.

    >>> target_label("on_track"), target_label("watch", "en"), target_label("no_target")
    ('● Đạt', '▲ Watch', '– Chưa có mục tiêu')
    """
    return f"{TARGET_MARKS.get(status, '–')} {target_words(status, lang)}"


def target_colour(status: str) -> str:
    """The badge colour of a target status (the shape and the words always say it too).

    >>> target_colour("watch"), target_colour("not_due")
    ('orange', 'gray')
    """
    return TARGET_COLOURS.get(status, "gray")


def task_label(status: str, lang: str = "vi") -> str:
    """A task status as a shape and the glossary's words; an unknown code is shown as it is.

    >>> task_label("cham_tien_do"), task_label("hoan_thanh", "en"), task_label("chua_bao_cao")
    ('▲ Chậm tiến độ', '● Done', '□ Chưa có báo cáo')
    """
    try:
        return f"{TASK_MARKS.get(status, '•')} {task_status.status_label(status, lang)}"
    except KeyError:
        return f"• {status}"

"""The one catalogue: both languages for every key, formats as the glossary says."""

from __future__ import annotations

import re

import pytest

from pci_metrics.base.i18n import CATALOG, fmt_num, t


def test_every_entry_has_both_languages_and_same_placeholders():
    for key, (vi, en) in CATALOG.items():
        assert vi.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)", vi)) == set(re.findall(r"{(\w+)", en)), key


@pytest.mark.parametrize("value, lang, decimals, expected", [
    (74.84, "vi", 2, "74,84"), (74.84, "en", 2, "74.84"), (1234.5, "vi", 1, "1.234,5"),
    (None, "vi", 2, "Chưa có số liệu"), (None, "en", 2, "No data"), (float("nan"), "vi", 2, "Chưa có số liệu"),
])
def test_fmt_num(value, lang, decimals, expected):
    assert fmt_num(value, lang, decimals) == expected


def test_t_formats():
    assert t("rank_of", "vi", rank=3, n=63) == "hạng 3/63"

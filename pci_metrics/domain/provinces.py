"""Province names as VCCI's workbooks write them, matched to stable province keys.

The yearly PCI workbooks spell one province many ways: with diacritics ("Thừa Thiên Huế"),
without ("Thua Thien Hue"), abbreviated ("TT-Huế", "TT.Huế", "HCMC", "BRVT") or with old
spellings ("Bắc Cạn", "Đắc Lắk"). ``ProvinceMatcher`` maps all of them to the keys of
``data/seed/provinces_63_to_34.csv`` (plus ``hatay``, Hà Tây, merged into Hà Nội in 2008).

>>> m = ProvinceMatcher.from_seed()
>>> m.match("TT-Huế"), m.match("Ha Noi"), m.match("Atlantis")
('thuathienhue', 'hanoi', None)
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pci_metrics.base.cells import fold
from pci_metrics.base.paths import SEED_DIR

SEED_PATH = SEED_DIR / "provinces_63_to_34.csv"

# Hà Tây was a province until 1/8/2008 (merged into Hà Nội); PCI 2005-2008 rank it.
HATAY = ("hatay", "Hà Tây", "Ha Tay")

# Spellings that exact matching after normalisation cannot reach: abbreviations and old or
# variant spellings seen in the VCCI workbooks 2005-2018. Keys are already normalised.
ALIASES: dict[str, str] = {
    # Hồ Chí Minh City
    "hcmc": "hochiminhcity",
    "tphcm": "hochiminhcity",
    "hcm": "hochiminhcity",
    "tphochiminh": "hochiminhcity",
    "thanhphohochiminh": "hochiminhcity",
    "hochiminh": "hochiminhcity",
    "saigon": "hochiminhcity",
    # Bà Rịa - Vũng Tàu
    "brvt": "bariavungtau",
    "vungtau": "bariavungtau",
    # Thừa Thiên Huế
    "tthue": "thuathienhue",
    "hue": "thuathienhue",
    # Đắk Lắk / Đắk Nông (also written Đắc Lắk, Đăk Lăk, Daklak)
    "daclak": "daklak",
    "daclac": "daklak",
    "daklac": "daklak",
    "dacnong": "daknong",
    # Bắc Kạn (old spelling Bắc Cạn)
    "baccan": "backan",
    # Cities written with their status
    "tphanoi": "hanoi",
    "thanhphohanoi": "hanoi",
    "tphaiphong": "haiphong",
    "tpdanang": "danang",
    "tpcantho": "cantho",
    # Khánh Hòa / Thanh Hóa / Hòa Bình are covered by normalisation (Hoà = Hòa).
}


def normalize_name(text: str) -> str:
    """Lower-case ASCII key without diacritics, spaces or punctuation (đ -> d).

    >>> normalize_name("Thừa Thiên - Huế"), normalize_name("TP. Hồ Chí Minh"), normalize_name("Đắk Lắk")
    ('thuathienhue', 'tphochiminh', 'daklak')
    """
    return fold(text).replace("_", "")


@dataclass(frozen=True)
class Province:
    """One province of the PCI rankings: stable key, Vietnamese and English name."""

    key: str
    name_vi: str
    name_en: str


class ProvinceMatcher:
    """Match any spelling of a province name to its key; suggest names for unknown text.

    >>> m = ProvinceMatcher([("hanoi", "Hà Nội", "Hanoi")])
    >>> m.match("HA NOI"), m.suggest("Ha Noii")
    ('hanoi', ['Hà Nội'])
    """

    def __init__(
        self,
        provinces: Iterable[tuple[str, str, str]],
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        """Build from (key, name_vi, name_en) rows; ``aliases`` maps normalised text -> key.

        >>> ProvinceMatcher([("hanoi", "Hà Nội", "Hanoi")]).match("hanoi")
        'hanoi'
        """
        self.provinces: dict[str, Province] = {}
        self._lookup: dict[str, str] = {}
        for key, name_vi, name_en in provinces:
            self.provinces[key] = Province(key, name_vi, name_en)
            for spelling in (key, name_vi, name_en):
                self._lookup.setdefault(normalize_name(spelling), key)
        for alias, key in (ALIASES if aliases is None else aliases).items():
            if key in self.provinces:
                self._lookup.setdefault(normalize_name(alias), key)
        self._cache: dict[str, str | None] = {}

    @classmethod
    def from_seed(cls, path: str | Path | None = None) -> ProvinceMatcher:
        """The 63 provinces of ``data/seed/provinces_63_to_34.csv`` plus Hà Tây.

        >>> len(ProvinceMatcher.from_seed().provinces)
        64
        """
        with open(path or SEED_PATH, encoding="utf-8", newline="") as fh:
            rows = [(r["province_key"], r["name_vi"], r["name_en"]) for r in csv.DictReader(fh)]
        if HATAY[0] not in {r[0] for r in rows}:
            rows.append(HATAY)
        return cls(rows)

    def match(self, text: object) -> str | None:
        """The province key for ``text``, or None when it names no known province.

        >>> ProvinceMatcher.from_seed().match("TP.Hồ Chí Minh")
        'hochiminhcity'
        """
        if not isinstance(text, str):
            return None
        if text not in self._cache:
            self._cache[text] = self._lookup.get(normalize_name(text))
        return self._cache[text]

    def name_vi(self, key: str) -> str:
        """The Vietnamese name of a province key.

        >>> ProvinceMatcher.from_seed().name_vi("thuathienhue")
        'Thừa Thiên Huế'
        """
        return self.provinces[key].name_vi

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Up to ``n`` Vietnamese names closest to ``text``, for "did you mean" messages.

        >>> ProvinceMatcher.from_seed().suggest("Hai Phongg", n=1)
        ['Hải Phòng']
        """
        norm = normalize_name(text)
        close = difflib.get_close_matches(norm, list(self._lookup), n=n * 4, cutoff=0.5)
        names: list[str] = []
        for spelling in close:
            name = self.provinces[self._lookup[spelling]].name_vi
            if name not in names:
                names.append(name)
        return names[:n]

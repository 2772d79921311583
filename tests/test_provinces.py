"""Province names as the VCCI workbooks write them -> stable province keys."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pci_metrics.domain.provinces import ProvinceMatcher, normalize_name

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "seed" / "pci_provinces_2005_2019.csv"


@pytest.fixture(scope="module")
def matcher() -> ProvinceMatcher:
    return ProvinceMatcher.from_seed()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thừa Thiên Huế", "thuathienhue"),
        ("Thua Thien - Hue", "thuathienhue"),
        ("Đắk Lắk", "daklak"),
        ("ĐÀ NẴNG", "danang"),
        ("TP. Hồ Chí Minh", "tphochiminh"),
        ("  Quảng Ngãi ", "quangngai"),
        ("Hoà Bình", "hoabinh"),  # old-style tone placement
        ("Hòa Bình", "hoabinh"),
        ("Bà Rịa - Vũng Tàu", "bariavungtau"),
        ("", ""),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # with diacritics, as VCCI's Vietnamese sheets write them
        ("Hải Phòng", "haiphong"),
        ("Thừa Thiên Huế", "thuathienhue"),
        ("Đắk Lắk", "daklak"),
        ("Hà Tây", "hatay"),
        # ASCII, as the English sheets write them
        ("Hai Phong", "haiphong"),
        ("Thua Thien Hue", "thuathienhue"),
        ("Ha Noi", "hanoi"),
        ("Hanoi", "hanoi"),
        ("HA NOI", "hanoi"),
        ("Dak Lak", "daklak"),
        ("Daklak", "daklak"),
        ("Dak Nong", "daknong"),
        ("Kon Tum", "kontum"),
        ("KonTum", "kontum"),
        # abbreviations and old spellings seen in the 2005-2018 workbooks
        pytest.param("HCMC", "hochiminhcity", id="HCMC"),
        pytest.param("TP HCM", "hochiminhcity", id="TP HCM"),
        pytest.param("TPHCM", "hochiminhcity", id="TPHCM"),
        pytest.param("Tp.HCM", "hochiminhcity", id="Tp.HCM"),
        pytest.param("TP.Hồ Chí Minh", "hochiminhcity", id="TP.Ho Chi Minh"),
        pytest.param("Ho Chi Minh City", "hochiminhcity", id="english-name"),
        pytest.param("BRVT", "bariavungtau", id="BRVT"),
        pytest.param("Bà Rịa - Vũng Tàu", "bariavungtau", id="BRVT-full"),
        pytest.param("TT-Huế", "thuathienhue", id="TT-Hue"),
        pytest.param("TT.Huế", "thuathienhue", id="TT.Hue"),
        pytest.param("TT- Huế", "thuathienhue", id="TT- Hue"),
        pytest.param("TT-Hue", "thuathienhue", id="TT-Hue-ascii"),
        pytest.param("Đắc Lắk", "daklak", id="Dac Lak (old spelling)"),
        pytest.param("Đăk Lăk", "daklak", id="Dak Lak (short vowels)"),
        pytest.param("Đak Nông", "daknong", id="Dak Nong (no hook)"),
        pytest.param("Bắc Cạn", "backan", id="Bac Can (old spelling)"),
        pytest.param("Quảng Ngãi ", "quangngai", id="trailing-space"),
        # not a province
        pytest.param("Atlantis", None, id="unknown"),
        pytest.param("Min", None, id="statistic-row"),
        pytest.param("", None, id="empty"),
    ],
)
def test_match(matcher: ProvinceMatcher, text: str, key: str | None) -> None:
    assert matcher.match(text) == key


def test_every_spelling_in_the_reference_csv_matches_its_key(matcher: ProvinceMatcher) -> None:
    with open(REFERENCE, encoding="utf-8", newline="") as fh:
        pairs = {(r["province_raw"], r["province_key"]) for r in csv.DictReader(fh)}
    wrong = {raw: (key, matcher.match(raw)) for raw, key in pairs if matcher.match(raw) != key}
    assert not wrong
    assert len(pairs) > 100  # the CSV holds well over a hundred distinct spellings


def test_seed_has_the_63_provinces_plus_ha_tay(matcher: ProvinceMatcher) -> None:
    assert len(matcher.provinces) == 64
    assert matcher.name_vi("hatay") == "Hà Tây"
    assert matcher.name_vi("haiphong") == "Hải Phòng"


@pytest.mark.parametrize(("value", "key"), [(None, None), (12.5, None), (2017, None)])
def test_match_ignores_non_text(matcher: ProvinceMatcher, value: object, key: None) -> None:
    assert matcher.match(value) is key


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Hai Phongg", "Hải Phòng"),
        ("Thanh Hoá province", "Thanh Hóa"),
        ("Quang Ning", "Quảng Ninh"),
        ("Can Thoo", "Cần Thơ"),
    ],
)
def test_suggest_gives_vietnamese_names_for_did_you_mean(matcher: ProvinceMatcher, text: str, first: str) -> None:
    suggestions = matcher.suggest(text)
    assert matcher.match(text) is None
    assert suggestions[0] == first
    assert len(suggestions) <= 3


def test_suggest_returns_known_names_only(matcher: ProvinceMatcher) -> None:
    known = {p.name_vi for p in matcher.provinces.values()}
    assert set(matcher.suggest("Atlantis", n=5)) <= known
    assert matcher.suggest("zzzzzzzzzzzz") == []


def test_custom_aliases_replace_the_built_in_table() -> None:
    m = ProvinceMatcher([("haiphong", "Hải Phòng", "Hai Phong")], aliases={"HP": "haiphong"})
    assert m.match("hp") == "haiphong"
    assert m.match("HCMC") is None

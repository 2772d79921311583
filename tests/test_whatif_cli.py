"""``python -m pci_metrics whatif`` as a user runs it: the numbers, and one-line errors with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from pci_metrics.cli.main import main
from tests.test_cli import run


def whatif(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, list[str], list[str]]:
    code = main(["whatif", *args, "--db", str(db)])
    cap = capsys.readouterr()
    return code, cap.out.splitlines(), cap.err.strip().splitlines()


def line(lines: list[str], start: str) -> str:
    return next(x for x in lines if x.startswith(start))


def test_the_issue_example_in_a_real_process(built_db: Path) -> None:
    r = run("whatif", "--entity", "haiphong", "--year", "2019", "--set", "transparency=+0.5",
            "--set", "labor=+0.2", db=built_db)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert out[0] == "Hải Phòng 2019 — PCI 2013–2021"
    # 0.5 × 20 % + 0.2 × 20 % = +1.40 composite points; 70.13 stays below Đà Nẵng's 70.15: rank 10 → 6.
    assert line(out, "Điểm tổng hợp / Composite:") == "Điểm tổng hợp / Composite: 68.73 → 70.13 (+1.40)"
    assert line(out, "Xếp hạng / Rank:") == "Xếp hạng / Rank: 10/63 → 6/63 (+4 bậc / +4 places)"
    assert any(x.split()[:5] == ["transparency", "6.50", "→", "7.00", "+0.50"] for x in out)


@pytest.mark.parametrize(
    "args, expected",
    [
        pytest.param(["--year", "2019", "--set", "transparency=+0.5"],
                     {"Điểm tổng hợp / Composite:": "68.73 → 69.73 (+1.00)", "Xếp hạng / Rank:": "10/63 → 6/63"},
                     id="2019-plus-half-transparency"),
        pytest.param(["--year", "2019", "--set", "transparency=0,5"],
                     {"Điểm tổng hợp / Composite:": "68.73 → 69.73 (+1.00)"}, id="decimal-comma"),
        pytest.param(["--set", "transparency=-6"],
                     {"Điểm tổng hợp / Composite:": "70.76 → 67.76 (-3.00)", "Xếp hạng / Rank:": "3/63 → 10–40/63"},
                     id="default-year-2022-bounds"),
        pytest.param(["--year", "2019", "--rank", "5"],
                     {"Hạng mục tiêu 5 / Target rank 5:": "cần ít nhất 0.71 điểm chỉ số thành phần"}, id="rank5"),
        pytest.param(["--year", "2019", "--rank", "1", "--max-step", "0.5"],
                     {"Hạng mục tiêu 1 / Target rank 1:": "Không thể đạt hạng 1"}, id="rank1-unreachable"),
        pytest.param(["--rank", "1"], {"Hạng mục tiêu 1 / Target rank 1:": "tăng 2.21 (vượt Quảng Ninh)"},
                     id="2022-rank1-guaranteed"),
        pytest.param(["--year", "2019", "--assumption", "equal", "--set", "transparency_accountability=+0.5"],
                     {"Điểm tổng hợp / Composite:": "(+1.00)  [giả định: trọng số bằng nhau / assumption: equal weights]",
                      "Giả định:": "Assumption: equal weights"}, id="pci2025-equal"),
    ],
)
def test_whatif_lines(capsys, built_db: Path, args: list[str], expected: dict[str, str]) -> None:
    code, out, err = whatif(capsys, built_db, *args)
    assert code == 0, err
    for start, needle in expected.items():
        assert needle in line(out, start)


@pytest.mark.parametrize(
    "args, needles",
    [
        pytest.param(["--year", "2019", "--set", "transparancy=+0.5"],
                     ['Không có chỉ số "transparancy"', 'Unknown sub-index "transparancy"', "Valid codes: entry"],
                     id="typo-in-code"),
        pytest.param(["--year", "2019", "--set", "transparency=abc"],
                     ["cần dạng mã=số", "expected code=number"], id="not-a-number"),
        pytest.param(["--year", "2019", "--set", "transparency+0.5"], ["expected code=number"], id="no-equals"),
        pytest.param(["--year", "2019", "--set", "labor=+12"], ["vượt quá ±10", "exceeds ±10"], id="beyond-scale"),
        pytest.param(["--year", "2019", "--set", "market_entry=+1"], ["Unknown sub-index"],
                     id="pci2025-code-in-classic-view"),
        pytest.param(["--entity", "atlantis"], ["unknown province 'atlantis'"], id="unknown-entity"),
        pytest.param(["--year", "2023"], ["incomplete (available: 2005–2022)"], id="composite-only-year"),
        pytest.param(["--year", "2010", "--assumption", "equal"], ["(policy_bias) score", "Cạnh tranh bình đẳng"], id="pci2025-2010"),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, built_db: Path, args: list[str], needles: list[str]) -> None:
    code, out, err = whatif(capsys, built_db, *args)
    assert code == 2 and out == []
    assert len(err) == 1, err  # one line, Vietnamese / English
    assert " / " in err[0]
    for needle in needles:
        assert needle in err[0]

"""Units report their own tasks: memberships, the permission matrix (every action × role × unit ×
state, through the one policy and through the model), a report's life (draft → submitted → returned
with a comment → corrected → accepted, each step one audit line; only accepted reports feed the
status rule and the quarterly report), and evidence files (checked by content, kept byte for byte
through a backup and a restore)."""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from datetime import date
from pathlib import Path

import docx
import pandas as pd
import pytest

from pci_metrics.imports import evidence
from pci_metrics.ops import backup
from pci_metrics.outputs import reports
from pci_metrics.store import audit_db, storage, unit_reports_db
from pci_metrics.trust import roles
from pci_metrics.views import tasks
from pci_metrics.views import unit_reports as ur

FOCAL = frozenset({"kt_ht_dt"})
TODAY = date(2026, 3, 10)
# who, global role, memberships
PEOPLE = {
    "reporter": ("viewer", {"vh_xh": "reporter"}),
    "follower": ("viewer", {"vh_xh": "follower"}),
    "other_unit": ("viewer", {"tt_snc": "reporter"}),
    "focal": ("viewer", {"kt_ht_dt": "follower"}),
    "viewer": ("viewer", {}),
    "analyst": ("analyst", {}),
    "admin": ("admin", {}),
}
STATES = [None, *roles.REPORT_STATES]


def expected(person: str, action: str, state: str | None) -> bool:
    """The README's matrix, written out for a report of Phòng VH-XH (vh_xh)."""
    member = person in ("reporter", "follower")
    if action == "manage_members":
        return person == "admin"
    if action == "read":
        return (state == "accepted" or person in ("analyst", "admin") or member
                or (person == "focal" and state in ("submitted", "returned")))
    if action == "file":
        return member and state in (None, "draft", "returned")
    if action == "submit":
        return member and state in ("draft", "returned")
    return person == "focal" and state == "submitted"  # review


@pytest.mark.parametrize("person, action, state", list(itertools.product(PEOPLE, roles.REPORT_ACTIONS, STATES)))
def test_the_permission_matrix(person, action, state):
    role, members = PEOPLE[person]
    assert roles.may_on_report(role, members, action, "vh_xh", state, FOCAL) is expected(person, action, state)


@pytest.fixture
def ward(fresh_db: Path) -> Path:
    """The default database with two unit users and a focal-office reviewer, set by an admin."""
    admin = ur.Actor("quan-tri", "admin")
    with storage.connect(fresh_db) as con:
        for user, unit, unit_role in [("lan", "vh_xh", "reporter"), ("minh", "tt_snc", "reporter"),
                                      ("hoa", "kt_ht_dt", "follower")]:
            assert ur.set_membership(con, admin, user, unit, unit_role)
        with pytest.raises(ur.ReportRefused):
            ur.set_membership(con, ur.actor_of(con, "lan", "viewer"), "lan", "tt_snc", "reporter")
    return fresh_db


def actor(con, user: str) -> ur.Actor:
    return ur.actor_of(con, user, "viewer")


def statuses(con, period: str = "2026-Q1"):
    return tasks.tasks_model(con, period, today=TODAY).tasks.set_index("task_id")["status"]


def test_a_report_through_its_life(ward: Path) -> None:
    with storage.connect(ward) as con:
        lan, minh, hoa = actor(con, "lan"), actor(con, "minh"), actor(con, "hoa")
        ur.save_draft(con, lan, "T14", "2026-Q1", "vh_xh", {"status": "dang_thuc_hien", "progress": 40,
                                                            "outcome": "Đã tuyên truyền 3 tổ dân phố"})
        assert "T14" not in set(ur.readable_reports(con, minh, "2026-Q1")["task_id"])  # another unit's draft
        assert "T14" not in set(ur.readable_reports(con, ur.Actor("khach", "viewer"), "2026-Q1")["task_id"])
        with pytest.raises(ur.ReportRefused):
            ur.review(con, hoa, "T14", "2026-Q1", accept=True)  # a draft is not for review
        ur.submit(con, lan, "T14", "2026-Q1")
        with pytest.raises(ur.ReportRefused):  # locked for the unit once submitted
            ur.save_draft(con, lan, "T14", "2026-Q1", "vh_xh", {"status": "hoan_thanh"})
        with pytest.raises(ur.ReportRefused):
            ur.review(con, lan, "T14", "2026-Q1", accept=True)  # a unit cannot accept its own report
        with pytest.raises(ur.ReportRefused):
            ur.review(con, hoa, "T14", "2026-Q1", accept=False, comment=" ")  # returning needs a reason
        assert statuses(con)["T14"] == "chua_bao_cao"  # submitted is not yet accepted
        ur.review(con, hoa, "T14", "2026-Q1", accept=False, comment="Thiếu số liệu tổ dân phố")
        back = ur.unit_page(con, lan, "vh_xh", "2026-Q1", TODAY).tasks.set_index("task_id").loc["T14"]
        assert (back["state"], back["review_comment"]) == ("returned", "Thiếu số liệu tổ dân phố")
        ur.save_draft(con, lan, "T14", "2026-Q1", "vh_xh", {"status": "dang_thuc_hien", "progress": 60})
        ur.submit(con, lan, "T14", "2026-Q1")
        ur.review(con, hoa, "T14", "2026-Q1", accept=True)
        assert statuses(con)["T14"] == "dang_thuc_hien"
        log = audit_db.load_audit(con)
    steps = log[log["table_name"] == "task_report"].sort_values("audit_id")
    assert list(steps["action"]) == ["task_report.draft", "task_report.submit", "task_report.return",
                                     "task_report.draft", "task_report.submit", "task_report.accept"]
    assert list(steps["user_name"]) == ["lan", "lan", "hoa", "lan", "lan", "hoa"]
    assert json.loads(steps.iloc[2]["new_json"])["review_comment"] == "Thiếu số liệu tổ dân phố"
    document = docx.Document(io.BytesIO(reports.render(str(ward), "2026-Q1", "docx", today=TODAY, images=False)))
    rows = {r.cells[0].text: [c.text for c in r.cells] for tb in document.tables for r in tb.rows}
    accepted_on = pd.Timestamp(steps.iloc[-1]["at_time"]).strftime("%d/%m/%Y")
    # the compiled report says whose report it uses and when it was accepted, and who has not reported
    assert rows["T14"][2:4] == ["Đang thực hiện", "60"] and rows["T14"][-1] == f"Phòng VH-XH (lan), chấp nhận {accepted_on}"
    assert rows["T12"][-1] == "Chưa báo cáo"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Đơn vị khác: chưa báo cáo nhiệm vụ T09, T10, T11." in text and "Phòng VH-XH: chưa báo cáo" not in text


def test_a_report_typed_by_an_analyst_waits_for_the_focal_office_like_an_imported_one(ward: Path) -> None:
    typed = pd.DataFrame([dict(task_id="T14", period="2026-Q1", unit_key="vh_xh", status="hoan_thanh",
                               progress=100.0, outcome="Xong", evidence=None, reported_by=None, reported_at=None)])
    with storage.connect(ward) as con:
        assert tasks.save_report_edits(con, typed, [], "2026-Q1", user="chuyen-vien")["added"] == 1
        stored = unit_reports_db.load_report(con, "T14", "2026-Q1")
        assert (stored["state"], stored["on_behalf"], stored["submitted_by"]) == ("submitted", True, "chuyen-vien")
        assert statuses(con)["T14"] == "chua_bao_cao"  # not counted before the review
        ur.review(con, actor(con, "hoa"), "T14", "2026-Q1", accept=True)
        assert statuses(con)["T14"] == "hoan_thanh"


def test_a_unit_files_only_the_tasks_it_leads_or_supports(ward: Path) -> None:
    with storage.connect(ward) as con, pytest.raises(ur.ReportRefused) as err:
        ur.save_draft(con, actor(con, "lan"), "T12", "2026-Q1", "vh_xh", {"status": "dang_thuc_hien"})
    assert err.value.key == "units_err_not_assigned"


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("name, data, key", [
    ("bao-cao.pdf", b"MZ\x90\x00\x03 this program cannot be run in DOS mode", "units_file_type"),
    ("trang.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "units_file_type"),
    ("lon.pdf", b"%PDF-1.7" + b"0" * evidence.MAX_BYTES, "units_file_too_big"),
    ("../../etc/bao-cao.pdf", b"%PDF-1.7 ok", "units_file_path"),
    ("C:\\Users\\bao-cao.pdf", b"%PDF-1.7 ok", "units_file_path"),
], ids=["renamed-executable", "html", "oversize", "path-in-name", "windows-path"])
def test_evidence_files_are_checked_by_content(name, data, key) -> None:
    with pytest.raises(evidence.EvidenceRefused) as err:
        evidence.check_evidence(name, data)
    assert err.value.key == key and err.value.message("vi")


def test_evidence_files_survive_a_backup_and_restore_byte_for_byte(ward: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PCI_BACKUP_KEY", raising=False)
    files = [evidence.check_evidence("bien-ban.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40),
             evidence.check_evidence("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 500),
             evidence.check_evidence("so-lieu.docx", _docx())]
    assert [f.media_type for f in files] == ["application/pdf", "image/png", evidence.DOCX]
    with storage.connect(ward) as con:
        ur.save_draft(con, actor(con, "lan"), "T14", "2026-Q1", "vh_xh", {"status": "dang_thuc_hien"}, files)
    backup.backup(ward, tmp_path / "bak")
    restored = tmp_path / "restored.duckdb"
    backup.restore(tmp_path / "bak", restored, by="quan-tri")
    with storage.connect(restored, read_only=True) as con:
        kept = unit_reports_db.load_files(con, "T14", "2026-Q1")
        assert list(kept["file_name"]) == ["bien-ban.pdf", "anh.png", "so-lieu.docx"]
        assert [unit_reports_db.file_content(con, int(i)) for i in kept["file_id"]] == [f.content for f in files]


def test_an_admin_manages_memberships_audited(ward: Path) -> None:
    admin = ur.Actor("quan-tri", "admin")
    with storage.connect(ward) as con:
        assert ur.set_membership(con, admin, "lan", "vh_xh", "follower")
        assert not ur.set_membership(con, admin, "lan", "vh_xh", "follower")
        assert ur.set_membership(con, admin, "minh", "tt_snc", None)
        members = unit_reports_db.load_memberships(con)
        log = audit_db.load_audit(con)
    assert members[["user_name", "unit_key", "unit_role"]].values.tolist() == [
        ["hoa", "kt_ht_dt", "follower"], ["lan", "vh_xh", "follower"]]
    assert (log["action"] == "unit_member.set").sum() == 5


def test_a_draft_with_a_bad_value_is_refused_naming_the_form_row_column_and_value(ward: Path) -> None:
    with storage.connect(ward) as con, pytest.raises(ur.ReportRefused) as err:
        ur.save_draft(con, actor(con, "lan"), "T14", "2026-Q1", "vh_xh", {"status": "dang_thuc_hien", "progress": 150})
    vi, en = (" ".join(p.message(lang) for p in err.value.problems) for lang in ("vi", "en"))
    assert 'trang tính "Biểu mẫu báo cáo / Report form"' in vi and "150" in vi
    assert 'sheet "Biểu mẫu báo cáo / Report form"' in en and "150" in en
    with storage.connect(ward, read_only=True) as con:
        assert unit_reports_db.load_report(con, "T14", "2026-Q1") is None  # nothing written

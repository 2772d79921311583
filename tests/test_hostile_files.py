"""Hostile and unlucky files: none can take the server or the command line down, hog them, or hold the
database while it is read. Every file is built here, in the test.

- a workbook that declares a huge area (a cell at XFD1048576: 5 KB that asked the reader for 512 GiB
  and aborted the whole process) is refused before any reader runs;
- one that hides its area (no dimension tag) is read in the limited worker, which is stopped at its
  memory cap while the caller carries on;
- a zip member that lies about its size is measured by what it really unpacks to;
- 20 MB of blank CSV lines, /dev/zero and a directory are refused without reading them into memory;
- the server keeps answering its health check during and after such uploads, and a command-line
  import and a backup succeed while the server is reading an upload.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from pci_metrics.base.problems import InputError
from pci_metrics.imports import ingest, read, sandbox, sniff
from pci_metrics.store import storage, tables_db
from tests.conftest import ROOT, Server, sign_in_at, start_server, wait_ready

MB = 1024 * 1024
CLI_PEAK_MB = 450  # the command line's own peak memory, whatever the file (measured: ~230 MB)
SERVER_PEAK_MB = 600  # the server's peak memory across the hostile uploads (measured: 245 MB)
PASSWORD = "Kiem-thu-tep-2026!"
ANALYST = "chuyen-vien-tep"


# --- files built in the test ----------------------------------------------------------------------

def far_cell_workbook(cell: str, *, keep_dimension: bool = True, sheet: str = "Điểm") -> bytes:
    """A tiny workbook with a header and one value at ``cell`` (e.g. XFD1048576); without its
    ``<dimension>`` tag when ``keep_dimension`` is False, so only reading it reveals its area."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "year"
    ws[cell] = 1
    buf = io.BytesIO()
    wb.save(buf)
    if keep_dimension:
        return buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension ref=\"[^\"]*\"/>", b"", data)
            z.writestr(info.filename, data)
    return out.getvalue()


def lying_zip(real_bytes: int = 1024 * MB, declared: int = 4096) -> bytes:
    """A workbook whose sheet member declares ``declared`` bytes but unpacks to ``real_bytes`` (~1 MB
    packed): both headers (local and central) are patched to lie."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, src.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b" " * MB
            for _ in range(real_bytes // MB):
                member.write(block)
    data = bytearray(out.getvalue())
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    data[info.header_offset + 22:info.header_offset + 26] = declared.to_bytes(4, "little")
    name = info.filename.encode()
    central = next(i for i in (m.start() for m in re.finditer(rb"PK\x01\x02", bytes(data)))
                   if data[i + 46:i + 46 + len(name)] == name)
    data[central + 24:central + 28] = declared.to_bytes(4, "little")
    return bytes(data)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile files, written once per module."""
    folder = tmp_path_factory.mktemp("hostile")
    files = {
        "xfd1048576.xlsx": far_cell_workbook("XFD1048576"),
        "xfd5000.xlsx": far_cell_workbook("XFD5000"),
        "zz200000.xlsx": far_cell_workbook("ZZ200000"),
        "hidden-area.xlsx": far_cell_workbook("XFD1048576", keep_dimension=False),
        "lying-zip.xlsx": lying_zip(),
        "blank-lines.csv": b"\n" * (20 * MB - 1),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


# --- the checks before any reader runs ------------------------------------------------------------

def no_reader(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("a reader ran on a file the cheap checks should have refused")


@pytest.mark.parametrize("name, area", [
    ("xfd1048576.xlsx", "A1:XFD1048576"), ("xfd5000.xlsx", "A1:XFD5000"), ("zz200000.xlsx", "A1:ZZ200000")])
def test_a_sheet_declaring_a_huge_area_is_refused_before_any_reader_runs(
        hostile: dict[str, Path], monkeypatch: pytest.MonkeyPatch, name: str, area: str) -> None:
    monkeypatch.setattr(read, "calamine_sheets", no_reader)
    monkeypatch.setattr(read, "read_vcci_workbook", no_reader)
    raw = read.read_file(hostile[name].read_bytes(), name)
    [problem] = raw.problems
    assert problem.code == "sheet_too_large" and problem.sheet == "Điểm"
    assert area in problem.message("vi") and "5.000.000 ô" in problem.message("vi")
    assert "at most 5,000,000 cells per sheet" in problem.message("en")


def test_a_zip_member_that_lies_about_its_size_is_measured_by_what_it_unpacks_to(
        hostile: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile["lying-zip.xlsx"].read_bytes()
    assert len(data) < 2 * MB
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size == 4096
    monkeypatch.setattr(read, "calamine_sheets", no_reader)
    monkeypatch.setattr(read, "read_vcci_workbook", no_reader)
    [problem] = read.read_file(data, "lying-zip.xlsx").problems
    assert problem.code == "zip_bomb" and "xl/worksheets/sheet1.xml" in problem.message("en")


def test_blank_lines_are_counted_before_a_csv_is_parsed(hostile: dict[str, Path]) -> None:
    [problem] = read.read_file(hostile["blank-lines.csv"].read_bytes(), "blank-lines.csv").problems
    assert problem.code == "too_many_rows" and "20971519 dòng / lines" in problem.message("en")


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        sniff.read_regular_file(Path("/dev/zero"))
    assert "a regular file (this is a device or a stream)" in info.value.problems[0].message("en")
    with pytest.raises(IsADirectoryError):  # worded by pci_metrics.trust.failures, like every command's paths
        sniff.read_regular_file(tmp_path)


# --- the limited worker ---------------------------------------------------------------------------

def test_a_reader_that_outgrows_its_memory_cap_is_stopped_and_the_caller_carries_on(
        hostile: dict[str, Path], fresh_db: Path) -> None:
    before = storage_checksums(fresh_db)
    preview = ingest.preview_file(str(fresh_db), hostile["hidden-area.xlsx"].read_bytes(), "hidden-area.xlsx")
    [problem] = preview.incoming.problems
    assert problem.code == "limit_memory"
    assert "không đọc được trong giới hạn" in problem.message("vi") and "bộ nhớ: 1.536 MB" in problem.message("vi")
    assert "memory: 1,536 MB" in problem.message("en")
    assert sandbox.resident_mb(os.getpid()) < 1024  # the 512 GiB request never touched this process
    assert storage_checksums(fresh_db) == before


def spin() -> None:
    while True:
        pass


@pytest.mark.parametrize("fn, args, limits", [
    pytest.param(time.sleep, (30,), sandbox.Limits(wall_s=1), id="wall-clock"),
    pytest.param(spin, (), sandbox.Limits(cpu_s=1, wall_s=30), id="cpu"),
])
def test_a_reader_that_runs_too_long_is_stopped(fn: object, args: tuple[object, ...], limits: sandbox.Limits) -> None:
    start = time.monotonic()
    with pytest.raises(sandbox.LimitExceeded) as info:
        sandbox.run(fn, *args, limits=limits)  # type: ignore[arg-type]
    assert info.value.which == "time" and "giây" in info.value.message("vi")
    assert time.monotonic() - start < 20


def test_the_workers_of_one_process_take_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many sessions uploading at once cannot multiply the memory cap: here one worker at a time."""
    monkeypatch.setattr(sandbox, "_slots", threading.BoundedSemaphore(1))
    first = threading.Thread(target=sandbox.run, args=(time.sleep, 2))
    first.start()
    time.sleep(0.5)
    start = time.monotonic()
    sandbox.run(time.sleep, 0)
    waited = time.monotonic() - start
    first.join()
    assert waited >= 1.0, f"the second read started after {waited:.2f} s, while the first was still reading"


def test_a_bug_in_the_worker_is_reported_not_hidden() -> None:
    with pytest.raises(sandbox.WorkerError, match="ZeroDivisionError"):
        sandbox.run(divmod, 1, 0)


def storage_checksums(db: Path) -> dict[str, str]:
    with storage.connect(db, read_only=True) as con:
        return tables_db.table_checksums(con)


# --- the command line -----------------------------------------------------------------------------

PEAK_RUNNER = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
               "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr);"
               "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr);"
               "sys.exit(p.returncode)")


def cli_import(target: str, db: Path) -> tuple[int, str, float]:
    """Exit code, stderr and the command's peak memory (MB) of ``python -m pci_metrics import``."""
    proc = subprocess.run([sys.executable, "-c", PEAK_RUNNER, sys.executable, "-m", "pci_metrics", "import", target,
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=240)
    peak = re.search(r"PEAK_KB (\d+)", proc.stderr)
    assert peak, proc.stderr
    return proc.returncode, proc.stderr[:peak.start()], int(peak.group(1)) / 1024


@pytest.mark.parametrize("name, expected", [
    ("xfd1048576.xlsx", "at most 5,000,000 cells per sheet"),
    ("hidden-area.xlsx", "could not be read within them"),
    ("lying-zip.xlsx", "possibly a decompression bomb"),
    ("blank-lines.csv", "at most 200,000 data rows"),
    ("/dev/zero", "a regular file (this is a device or a stream)"),
    ("DIR", "this is a folder, a file is needed"),
])
def test_the_command_line_refuses_each_hostile_file_in_one_line(
        hostile: dict[str, Path], fresh_db: Path, name: str, expected: str) -> None:
    target = {"/dev/zero": "/dev/zero", "DIR": str(fresh_db.parent)}.get(name) or str(hostile[name])
    before = storage_checksums(fresh_db)
    code, err, peak_mb = cli_import(target, fresh_db)
    assert code == 2, err
    assert expected in err and "Traceback" not in err
    assert peak_mb < CLI_PEAK_MB, f"the command line used {peak_mb:.0f} MB"
    assert storage_checksums(fresh_db) == before


# --- the server -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def upload_server(tmp_path_factory: pytest.TempPathFactory, built_db: Path) -> Iterator[Server]:
    """A private server whose reads of uploads take 10 s longer (to act while one is being read)."""
    from pci_metrics.trust import auth

    db = tmp_path_factory.mktemp("hostile-srv") / "pci.duckdb"
    shutil.copy(built_db, db)
    with storage.connect(db) as con:
        auth.add_user(con, ANALYST, "analyst", PASSWORD, by="kiem-thu")
    srv = start_server(db, {"PCI_ADMIN_PASSWORD": PASSWORD, "PCI_WORKER_TEST_DELAY_S": "10"})
    yield srv
    srv.stop()


class HealthWatch:
    """Asks the server's health endpoint every 0.2 s in the background; counts the failures."""

    def __init__(self, url: str):
        self.url, self.asked, self.failed = url + "/_stcore/health", 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.asked += 1
            try:
                with urllib.request.urlopen(self.url, timeout=3) as r:
                    self.failed += r.status != 200
            except OSError:
                self.failed += 1
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def server_peak_mb(srv: Server) -> float:
    status = Path(f"/proc/{srv.proc.pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def sign_in_on_import(page, srv: Server) -> None:  # noqa: ANN001 - a Playwright page
    sign_in_at(page, srv.url + "/import", ANALYST, PASSWORD, '[data-testid="stFileUploader"]')


@pytest.mark.browser
def test_hostile_uploads_leave_the_server_answering(upload_server: Server, hostile: dict[str, Path],
                                                    browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in_on_import(page, upload_server)
    watch = HealthWatch(upload_server.url)
    try:
        for name, says in [("xfd1048576.xlsx", "5.000.000 ô"), ("hidden-area.xlsx", "không đọc được trong giới hạn"),
                           ("lying-zip.xlsx", "bom giải nén")]:
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(hostile[name]))
            page.wait_for_selector("text=Đang đọc và kiểm tra tệp", timeout=30000)
            page.wait_for_selector("text=Đang đọc và kiểm tra tệp", state="detached", timeout=120000)
            wait_ready(page, 60000)
            assert "Tệp có 1 lỗi" in page.inner_text('[data-testid="stMain"]')
            page.wait_for_selector(f'td[role="gridcell"]:has-text("{says}")', state="attached", timeout=30000)
            assert upload_server.proc.poll() is None, f"the server died on {name}"
    finally:
        watch.stop()
    assert watch.asked > 10 and watch.failed == 0
    assert upload_server.proc.poll() is None
    peak = server_peak_mb(upload_server)
    print(f"server peak {peak:.0f} MB; health asked {watch.asked} times, {watch.failed} failures")
    assert peak < SERVER_PEAK_MB, f"the server's peak memory was {peak:.0f} MB"
    page.close()


@pytest.mark.browser
def test_a_command_line_import_and_a_backup_succeed_while_an_upload_is_read(
        upload_server: Server, tmp_path: Path, browser) -> None:  # noqa: ANN001
    upload = tmp_path / "diem.csv"
    upload.write_text("year,entity_key,code,value,rank,source\n2025,haiphong,composite,70.5,,Kiểm thử tải lên\n")
    other = tmp_path / "cli.csv"
    other.write_text("year,entity_key,code,value,rank,source\n2025,danang,composite,71.5,,Kiểm thử dòng lệnh\n")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in_on_import(page, upload_server)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    page.wait_for_selector("text=Đang đọc và kiểm tra tệp", timeout=30000)  # the worker is reading (10 s)
    env = {**os.environ, "PCI_LOCK_WAIT_S": "1"}
    imported = subprocess.run([sys.executable, "-m", "pci_metrics", "import", str(other), "--db", str(upload_server.db)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    backed_up = subprocess.run([sys.executable, "-m", "pci_metrics", "backup", "--out", str(tmp_path / "sao-luu"),
                                "--db", str(upload_server.db)], cwd=ROOT, capture_output=True, text=True,
                               timeout=120, env=env)
    assert imported.returncode == 0, imported.stderr
    assert backed_up.returncode == 0, backed_up.stderr
    # both ran while the upload was still being read; its preview comes afterwards
    assert page.locator("text=Đang đọc và kiểm tra tệp").count() == 1
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60000)
    wait_ready(page, 60000)
    assert "Thêm mới" in page.inner_text('[data-testid="stMain"]')
    page.close()

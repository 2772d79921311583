"""`make wheelhouse`: every pinned dependency as a wheel in one folder, for a machine without internet.

    python -m scripts.wheelhouse --dest .wheelhouse                  # for this machine's Python and platform
    python -m scripts.wheelhouse --dest /media/usb/pci-wheelhouse \\
        --python-version 3.11 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64

It downloads the wheels of requirements.txt (and their dependencies, binary wheels only, so the
target needs no compiler) with pip, copies requirements.txt beside them, and then proves the folder
is complete: pip resolves every requirement from the folder alone (``--no-index --dry-run``).
On the target: ``python3 -m venv .venv && .venv/bin/pip install --no-index --find-links
<folder> -r requirements.txt`` (README "Deploying at the ward").
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"


def download(dest: Path, python_version: str | None, platforms: list[str]) -> None:
    """All pinned wheels into ``dest`` (for another Python / platform when given)."""
    target: list[str] = []
    if platforms or python_version:
        target = ["--implementation", "cp", "--python-version", python_version or "3.11",
                  *(arg for p in platforms for arg in ("--platform", p))]
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--dest", str(dest),
                    "-r", str(REQUIREMENTS), *target], check=True)
    shutil.copy(REQUIREMENTS, dest / REQUIREMENTS.name)


def check_complete(dest: Path) -> None:
    """Fails unless pip resolves every requirement from ``dest`` alone, with no index (this machine)."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
                    "--no-index", "--find-links", str(dest), "-r", str(REQUIREMENTS)], check=True,
                   env={"PIP_CONFIG_FILE": "/dev/null", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scripts.wheelhouse", description=__doc__.splitlines()[0])
    p.add_argument("--dest", default=str(ROOT / ".wheelhouse"))
    p.add_argument("--python-version", help="the target's Python, e.g. 3.11 (default: this one)")
    p.add_argument("--platform", action="append", default=[], help="a target platform tag (repeatable)")
    args = p.parse_args(argv)
    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    download(dest, args.python_version, args.platform)
    if not args.platform and not args.python_version:
        check_complete(dest)
    wheels = sorted(dest.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels) / 1e6
    print(f"{len(wheels)} wheels ({size:.0f} MB) in {dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

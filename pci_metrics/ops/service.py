"""The dashboard as a system service: the systemd unit files, filled in for this checkout.

The templates live in ``docs/deploy/*.in`` (read them there); :func:`unit_files` replaces their
``@APP_DIR@``, ``@PYTHON@``, ``@USER@``, ``@STATE_NAME@`` and ``@DATA_DIR@`` fields.
``make install-service`` writes them into ``/etc/systemd/system`` (``python -m pci_metrics
service-files``). The service runs as an unprivileged user that owns only the data folder
(``/var/lib/pci-dashboard``, made by systemd's ``StateDirectory=``); the checkout stays read-only
to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pci_metrics.base.paths import ROOT

TEMPLATES = ROOT / "docs" / "deploy"
NAME = "pci-dashboard"
USER = "pci"


@dataclass(frozen=True)
class ServiceSettings:
    """Where the service's pieces are."""

    app_dir: Path = ROOT
    python: Path = ROOT / ".venv" / "bin" / "python"
    user: str = USER
    name: str = NAME

    @property
    def data_dir(self) -> Path:
        return Path("/var/lib") / self.name


def fill(template: str, settings: ServiceSettings) -> str:
    """A template with its fields filled in.

    >>> fill("User=@USER@ dir=@DATA_DIR@", ServiceSettings(user="pci"))
    'User=pci dir=/var/lib/pci-dashboard'
    """
    fields = {"@APP_DIR@": str(settings.app_dir), "@PYTHON@": str(settings.python), "@USER@": settings.user,
              "@STATE_NAME@": settings.name, "@DATA_DIR@": str(settings.data_dir)}
    for field, value in fields.items():
        template = template.replace(field, value)
    return template


def unit_files(settings: ServiceSettings | None = None) -> dict[str, str]:
    """File name (``pci-dashboard.service`` …) -> content, for every template in ``docs/deploy``."""
    settings = settings or ServiceSettings()
    out = {}
    for template in sorted(TEMPLATES.glob("*.in")):
        name = template.name.removesuffix(".in").replace(NAME, settings.name)
        out[name] = fill(template.read_text(encoding="utf-8"), settings)
    return out


def write_unit_files(folder: str | Path, settings: ServiceSettings | None = None) -> list[Path]:
    """Write :func:`unit_files` into ``folder``; the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in unit_files(settings).items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written

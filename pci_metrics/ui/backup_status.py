"""The Overview's line for administrators: when the last good backup was made, and a warning when
it is more than two days old (:func:`pci_metrics.ops.schedule.health` decides)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from pci_metrics.base.i18n import fmt_date, t
from pci_metrics.ops import schedule
from pci_metrics.trust import roles
from pci_metrics.ui.common import current_role, plain_md


def when_text(moment: datetime, lg: str) -> str:
    """A backup's time in the server's local time: ``06/12/2026 02:30`` (``2026-12-06 02:30`` in English)."""
    local = moment.astimezone()
    return f"{fmt_date(local.date(), lg)} {local:%H:%M}"


def backup_notice(lg: str) -> None:
    """Nothing for non-administrators; else the last good backup, as a warning when it is stale."""
    if not roles.may(current_role(), "view_backups"):
        return
    root = schedule.backup_root()
    health = schedule.health(root, datetime.now(UTC))
    if health.last_good is None:
        st.warning(t("deploy_overview_backup_none", lg, folder=plain_md(str(root))))
    elif health.stale:
        st.warning(t("deploy_overview_backup_stale", lg, when=when_text(health.last_good, lg)))
    else:
        st.caption(t("deploy_overview_backup_ok", lg, when=when_text(health.last_good, lg),
                     folder=plain_md(str(root))))

"""Strings of the ingest area (issue 4): key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
}

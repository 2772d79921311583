"""Strings of the leadership area (issue 3): key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
}

"""Strings of the whatif area (issue 7): key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
}

"""The plan's deadlines as an iCalendar (.ics) file a phone or Outlook can subscribe to: one all-day
event per reporting deadline and per task deadline (RFC 5545: CRLF lines folded at 75 octets, text
escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from pci_metrics.views.unit_due import Deadline


def _escape(text: str) -> str:
    r"""Text as an iCalendar value.

    >>> _escape("a, b; c\\d\ne")
    'a\\, b\\; c\\\\d\\ne'
    """
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """One content line folded at 75 octets (continuations start with a space), never inside a character."""
    out: list[str] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += b
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def ics_bytes(events: Sequence[Deadline], *, name: str, now: datetime | None = None) -> bytes:
    """The events as an .ics file (UTF-8). ``now`` stamps DTSTAMP (pass it in; the page passes the clock)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//UBND phuong Hong Bang//PCI dashboard//VI",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}"]
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{e.day + timedelta(days=1):%Y%m%d}", f"SUMMARY:{_escape(e.summary)}",
                  f"DESCRIPTION:{_escape(e.description)}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(x) for x in lines) + "\r\n").encode("utf-8")

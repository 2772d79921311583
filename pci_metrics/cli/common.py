"""What every command shares: a line in both languages, the one-line user error (exit code 2) and the
range check of number options."""

from __future__ import annotations

import argparse
import math

from pci_metrics.base.i18n import t


def both(key: str, **kw: object) -> str:
    """A catalogue text in Vietnamese, then English: how the command line writes every line.

    >>> both("rank_of", rank=3, n=63)
    'hạng 3/63 / rank 3 of 63'
    """
    return t(key, "vi", **kw) + " / " + t(key, "en", **kw)


class UserError(Exception):
    """A mistake the user can fix; printed as one line, exit code 2."""


# Numbers that options take, checked once after parsing (argparse only checks that they are numbers):
# option destination -> (least allowed value, catalogue key of what is expected). NaN and ±inf never pass.
NUMBER_LIMITS: dict[str, tuple[float, str]] = {
    "rank": (1, "error_expect_positive"),
    "max_step": (0, "error_expect_non_negative"),
}


def check_numbers(args: argparse.Namespace) -> None:
    """Refuse a number option outside its range, in one line (``--max-step -1``, ``--rank 0``, ``nan``).

    >>> check_numbers(argparse.Namespace(rank=3, max_step=0.5))
    >>> check_numbers(argparse.Namespace(max_step=float("nan")))
    Traceback (most recent call last):
    pci_metrics.cli.common.UserError: Giá trị không hợp lệ cho --max-step: nan (cần một số từ 0 trở lên) / invalid value for --max-step: nan (expected a number of 0 or more)
    """
    for name, (least, expected) in NUMBER_LIMITS.items():
        value = getattr(args, name, None)
        if value is None or (math.isfinite(value) and value >= least):
            continue
        option = "--" + name.replace("_", "-")
        raise UserError(" / ".join(t("error_bad_argument", lg, option=option, value=value, expected=t(expected, lg))
                                   for lg in ("vi", "en")))

"""Dates and numbers as people write them, shared by pages, charts and explanations."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


# Kept: a page names the same few dates over and over, and strftime is slow.
@lru_cache(maxsize=4096)
def long_date(value: dt.date | None) -> str:
    """A date as people write it in prose, e.g. 12 May 2026; empty for no date."""
    return f"{value.day} {value:%B %Y}" if value else ""


def number(value: float) -> str:
    """1200.0 as 1,200 and 12.5 as 12.5: measurements read as people write them."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"

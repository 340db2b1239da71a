"""The one clock of a build: reproducible when SOURCE_DATE_EPOCH is set.

`build_date()` is the moment (feeds stamp it); `build_day()` the date that
monitoring, freshness and the future-date checks compare against, and it
refuses a SOURCE_DATE_EPOCH that is not a number instead of ignoring it.
"""

from __future__ import annotations

import datetime as dt
import os


class BadSourceDateEpoch(ValueError):
    """SOURCE_DATE_EPOCH is set but is not a whole number of seconds."""

    fix = "set it to a whole number of seconds, e.g. $(git log -1 --format=%ct), or unset it"


def build_date() -> dt.datetime:
    """When the site is built (UTC): SOURCE_DATE_EPOCH if set, as reproducible builds expect; else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def build_day(environ: dict[str, str] | None = None) -> dt.date:
    """The build's date: SOURCE_DATE_EPOCH as a UTC date when set, else today's date."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise BadSourceDateEpoch(
            f"SOURCE_DATE_EPOCH is '{value}', not a number of seconds since 1970-01-01 (UTC)"
        ) from None

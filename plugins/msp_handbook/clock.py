"""The one clock of a build: reproducible when SOURCE_DATE_EPOCH is set."""

from __future__ import annotations

import datetime as dt
import os


def build_date() -> dt.datetime:
    """When the site is built (UTC): SOURCE_DATE_EPOCH if set, as reproducible builds expect; else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)

"""Options of the `partnerships` plugin in mkdocs.yml.

Each option is typed and documented here, once: MkDocs validates them, and
`project.py` turns them into the folders both the build and the command line use.
"""

from __future__ import annotations

import difflib
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .config_problems import folded_message, located_problems
from .feeds import DEFAULT_SITE_FEED_ENTRIES
from .model import DEFAULT_BUILDING_BLOCKS, building_blocks, feedback_url_pattern

DEFAULT_RECORDS_DIR = "partnerships"
DEFAULT_PRACTICES_DIR = "practices"


class _BuildingBlocks(c.BaseConfigOption[dict]):
    """`id: name` lines; the method's building blocks when unset."""

    def __init__(self) -> None:
        super().__init__()
        self.default = dict(DEFAULT_BUILDING_BLOCKS)

    def run_validation(self, value: object) -> dict[str, str]:
        try:
            return building_blocks(value)
        except ValueError as error:
            raise c.ValidationError(str(error)) from None


class _FeedbackUrl(c.BaseConfigOption[str]):
    """A link with `{slug}` and `{name}` placeholders, checked like links in records."""

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise c.ValidationError("feedback_url must be a web or mail address in quotes")
        try:
            return feedback_url_pattern(value)
        except ValueError as error:
            raise c.ValidationError(str(error)) from None


class Count(c.BaseConfigOption[int]):
    """A whole number above 0 of `unit` (days, entries)."""

    def __init__(self, default: int, unit: str):
        super().__init__()
        self.default, self.unit = default, unit

    def run_validation(self, value: Any) -> int:
        """The option's value, refused unless it is a whole number above 0 (`true` is not 1)."""
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise base.ValidationError(f"expected a whole number of {self.unit} above 0, not {value!r}")
        return value


class Days(Count):
    """A number of days above 0; with `after`, more than the option of that name."""

    def __init__(self, default: int, after: str | None = None):
        super().__init__(default, "days")
        self.after = after

    def post_validation(self, config: base.Config, key_name: str) -> None:
        """Refuses a threshold that is not above the option named in `after`."""
        if self.after and config[key_name] <= config[self.after]:
            raise base.ValidationError(f"must be more than {self.after} ({config[self.after]}): a partnership "
                                       "turns amber before it turns red")


def _fix(key: str, option: base.BaseConfigOption, after_failed: bool) -> str:
    """How to mend the option `key`, in the words of its kind."""
    if after_failed:
        return f"write a number of days larger than {option.after}, or delete both lines for the defaults"
    if isinstance(option, Count):
        return (f"write a whole number above 0 without quotes, e.g. `{key}: {option.default}` (the default), "
                "or delete the line for the default")
    return f"write a value of the kind the message asks for, or delete `{key}:` for the default"


def _unknown_fix(key: str, known: set[str]) -> str:
    """How to mend an option name the plugin does not have: the closest one it has, if any is close."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    meant = f"did you mean `{close[0]}`? " if close else ""
    return f"{meant}correct the name (the options are listed in the README, Customising), or delete the line"


class PartnershipsConfig(base.Config):
    """The `partnerships:` entry under `plugins:` in mkdocs.yml."""

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        """Every option checked (MkDocs stops at the first), the bad ones folded into one located error."""
        failed, warnings = self._pre_validate()
        for key, option in self._schema:
            try:
                self[key] = option.validate(self.get(key))
                warnings.extend((key, warning) for warning in option.warnings)
            except base.ValidationError as error:
                failed.append((key, error))
            finally:
                option.reset_warnings()
        unknown = sorted(set(self) - self._schema_keys)
        warnings.extend((key, f"Unrecognised configuration name: {key}") for key in unknown)
        wrong = {key for key, _ in failed}
        fixes = {key: _fix(key, option, False) for key, option in self._schema}
        for key, option in self._schema:
            # Comparing with an option that is itself wrong would only repeat its problem.
            if key in wrong or getattr(option, "after", None) in wrong:
                continue
            try:
                option.post_validation(self, key_name=key)
            except base.ValidationError as error:
                failed.append((key, error))
                fixes[key] = _fix(key, option, True)
        if not failed:
            return [], warnings
        failures = [(key, str(error), fixes[key]) for key, error in failed]
        # MkDocs drops a plugin's warnings when its options fail, so a misspelt name next to a bad
        # value would go unsaid (often the very option that was meant): it is listed with them.
        failures += [(key, "is not one of its options, so it is ignored", _unknown_fix(key, self._schema_keys))
                     for key in unknown]
        problems = located_problems(self.config_file_path, failures)
        return [(failed[0][0], base.ValidationError(folded_message(problems, self.config_file_path)))], warnings

    records_dir = c.Type(str, default=DEFAULT_RECORDS_DIR)
    """Folder of partnership records (one sub-folder per partnership), relative to mkdocs.yml."""

    cycle_file = c.Optional(c.Type(str))
    """A cycle file of the site's own, relative to mkdocs.yml; unset, the method's default cycle is used."""

    practices_dir = c.Type(str, default=DEFAULT_PRACTICES_DIR)
    """Folder of good practices inside the docs folder; also the start of their pages' URLs."""

    building_blocks = _BuildingBlocks()
    """What every review rates, as `id: name` lines in the order of the review grid. Unset, the seven
    building blocks of the method: trust and communication, shared vision and goals, roles and governance,
    resources, results, fairness of benefits, learning."""

    audience = c.Choice(("public", "partners"), default="public")
    """Who the site is for. `public` (the default) leaves out everything marked `visibility: partners`:
    it appears nowhere in the built site, not in pages, search, feeds or exports. `partners` shows it,
    marked as partners-only; publish that build only behind the host's access control."""

    feedback_url = c.Optional(_FeedbackUrl())
    """Where a "Give feedback" link on each partnership's monitoring page leads, e.g. a prefilled issue form:
    `https://github.com/org/repo/issues/new?template=feedback.yml&title={slug}`. `{slug}` and `{name}`
    are replaced by the partnership's folder name and name. Unset, no link is shown."""

    iati_prefix = c.Optional(c.Type(str))
    """Start of every IATI activity identifier, usually the reporting organisation's IATI identifier
    (e.g. `GB-CHC-202918`); the partnership's slug follows it. Unset, no IATI files are published."""

    iati_reporting_org_ref = c.Optional(c.Type(str))
    """IATI identifier of the organisation that publishes the IATI files; required with `iati_prefix`."""

    iati_reporting_org_type = c.Optional(c.Type(int))
    """IATI organisation type code of the publisher (e.g. 21 international NGO); required with `iati_prefix`."""

    iati_reporting_org_name = c.Optional(c.Type(str))
    """Name of the organisation that publishes the IATI files; required with `iati_prefix`."""

    iati_language = c.Type(str, default="en")
    """ISO 639-1 code of the language the records are written in, declared in the IATI files."""

    freshness_log_amber_days = Days(90)
    """Days after its latest log entry when a partnership's freshness turns amber."""

    freshness_log_red_days = Days(180, after="freshness_log_amber_days")
    """Days after its latest log entry when a partnership's freshness turns red."""

    freshness_actual_amber_days = Days(120)
    """Days after its latest reported indicator value when a partnership's freshness turns amber."""

    freshness_actual_red_days = Days(240, after="freshness_actual_amber_days")
    """Days after its latest reported indicator value when a partnership's freshness turns red."""

    freshness_review_overdue_red_days = Days(60)
    """Days past the next review the latest review planned when a partnership's freshness turns red; it is
    amber from the day after that date until then."""

    freshness_action_overdue_red_days = Days(90)
    """Days past its due date when an open action agreed in a review turns a partnership's freshness red;
    it is amber from the day after the due date until then."""

    site_feed_entries = Count(DEFAULT_SITE_FEED_ENTRIES, "entries")
    """Most entries the site-wide feeds (`/partnerships/feed.atom.xml`, `/partnerships/feed.json`) carry: the
    newest log entries and reviews of all partnerships. A feed reader polls the feed and shows what is new,
    so older entries only make it larger; each partnership's own feed keeps its whole history."""

    preview_partnership = c.Optional(c.Type(str))
    """While `mkdocs serve` runs, load and build only this partnership (its folder name), with the guide
    and the practices.

    A full rebuild takes time in proportion to the number of partnerships (MkDocs rebuilds every page on
    every save); this preview shows a saved edit as soon as a small handbook does. Ignored by `mkdocs build`
    and `msp-handbook validate`, so a published site is always complete. `make serve PARTNERSHIP=slug`
    sets it through `!ENV` in mkdocs.yml.
    """

"""IATI 2.03: each partnership as an activity in an `iati-activities` file.

Donors often require their partnerships to publish in the IATI standard.
Which record key becomes which IATI element, and the code lists used:

- iati-identifier: the `iati_prefix` option, a hyphen, the slug.
- reporting-org: the `iati_reporting_org_*` options.
- title: `name`; description (type 1, general): `summary`, else `vision`, else `name`.
- participating-org: every stakeholder, with `iati_role` (default 4, Implementing),
  `iati_ref` and `iati_type` when given.
- activity-status (ActivityStatus code list): see `activity_status`.
- activity-date type 2 (actual start): `started`; a partnership without it is left out (the build notes it).
- tag vocabulary 3 (UN Sustainable Development Goal targets): each of `thematic_frame.sdg_targets`.
- result (type 2, outcome) with indicators: `indicators`, see `indicator_results`.

Text is written through ElementTree, which escapes it; the files are checked
against the official 2.03 schema by the tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from .clock import build_date
from .feeds import rfc3339, xml_text
from .handbook import Handbook
from .model import Cycle, Partnership
from .urls import SitePaths

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_ROLE = 4  # Implementing: what partners in a multi-stakeholder partnership do together
SDG_TARGET_VOCABULARY = "3"  # TagVocabulary 3: UN Sustainable Development Goals (SDG) targets
ACTUAL_START = "2"  # ActivityDateType 2: actual start
PIPELINE, IMPLEMENTATION = "1", "2"  # ActivityStatus codes


@dataclass(frozen=True)
class IatiOptions:
    """The plugin's `iati_*` options: who publishes, and how identifiers start."""

    prefix: str
    reporting_ref: str
    reporting_type: int
    reporting_name: str
    language: str = "en"

    def identifier(self, slug: str) -> str:
        """The activity identifier of the partnership `slug`."""
        return f"{self.prefix.rstrip('-')}-{slug}"


def activity_status(partnership: Partnership, cycle: Cycle) -> str:
    """ActivityStatus from the phase: the first two phases of the cycle (exploring, building the
    partnership) are 1 Pipeline/identification, later ones 2 Implementation; no phase is Pipeline."""
    phase = next((p for p in cycle.phases if p.id == partnership.phase), None)
    return IMPLEMENTATION if phase is not None and phase.number > 2 else PIPELINE


def exportable(partnership: Partnership) -> bool:
    """IATI requires a start date: partnerships without `started` are left out (site.py notes it)."""
    return partnership.started is not None


def _add(parent: ET.Element, tag: str, **attributes: object) -> ET.Element:
    return ET.SubElement(parent, tag, {key.replace("_", "-"): xml_text(str(value))
                                       for key, value in attributes.items() if value is not None})


def _narrative(parent: ET.Element, tag: str, text: str, **attributes: object) -> ET.Element:
    element = _add(parent, tag, **attributes)
    _add(element, "narrative").text = xml_text(text)
    return element


def indicator_results(partnership: Partnership, parent: ET.Element) -> None:
    """One outcome result holding the partnership's numeric indicators: the dated baseline, and one
    period per target with its value and the latest actual reported within it."""
    indicators = [i for i in partnership.indicators if i.measure in ("number", "percentage")
                  and (i.baseline is not None or i.targets)]
    if not indicators:
        return
    result = _add(parent, "result", type="2")
    _narrative(result, "title", f"{partnership.name}: monitoring indicators")
    for indicator in indicators:
        ascending = {"higher": "1", "lower": "0"}.get(indicator.better or "")
        unit = "%" if indicator.measure == "percentage" else indicator.unit
        element = _add(result, "indicator", measure="2" if indicator.measure == "percentage" else "1",
                       ascending=ascending)
        _narrative(element, "title", indicator.name if not unit else f"{indicator.name} ({unit})")
        if indicator.baseline is not None:
            day = indicator.baseline.date
            _add(element, "baseline", year=day.year, iso_date=day.isoformat(), value=_number(indicator.baseline.value))
        for target in indicator.targets:
            period = _add(element, "period")
            _add(period, "period-start", iso_date=target.start.isoformat())
            _add(period, "period-end", iso_date=target.end.isoformat())
            _add(period, "target", value=_number(target.value))
            within = [actual for actual in indicator.actuals_by_date() if target.covers(actual.date)]
            if within:
                _add(period, "actual", value=_number(within[-1].value))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def activity(partnership: Partnership, cycle: Cycle, options: IatiOptions) -> ET.Element:
    """The `iati-activity` element of one partnership (which must be `exportable`)."""
    assert partnership.started is not None
    element = ET.Element("iati-activity", {XML_LANG: options.language})
    _add(element, "iati-identifier").text = xml_text(options.identifier(partnership.slug))
    _narrative(element, "reporting-org", options.reporting_name, ref=options.reporting_ref, type=options.reporting_type)
    _narrative(element, "title", partnership.name)
    _narrative(element, "description", partnership.summary or partnership.vision or partnership.name, type="1")
    for stakeholder in partnership.stakeholders:
        _narrative(element, "participating-org", stakeholder.name, ref=stakeholder.iati_ref,
                   type=stakeholder.iati_type, role=stakeholder.iati_role or DEFAULT_ROLE)
    if not partnership.stakeholders:
        # IATI requires one: the publisher, accountable for the activity.
        _narrative(element, "participating-org", options.reporting_name, ref=options.reporting_ref,
                   type=options.reporting_type, role=2)
    _add(element, "activity-status", code=activity_status(partnership, cycle))
    _add(element, "activity-date", type=ACTUAL_START, iso_date=partnership.started.isoformat())
    for target in partnership.thematic_frame.sdg_targets if partnership.thematic_frame else []:
        _add(element, "tag", vocabulary=SDG_TARGET_VOCABULARY, code=target)
    indicator_results(partnership, element)
    return element


def activities_document(partnerships: list[Partnership], cycle: Cycle, options: IatiOptions,
                        generated: dt.datetime, written: dict[str, str] | None = None) -> str:
    """An `iati-activities` file holding the activities of `partnerships` (`written`: each one's
    activity as serialised, by slug, kept for the next file)."""
    written = {} if written is None else written
    activities = []
    for partnership in partnerships:
        text = written.get(partnership.slug)
        if text is None:
            text = written[partnership.slug] = _serialised(activity(partnership, cycle, options))
        activities.append(text)
    return _document(activities, generated)


def _serialised(element: ET.Element) -> str:
    # As ET.indent(root) and ET.tostring(root) write a child of the root: indented from level 1, no tail.
    ET.indent(element, level=1)
    return ET.tostring(element, encoding="unicode")


def _document(activities: list[str], generated: dt.datetime) -> str:
    """The `iati-activities` root around serialised activities, as ET.indent and ET.tostring
    (with its declaration) would write the whole tree: each child on a line of its own,
    indented by two spaces; an empty root closed at once."""
    root = ET.Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": rfc3339(generated)})
    # ElementTree writes the declaration and the root's tag (its escaping, and the declared encoding, are its own).
    empty = ET.tostring(root, encoding="unicode", xml_declaration=True)
    if not activities:
        return empty + "\n"
    return f"{empty[:-len(' />')]}>\n  " + "\n  ".join(activities) + "\n</iati-activities>\n"


def iati_options(prefix: str | None, ref: str | None, kind: int | None, name: str | None,
                 language: str = "en") -> IatiOptions | None | list[str]:
    """The IATI options when complete; None when IATI is off (no prefix); else the names of the missing ones."""
    if not prefix:
        return None
    missing = [option for option, value in (("iati_reporting_org_ref", ref), ("iati_reporting_org_type", kind),
                                            ("iati_reporting_org_name", name)) if not value]
    if missing:
        return missing
    assert ref and kind and name
    return IatiOptions(prefix, ref, kind, name, language)


def iati_paths(handbook: Handbook, paths: SitePaths) -> list[str]:
    """The docs paths `iati_files` makes, in its order."""
    return [*(paths.iati(p.slug) for p in handbook.partnerships if exportable(p)), paths.iati()]


def iati_files(handbook: Handbook, paths: SitePaths, options: IatiOptions) -> list[tuple[str, str]]:
    """(docs path, content) of one file per exportable partnership and one with all of them."""
    generated = build_date()
    exported = [p for p in handbook.partnerships if exportable(p)]
    # Each activity is serialised once, for its own file, and reused in the file with all of them.
    written: dict[str, str] = {}
    files = [(paths.iati(p.slug), activities_document([p], handbook.cycle, options, generated, written))
             for p in exported]
    files.append((paths.iati(), activities_document(exported, handbook.cycle, options, generated, written)))
    return files

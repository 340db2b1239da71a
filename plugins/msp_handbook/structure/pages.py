"""The pages a handbook generates, and the record file each one comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..handbook import Handbook
from .progress import cycle_progress
from .reference import record_formats

# Fixed URLs: /partnerships/<slug>/<page>/, in the order of the tabs:
# (file name, tab label, template name in templates/partnerships/).
PARTNERSHIP_PAGES: tuple[tuple[str, str, str], ...] = (
    ("index", "Overview", "overview"),
    ("stakeholders", "Stakeholders", "stakeholders"),
    ("cycle", "Cycle", "cycle"),
    ("governance", "Governance", "governance"),
    ("code-of-conduct", "Code of conduct", "code-of-conduct"),
    ("log", "Log", "log"),
)


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    template: str
    # The file "Edit this page" opens: what a contributor changes to change the page.
    source: Path | None
    context: dict[str, Any] = field(default_factory=dict)


def handbook_pages(handbook: Handbook) -> list[GeneratedPage]:
    pages = [
        GeneratedPage("partnerships/index.md", "partnerships/list.html", None, {"handbook": handbook}),
        GeneratedPage("reference/index.md", "partnerships/reference.html", None,
                      {"handbook": handbook, "formats": record_formats()}),
    ]
    for partnership in handbook.partnerships:
        progress = cycle_progress(partnership, handbook.cycle)
        for name, _, template in PARTNERSHIP_PAGES:
            source = partnership.source
            if name == "log" and partnership.log:
                source = partnership.log[0].source
            pages.append(
                GeneratedPage(
                    f"partnerships/{partnership.slug}/{name}.md",
                    f"partnerships/{template}.html",
                    source,
                    {
                        "handbook": handbook,
                        "partnership": partnership,
                        "progress_by_phase": progress,
                        "tab": name,
                        "tabs": PARTNERSHIP_PAGES,
                    },
                )
            )
    return pages

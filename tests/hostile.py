"""A partnership, log entry and good practice whose every text field is an attack.

Shared by the static escaping tests and the browser tests. Link fields hold
the attacks their validation lets through (quote-breaking and Markdown inside
https URLs); `javascript:` and `data:` URLs are refused there at load time, so
they appear in the Markdown fields, where links are allowed.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from sitebuild import copy_project

MARKER = "XSS-MARKER"

HOSTILE = (
    '<script>alert("x");console.log("' + MARKER + '")</script><img src=x onerror=alert(1)>'
    '<div id="injected-marker">boo</div></article></div> '
    "{{ 7*7 }} {% if true %}TPL{% endif %} [click](javascript:alert(2)) *stars* `ticks` | pipe "
    "\u202eRTL <b>unclosed " + "W" * 300
)

HOSTILE_URL = 'https://example.org/"><script>alert(9)</script>[x](/y onmouseover=alert(10))'

HOSTILE_MARKDOWN = (
    HOSTILE + "\n\n<script>alert(3)</script>\n\n<div onclick=\"alert(4)\">x</div>\n\n"
    "[js](javascript:alert(5)) [tab](java\tscript:alert(6)) [data](data:text/html,alert7) "
    "<a href='javascript:alert(8)'>a</a> ![img](data:image/svg+xml,<svg onload=alert(11)>)\n"
)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML strings


def hostile_record() -> str:
    text, url, notes = _quoted(HOSTILE), _quoted(HOSTILE_URL), _quoted(HOSTILE_MARKDOWN)
    return textwrap.dedent(f"""\
        name: {text}
        summary: {text}
        vision: {text}
        phase: building
        thematic_frame: {{title: {text}}}
        purposes: [{{purpose: trust-transparency, statement: {text}}}]
        stakeholders:
          - {{id: alpha, name: {text}, sector: public, motivation: {text}, representative: {text},
              website: {url}, interests: [{text}], contributions: [{text}], concerns: [{text}]}}
          - {{id: beta, name: Beta, sector: private}}
        facilitators:
          - {{id: fac, name: {text}, kind: external, organisation: {text}, accepted_by: [alpha]}}
        governance:
          decision_making: {text}
          bodies: [{{id: board, name: {text}, purpose: {text}, members: [alpha, fac], meets: {text}}}]
          roles: [{{task: {text}, lead: alpha, support: [fac], body: board}}]
        code_of_conduct:
          principles: [{{title: {text}, text: {text}}}]
          endorsements: [{{stakeholder: alpha, date: 2024-01-01, by: {text}}}]
        cycle:
          clarify-idea:
            status: done
            notes: {notes}
            evidence: [{{title: {text}, url: {url}}}]
        indicators: [{{id: reach, name: {text}, unit: {text}, baseline: 1, target: 2, current: 1}}]
        """)


def hostile_project(destination: Path) -> Path:
    """The example handbook's guidance with only the hostile partnership, log entry and practice."""
    project = copy_project(destination, with_partnerships=False)
    folder = project / "partnerships" / "hostile"
    (folder / "log").mkdir(parents=True)
    (folder / "partnership.yml").write_text(hostile_record(), encoding="utf-8")
    (folder / "log" / "2024-02-01-entry.md").write_text(
        f"---\ndate: 2024-02-01\ntitle: {_quoted(HOSTILE)}\nauthors: [{_quoted(HOSTILE)}]\nstep: clarify-idea\n---\n"
        + HOSTILE_MARKDOWN,
        encoding="utf-8",
    )
    (project / "content" / "practices" / "hostile-practice.md").write_text(
        f"---\ntitle: {_quoted(HOSTILE)}\nsummary: {_quoted(HOSTILE)}\nsteps: [clarify-idea]\n"
        f"sectors: [public]\ntags: [facilitation]\ntime: {_quoted(HOSTILE)}\nauthors: [{_quoted(HOSTILE)}]\n"
        f"partnerships: [hostile]\n---\n" + HOSTILE_MARKDOWN,
        encoding="utf-8",
    )
    return project

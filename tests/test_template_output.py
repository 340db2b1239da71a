"""Generated pages print values through template_output.printed: the text autoescape prints, escaped alike."""

from __future__ import annotations

import datetime as dt
import enum

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup, escape

from msp_handbook.render import environment
from msp_handbook.template_output import PageEnvironment, compiled_templates, printed

from hostile import HOSTILE, HOSTILE_MARKDOWN, HOSTILE_URL


class _Safe:
    def __html__(self) -> str:
        return "<b>said safe</b>"


class _Text(str):
    """A str that is not exactly str, as record values of an enumeration are."""


class _Colour(str, enum.Enum):
    RED = "<red>"


VALUES = [HOSTILE, HOSTILE_MARKDOWN, HOSTILE_URL, "", "plain", "a & b < c > d ' e \" f", "\u202e\x00\x1b[31m✔",
          Markup("<i>kept</i>"), Markup(""), _Safe(), _Text("<t>"), _Colour.RED, 12, -3.5, True, None,
          dt.date(2024, 1, 2), ["<x>"], {"<k>": "<v>"}]


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_printed_is_the_text_markupsafe_escape_gives(value):
    assert printed(value) == str(escape(value))
    assert type(printed(value)) in (str, Markup)


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_a_page_template_prints_what_a_plain_autoescaping_environment_prints(value):
    # Printed alone, in a loop, in a macro, a {% set %} block, a filter's result and an {% autoescape %} block.
    source = ("{% macro m(v) %}[{{ v }}]{% endmacro %}{% set block %}({{ v }}){% endset %}"
              "{{ v }}|{% for x in [v, v] %}{{ x }}{% endfor %}|{{ m(v) }}|{{ block }}|{{ v|string }}|"
              "{% autoescape false %}{{ v }}{% endautoescape %}")
    ours = PageEnvironment(loader=DictLoader({"t": source}), autoescape=True)
    plain = Environment(loader=DictLoader({"t": source}), autoescape=True)
    assert ours.get_template("t").render(v=value) == plain.get_template("t").render(v=value)


def test_the_page_templates_print_through_printed_and_keep_their_compiled_code_apart():
    env = environment()
    source = env.loader.get_source(env, "partnerships/_cycle.html")[0]
    code = env.compile(source, "partnerships/_cycle.html", raw=True)
    assert "environment.printed(" in code and "escape(" not in code
    # A plain environment sharing the cache folder must never load code that calls environment.printed.
    cache = compiled_templates()
    assert cache is not None and cache.pattern != "__jinja2_%s.cache"

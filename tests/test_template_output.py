"""Generated pages print values through template_output.printed: the text autoescape prints, escaped alike."""

from __future__ import annotations

import datetime as dt
import enum

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup, escape

from msp_handbook.render import environment
from msp_handbook.template_output import PageEnvironment, PagesCode, compiled_templates, printed

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


class _Bracketing(PagesCode):
    """Another way of compiling a printed value: in brackets."""

    def _output_child_pre(self, node, frame, finalize):
        self.write("environment.bracketed(")


class _BracketingEnvironment(PageEnvironment):
    code_generator_class = _Bracketing
    bracketed = staticmethod(lambda value: f"[{printed(value)}]")


def test_compiled_code_is_found_again_only_by_what_compiles_it_alike(tmp_path):
    # Jinja finds kept code by a template's name and text alone: code compiled with autoescape off,
    # or by another code generator (an older PagesCode), must never run where a value is escaped.
    loader = DictLoader({"t": "{{ v }}"})

    def environment_of(kind, **options):
        return kind(loader=loader, bytecode_cache=compiled_templates(str(tmp_path)), **options)

    assert environment_of(PageEnvironment, autoescape=False).get_template("t").render(v="<x>") == "<x>"
    assert environment_of(PageEnvironment, autoescape=True).get_template("t").render(v="<x>") == "&lt;x&gt;"
    assert environment_of(_BracketingEnvironment, autoescape=True).get_template("t").render(v="<x>") == "[&lt;x&gt;]"
    assert len(list(tmp_path.iterdir())) == 3
    # Kept code is still used: an environment compiling alike loads it instead of compiling.
    again = environment_of(PageEnvironment, autoescape=True)
    again.compile = None
    assert again.get_template("t").render(v="<x>") == "&lt;x&gt;"

"""How the page templates print a value: escaped as Jinja's autoescape does, without a Markup per value.

With autoescape on, Jinja compiles every `{{ value }}` to `markupsafe.escape(value)`,
which wraps each escaped piece in a new `Markup`: about three quarters of its cost,
for a wrapper nobody reads (the pieces are joined into the page's text, and a macro's
or a `{% set %}` block's text is made `Markup` again as a whole). A build prints some
250,000 values at N=100. `PagesCode` compiles `{{ value }}` to `printed(value)`:
the same text, escaped by markupsafe's own function, as a plain string.

Jinja's native types (jinja2.nativetypes) change what templates print through the
same two hooks; a template compiled here holds `environment.printed`, so
`PageEnvironment` keeps its compiled templates apart from other environments'.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.compiler import CodeGenerator, Frame
from jinja2 import nodes
from markupsafe import Markup, escape

try:  # markupsafe's escaping itself, which escape() wraps in a Markup
    from markupsafe._speedups import _escape_inner as _escaped_text
except ImportError:  # pragma: no cover - markupsafe without its compiled part, or another layout
    def _escaped_text(text: str) -> str:
        return str(escape(text))


def printed(value: Any) -> str:
    """What `{{ value }}` prints with autoescape on: the text of markupsafe.escape(value), as a str."""
    kind = type(value)
    if kind is str:  # exactly str, as markupsafe.escape asks: the common case
        return _escaped_text(value)
    if kind is Markup:  # already safe: its __html__ is itself
        return value
    if hasattr(value, "__html__"):  # anything else that says it is safe: exactly as escape takes it
        return str(escape(value))
    return _escaped_text(str(value))


class PagesCode(CodeGenerator):
    """Compiles each value printed with autoescape on to `environment.printed(value)`."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        # An `{% autoescape %}` block (volatile) or autoescape off: as Jinja writes it.
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.printed(")
        if finalize.src is not None:
            self.write(finalize.src)


class PageEnvironment(Environment):
    """The environment of generated pages: values printed by `printed`."""

    code_generator_class = PagesCode
    printed = staticmethod(printed)


def compiled_templates() -> FileSystemBytecodeCache | None:
    """Templates compiled by an earlier run, by their text's checksum: compiling ours took a fifth of a
    second, every build and every validate. Jinja's own per-user folder in the temporary directory
    (made private to the user, refused if anyone else owns it), under file names of their own: code
    compiled here calls `environment.printed`, which only a PageEnvironment has."""
    try:
        return FileSystemBytecodeCache(pattern="__msp_handbook_pages_%s.cache")
    except (OSError, RuntimeError):  # no usable temporary folder: compile every time
        return None

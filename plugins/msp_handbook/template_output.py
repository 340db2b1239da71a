"""How the page templates print a value: escaped as Jinja's autoescape does, without a Markup per value.

With autoescape on, Jinja compiles every `{{ value }}` to `markupsafe.escape(value)`,
which wraps each escaped piece in a new `Markup`: about three quarters of its cost,
for a wrapper nobody reads (the pieces are joined into the page's text, and a macro's
or a `{% set %}` block's text is made `Markup` again as a whole). A build prints some
250,000 values at N=100. `PagesCode` compiles `{{ value }}` to `printed(value)`:
the same text, escaped by markupsafe's own function, as a plain string.

Jinja's native types (jinja2.nativetypes) change what templates print through the
same two hooks; a template compiled here holds `environment.printed`, so
`PageEnvironment` keeps its compiled templates apart from other environments',
and finds them by what compiled them (CompiledPages).
"""

from __future__ import annotations

import inspect
import uuid
from functools import lru_cache
from hashlib import sha1
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket
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


class CompiledPages(FileSystemBytecodeCache):
    """Compiled templates kept on disk, found by what compiled them as well as by their text.

    Jinja finds a template's compiled code by its name, file and text alone; but
    the code also depends on the code generator (ours: PagesCode) and on the
    environment's options (autoescape above all): code compiled with autoescape
    off, or by an older PagesCode, would otherwise be run by an environment
    that escapes, or by the PagesCode of today, its text unchanged.
    """

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        """The bucket of `name`, named by its file and by what compiles it (compiled_by)."""
        # Jinja uses the file name only to name the bucket (get_cache_key).
        return super().get_bucket(environment, name, f"{filename}|{compiled_by(environment)}", source)


def compiled_by(environment: Environment) -> str:
    """A checksum of what, besides a template's text, decides the code compiled from it."""
    options = (environment.autoescape, environment.optimized, environment.trim_blocks, environment.lstrip_blocks,
               environment.keep_trailing_newline, environment.newline_sequence, environment.block_start_string,
               environment.block_end_string, environment.variable_start_string, environment.variable_end_string,
               environment.comment_start_string, environment.comment_end_string, environment.line_statement_prefix,
               environment.line_comment_prefix, sorted(environment.extensions))
    # A function deciding autoescape is named by its address: such an environment finds nothing kept, safely.
    return sha1(repr((_generator_text(environment.code_generator_class), options)).encode()).hexdigest()


@lru_cache(maxsize=None)
def _generator_text(generator: type) -> str:
    """A checksum of the module the code generator is written in (for ours, this file)."""
    try:
        return sha1(Path(inspect.getfile(generator)).read_bytes()).hexdigest()
    except (OSError, TypeError):  # no file to read: a name no later run gives, so nothing kept is loaded
        return uuid.uuid4().hex


def compiled_templates(directory: str | None = None) -> FileSystemBytecodeCache | None:
    """Templates compiled by an earlier run: compiling ours took a fifth of a second, every build and
    every validate. Jinja's own per-user folder in the temporary directory (made private to the user,
    refused if anyone else owns it) unless `directory` is given, under file names of their own: code
    compiled here calls `environment.printed`, which only a PageEnvironment has."""
    try:
        return CompiledPages(directory, pattern="__msp_handbook_pages_%s.cache")
    except (OSError, RuntimeError):  # no usable temporary folder: compile every time
        return None

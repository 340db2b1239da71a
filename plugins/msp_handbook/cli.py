"""`msp-handbook`: check and start handbook sources from the command line.

The same loader and validator as the site build stand behind `validate`, so
a contributor sees exactly what the build would say.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from .handbook import load_handbook
from .problems import InvalidHandbook, Problem
from .project import Project, ProjectError
from .scaffold import ScaffoldError, new_log_entry, new_partnership, new_practice
from .schema import SCHEMAS, schema_for

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _project(config_file: Path) -> Project:
    try:
        return Project.read(config_file)
    except ProjectError as error:
        raise click.ClickException(str(error)) from None


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="msp-handbook")
def main() -> None:
    """Check and start the sources of a multi-stakeholder partnership handbook."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="`github` prints GitHub Actions annotations, shown on the lines of a pull request.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), default="mkdocs.yml", show_default=True,
              help="The site configuration that says where records and practices are.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, as `mkdocs build --strict` does.")
def validate(paths: tuple[Path, ...], output: str, config_file: Path, strict: bool) -> None:
    """Check partnership records, log entries and good practices.

    With PATHS (files or folders), report only problems in them; everything is
    still loaded, so references to other files are checked too. Exits 1 when
    there is a problem, 0 otherwise.
    """
    project = _project(config_file)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    summary = ""
    try:
        handbook = load_handbook(project.records_dir, project.cycle_file, root=project.root,
                                 practices_dir=project.practices_dir)
        warnings = list(handbook.warnings)
        summary = (f"{len(handbook.partnerships)} partnerships, "
                   f"{sum(len(p.log) for p in handbook.partnerships)} log entries, "
                   f"{len(handbook.practices)} practices")
    except InvalidHandbook as invalid:
        errors = invalid.problems
    if paths:
        wanted = [path.resolve() for path in paths]
        errors, warnings = ([p for p in found if _under(p.file, wanted)] for found in (errors, warnings))
    for level, problems in (("error", errors), ("warning", warnings)):
        for problem in problems:
            shown = problem.relative_to(Path.cwd())
            click.echo(_github(level, shown) if output == "github" else f"{level}: {shown}")
    failed = bool(errors) or (strict and bool(warnings))
    if errors or warnings:
        click.echo(f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
                   f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}", err=True)
    elif paths:
        click.echo(f"No problems in {', '.join(map(str, paths))}.", err=True)
    else:
        click.echo(f"No problems found ({summary}).", err=True)
    sys.exit(1 if failed else 0)


def _under(file: Path, wanted: list[Path]) -> bool:
    resolved = file.resolve() if file.exists() else file.absolute()
    return any(resolved == path or resolved.is_relative_to(path) for path in wanted)


def _github(level: str, problem: Problem) -> str:
    def escape(text: str, *, property_value: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if property_value else text

    where = f"file={escape(str(problem.file), property_value=True)}"
    if problem.line > 0:
        where += f",line={problem.line},col={problem.column}"
    message = problem.message + (f"\nfix: {problem.fix}" if problem.fix else "")
    return f"::{level} {where}::{escape(message)}"


@main.group(context_settings=CONTEXT)
def new() -> None:
    """Write a valid, commented starting file and print its path."""


def _created(make, *args) -> None:
    try:
        path = make(*args)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    click.echo(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


CONFIG_OPTION = click.option("--config", "config_file", type=click.Path(path_type=Path), default="mkdocs.yml",
                             show_default=True, help="The site configuration that says where sources go.")


@new.command("partnership")
@click.argument("slug")
@CONFIG_OPTION
def new_partnership_command(slug: str, config_file: Path) -> None:
    """Start partnerships/SLUG/partnership.yml. SLUG becomes the URL."""
    project = _project(config_file)
    _created(new_partnership, project.records_dir, slug, project.root)


@new.command("log")
@click.argument("slug")
@click.argument("title")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date of the entry (default: today).")
@CONFIG_OPTION
def new_log_command(slug: str, title: str, date: dt.datetime | None, config_file: Path) -> None:
    """Start a log entry for partnership SLUG, titled TITLE."""
    project = _project(config_file)
    _created(new_log_entry, project.records_dir, slug, title, date.date() if date else None, project.root)


@new.command("practice")
@click.argument("title")
@CONFIG_OPTION
def new_practice_command(title: str, config_file: Path) -> None:
    """Start a good practice titled TITLE."""
    project = _project(config_file)
    _created(new_practice, project.practices_dir, title, project.root)


@main.command()
@click.argument("kind", type=click.Choice(sorted(SCHEMAS)), required=False)
def schema(kind: str | None) -> None:
    """Print the JSON Schema of a record format (all of them without KIND)."""
    document = schema_for(kind) if kind else {name: schema_for(name) for name in sorted(SCHEMAS)}
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))

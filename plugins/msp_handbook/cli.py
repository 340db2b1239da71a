"""`msp-handbook`: check and start handbook sources from the command line.

The same loader and validator as the site build stand behind `validate`, so
a contributor sees exactly what the build would say.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import sys
from pathlib import Path

import click

from .handbook import Handbook, cycle_collection_paused
from .page_links import handwritten_page_problems
from .problems import Problem, visible
from .project import Project, ProjectError
from .scaffold import ScaffoldError, new_log_entry, new_partnership, new_practice, new_review
from .schema import SCHEMAS, schema_for
from .site import check_site

CONTEXT = {"help_option_names": ["-h", "--help"]}
# The names MkDocs looks for when no configuration is named.
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


def _project(config_file: Path, *, strict: bool = False) -> Project:
    try:
        return Project.read(config_file, strict=strict)
    except ProjectError as error:
        raise click.ClickException(str(error)) from None


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="msp-handbook")
def main() -> None:
    """Check and start the sources of a multi-stakeholder partnership handbook."""


def run() -> None:
    """The `msp-handbook` script: `main`, with Python's cycle collector off for the whole process.

    The process ends with its command and keeps what it loads to the end, so the collector
    would only walk live objects: once the pause around `validate` ends (as the command
    exits), its first collection walks everything made since, 0.2 s at 500 partnerships.
    Nothing here makes cycles worth collecting; memory is freed by reference counting.
    """
    gc.disable()
    main()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="`github` prints GitHub Actions annotations, shown on the lines of a pull request.")
@click.option("--config", "config_file", type=click.Path(path_type=Path),
              help="The site configuration that says where records and practices are "
                   "[default: the mkdocs.yml of the handbook PATHS are in, else ./mkdocs.yml].")
@click.option("--strict", is_flag=True, help="Fail on warnings too, as `mkdocs build --strict` does.")
def validate(paths: tuple[Path, ...], output: str, config_file: Path | None, strict: bool) -> None:
    """Check partnership records, log entries and good practices.

    Runs the same checks as the site build (records, generated pages, links in
    Markdown fields), so both give the same verdict. With PATHS (files or
    folders), report only problems in them; everything is still loaded, so
    references to other files are checked too. Exits 1 when there is a
    problem, 0 otherwise.
    """
    # Everything validate loads stays alive to its end: after loading, checking the pages makes
    # objects enough for Python's cycle collector to walk the whole handbook again, each time
    # their number grows by a quarter (a sixth of the CPU at 500 partnerships). Held off
    # for the command, as loading holds it off in a build; the state is restored on exit.
    with cycle_collection_paused():
        _validate(paths, output, config_file, strict)


def _validate(paths: tuple[Path, ...], output: str, config_file: Path | None, strict: bool) -> None:
    """`validate` itself: read the project, check the site as the build would, report, exit."""
    try:
        project = Project.read(config_file or handbook_config(paths), strict=strict)
    except ProjectError as error:
        if not error.problems:
            raise click.ClickException(str(error)) from None
        _report(error.problems, [], [], output)  # the plugin's options, located in mkdocs.yml
        sys.exit(1)
    strict = strict or bool(project.config.strict)  # `strict: true` in mkdocs.yml, as for the build
    refuse_foreign_paths(paths, project)
    check = check_site(project, verdict_only=True)
    if not check.errors:
        # What MkDocs itself checks while building: links in hand-written pages, the nav.
        warnings, notes = handwritten_page_problems(project, check)
        check.warnings += warnings
        check.notes += notes
    config_name = Path(project.config.config_file_path)
    notes = [Problem(config_name, 0, 0, message) for message in project.config_warnings]
    errors, warnings, infos = check.errors, notes + check.warnings, check.notes
    if paths:
        wanted = [path.resolve() for path in paths]
        errors, warnings, infos = ([p for p in found if _under(p.file, wanted)] for found in (errors, warnings, infos))
    _report(errors, warnings, infos, output)  # with how many errors and warnings, when there are any
    if not (errors or warnings):
        click.echo(f"No problems in {', '.join(map(str, paths))}." if paths
                   else f"No problems found ({_summary(check.handbook)}).", err=True)
    sys.exit(1 if errors or (strict and warnings) else 0)


def _report(errors: list[Problem], warnings: list[Problem], infos: list[Problem], output: str) -> None:
    """Every problem, as text or GitHub annotations, and how many errors and warnings when there are any."""
    for level, problems in (("error", errors), ("warning", warnings), ("notice", infos)):
        for problem in problems:
            shown = problem.relative_to(Path.cwd())
            click.echo(_github(level, shown) if output == "github" else f"{level}: {shown}")
    if errors or warnings:
        click.echo(f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
                   f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}", err=True)


def _summary(handbook: Handbook | None) -> str:
    if handbook is None:
        return "nothing to publish"
    return (f"{len(handbook.partnerships)} partnerships, {sum(len(p.log) for p in handbook.partnerships)} "
            f"log entries, {len(handbook.practices)} practices")


def handbook_config(paths: tuple[Path, ...]) -> Path:
    """The mkdocs.yml of the handbook PATHS belong to: the nearest one in their folder or above."""
    if not paths:
        return Path("mkdocs.yml")
    found: dict[Path, Path] = {}
    for path in paths:
        folder = path.resolve() if path.is_dir() else path.resolve().parent
        config = next((candidate / name for candidate in (folder, *folder.parents)
                       for name in CONFIG_NAMES if (candidate / name).is_file()), None)
        if config is None:
            raise click.ClickException(f"{path} is not inside a handbook: there is no mkdocs.yml in its folder "
                                       "or above it; name the site configuration with --config")
        found.setdefault(config, path)
    if len(found) > 1:
        listed = ", ".join(f"{path} ({config})" for config, path in found.items())
        raise click.ClickException(f"the paths belong to different handbooks: {listed}; validate each on its own")
    config = next(iter(found))
    return config.relative_to(Path.cwd()) if config.is_relative_to(Path.cwd()) else config


def refuse_foreign_paths(paths: tuple[Path, ...], project: Project) -> None:
    """A path the handbook does not read would always pass: say so instead."""
    sources = [project.records_dir, project.docs_dir] + ([project.cycle_file] if project.cycle_file else [])
    for path in paths:
        resolved = path.resolve()
        if not any(resolved.is_relative_to(source.resolve()) or source.resolve().is_relative_to(resolved)
                   for source in sources):
            raise click.ClickException(
                f"{path} is not part of the handbook configured in {project.config.config_file_path}, "
                f"which reads records from {project.records_dir} and pages from {project.docs_dir}; "
                "run validate inside the handbook it belongs to, or name its mkdocs.yml with --config")


def _under(file: Path, wanted: list[Path]) -> bool:
    resolved = file.resolve() if file.exists() else file.absolute()
    return any(resolved == path or resolved.is_relative_to(path) for path in wanted)


def _github(level: str, problem: Problem) -> str:
    def escape(text: str, *, property_value: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if property_value else text

    where = f"file={escape(visible(problem.file), property_value=True)}"
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
@click.option("--name", help="The partnership's name as it should appear, e.g. \"Lower Osun River Clean-up\" "
                             "(default: made from SLUG, each main word capitalised).")
@CONFIG_OPTION
def new_partnership_command(slug: str, name: str | None, config_file: Path) -> None:
    """Start partnerships/SLUG/partnership.yml. SLUG becomes the URL.

    \b
    Example:
      msp-handbook new partnership lower-osun-river-clean-up --name "Lower Osun River Clean-up"
    """
    project = _project(config_file)
    _created(new_partnership, project.records_dir, slug, project.root, name)


@new.command("log")
@click.argument("slug")
@click.argument("title")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The day it happened (default: today). It is written as `date:` and starts the file name.")
@CONFIG_OPTION
def new_log_command(slug: str, title: str, date: dt.datetime | None, config_file: Path) -> None:
    """Start a log entry for partnership SLUG, titled TITLE.

    \b
    Example, for a meeting held on 20 March 2025:
      msp-handbook new log harbour-clean-air "Steering group agrees the monitoring plan" --date 2025-03-20
    """
    project = _project(config_file)
    _created(new_log_entry, project.records_dir, slug, title, date.date() if date else None, project.root)


@new.command("review")
@click.argument("slug")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date of the review (default: today).")
@CONFIG_OPTION
def new_review_command(slug: str, date: dt.datetime | None, config_file: Path) -> None:
    """Start a review of partnership SLUG, its stakeholders listed as participants."""
    project = _project(config_file)
    _created(new_review, project.records_dir, slug, project.building_blocks, date.date() if date else None,
             project.root)


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

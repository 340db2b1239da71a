"""The two sites the benchmark compares, and the proof that they publish the same pages.

Variant B is the handbook as users have it: the `partnerships` plugin
builds pages from YAML records. Variant A is the same site with every page
the plugin would generate already written out as Markdown in the docs
folder, built by plain MkDocs with the same theme, the same other plugins,
the same nav and the plugin's stylesheet. The difference in build time
between the two is what the plugin costs.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files

from synthetic import write_partnerships

PLUGIN = "partnerships"
ROOT_FILES = ("mkdocs.yml",)
ROOT_DIRS = ("content", "theme")


def plugin_project(repo: Path, destination: Path, count: int) -> Path:
    """Variant B: the example handbook with `count` partnerships, committed to git.

    A git repository as a real handbook is one, so the build also pays for
    reading each record's last change from the history.
    """
    destination.mkdir(parents=True)
    for name in ROOT_DIRS:
        shutil.copytree(repo / name, destination / name)
    for name in ROOT_FILES:
        shutil.copy(repo / name, destination / name)
    write_partnerships(repo / "partnerships", destination / "partnerships", count)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=destination, check=True)
    subprocess.run([*git, "add", "-A"], cwd=destination, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "synthetic handbook"], cwd=destination, check=True)
    return destination


class _Capture(BasePlugin):
    """Keeps what the partnerships plugin hands to MkDocs: generated files and changed Markdown."""

    def __init__(self) -> None:
        self.generated: dict[str, bytes] = {}
        self.markdown: dict[str, str] = {}
        self.extensions: list[str] = []

    @event_priority(-100)
    def on_config(self, config):
        # Markdown extensions the plugin adds, named as mkdocs.yml can name them.
        self.extensions = [extension if isinstance(extension, str)
                           else f"{type(extension).__module__}:{type(extension).__name__}"
                           for extension in config.markdown_extensions]
        return config

    @event_priority(-100)  # after every other plugin
    def on_files(self, files: Files, config) -> Files:
        for file in files:
            if file.generated_by == PLUGIN:
                self.generated[file.src_uri] = file.content_bytes
        return files

    @event_priority(-100)
    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if not page.file.generated_by and page.file.abs_src_path:
            if Path(page.file.abs_src_path).read_text(encoding="utf-8-sig") != markdown:
                self.markdown[page.file.src_uri] = markdown
        return markdown


class _TagsAsValues(yaml.SafeLoader):
    """Reads mkdocs.yml with tags such as `!ENV [NAME, default]` taken as plain values (only our plugin's use them)."""


# `!!python/name:` (the line that quiets Material's notice) names a Python object: kept as its name.
_TagsAsValues.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)
_TagsAsValues.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_object(
    yaml.SequenceNode("tag:yaml.org,2002:seq", node.value) if isinstance(node, yaml.SequenceNode) else
    yaml.ScalarNode("tag:yaml.org,2002:str", node.value)))


def build_in_process(project: Path, site_dir: Path, capture: _Capture | None = None) -> None:
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    if capture is not None:
        config.plugins["bench-capture"] = capture
    build(config)


def plain_project(plugin_site_project: Path, destination: Path, plugin_site: Path) -> Path:
    """Variant A, written from what the plugin generates for `plugin_site_project`.

    Builds the plugin's site once, into `plugin_site`, to capture its pages.
    """
    capture = _Capture()
    build_in_process(plugin_site_project, plugin_site, capture)
    config = yaml.load((plugin_site_project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TagsAsValues)
    destination.mkdir(parents=True)
    for name in ROOT_DIRS:
        shutil.copytree(plugin_site_project / name, destination / name)
    docs = destination / config.get("docs_dir", "docs")
    plugin_config = next(entry[PLUGIN] for entry in config["plugins"] if isinstance(entry, dict) and PLUGIN in entry)
    practices = docs / plugin_config.get("practices_dir", "practices").strip("/")
    # The plugin publishes practices through its own templates, not as written.
    for source in list(practices.glob("*.md")) + list(practices.glob("tags.yml")):
        source.unlink()
    for src_uri, content in capture.generated.items():
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    for src_uri, markdown in capture.markdown.items():
        (docs / src_uri).write_text(markdown, encoding="utf-8")
    config["plugins"] = [entry for entry in config["plugins"] if not (isinstance(entry, dict) and PLUGIN in entry)
                         and entry != PLUGIN]
    written = {next(iter(entry)) if isinstance(entry, dict) else entry for entry in config.get("markdown_extensions", [])}
    config["markdown_extensions"] = list(config.get("markdown_extensions", [])) + [
        name for name in capture.extensions if name not in written]
    stylesheets = [uri for uri in capture.generated if uri.endswith(".css")]
    config["extra_css"] = list(config.get("extra_css", [])) + stylesheets
    scripts = [uri for uri in capture.generated if uri.endswith(".js")]
    config["extra_javascript"] = list(config.get("extra_javascript", [])) + scripts
    (destination / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return destination


# Legitimate differences between the two sites, left out before comparing:
# "Edit this page" opens the YAML record in B and the written-out Markdown in
# A, and plain MkDocs gives every page of A one (B none on listings).
_EDIT_LINK = re.compile(r'<a href="[^"]*" title="Edit this page".*?</a>\s*', re.S)
# The theme announces the plugin's feeds from what the plugin tells it;
# plain MkDocs in A has the feed files but nothing to announce them.
_FEED_LINK = re.compile(r'<link rel="alternate feed" type="application/(?:atom\+xml|feed\+json)"[^>]*>\s*')


def normalised(path: Path) -> str | bytes:
    if path.suffix == ".html":
        # Whitespace between tags depends on the template's indentation only.
        return re.sub(r"\s+", " ", _FEED_LINK.sub("", _EDIT_LINK.sub("", path.read_text(encoding="utf-8")))).replace("> ", ">\n")
    if path.name == "search_index.json":
        index = json.loads(path.read_text(encoding="utf-8"))
        # The same entries; their order follows the order files were found in.
        index["docs"] = sorted(index["docs"], key=lambda entry: (entry["location"], entry["title"], entry["text"]))
        return json.dumps(index, indent=1, sort_keys=True)
    if path.name == "sitemap.xml":
        return "\n".join(sorted(re.findall(r"<url>.*?</url>", path.read_text(encoding="utf-8"), re.S)))
    if path.name == "sitemap.xml.gz":
        return b""  # compressed sitemap.xml, compared above
    return path.read_bytes()


def differences(site_a: Path, site_b: Path, limit: int = 5) -> list[str]:
    """Every way the two built sites differ after normalising; empty when they publish the same pages."""
    files_a = {p.relative_to(site_a).as_posix() for p in site_a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(site_b).as_posix() for p in site_b.rglob("*") if p.is_file()}
    found = [f"only in A: {name}" for name in sorted(files_a - files_b)]
    found += [f"only in B: {name}" for name in sorted(files_b - files_a)]
    for name in sorted(files_a & files_b):
        a, b = normalised(site_a / name), normalised(site_b / name)
        if a != b:
            detail = ""
            if isinstance(a, str) and isinstance(b, str):
                diff = difflib.unified_diff(a.splitlines(), b.splitlines(), "A", "B", n=0, lineterm="")
                detail = "\n" + "\n".join(list(diff)[2:12])
            found.append(f"differs: {name}{detail}")
            if len(found) >= limit:
                break
    return found


def prepare(repo: Path, workdir: Path, count: int) -> tuple[Path, Path]:
    """Both variants for `count` partnerships under `workdir`, proven to publish the same pages."""
    project_b = plugin_project(repo, workdir / f"b{count}", count)
    site_b = workdir / f"b{count}-site"
    project_a = plain_project(project_b, workdir / f"a{count}", site_b)
    build_in_process(project_a, workdir / f"a{count}-site")
    problems = differences(workdir / f"a{count}-site", site_b)
    if problems:
        raise AssertionError(f"variants A and B differ at N={count}:\n" + "\n".join(problems))
    return project_a, project_b


if __name__ == "__main__":
    # `python variants.py REPO WORKDIR N`: the benchmark prepares each size in
    # a process of its own, so its own memory stays small (a child process
    # reports the peak memory of the process it was forked from as its own).
    import logging
    import sys

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    prepare(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))

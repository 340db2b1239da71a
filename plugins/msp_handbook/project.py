"""Where a handbook's sources are, read from its mkdocs.yml without needing MkDocs.

The command line uses this to find the same folders the plugin builds from;
the defaults here are the plugin's defaults (config.py imports them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PLUGIN_NAME = "partnerships"
DEFAULT_RECORDS_DIR = "partnerships"
DEFAULT_PRACTICES_DIR = "practices"


class ProjectError(Exception):
    """The site configuration cannot be read; the message says why and what to do."""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring the tags MkDocs configs use (!ENV, !!python/name:...)."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_multi_constructor("!", _any_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    records_dir: Path
    practices_dir: Path
    practices_uri: str
    cycle_file: Path | None

    @classmethod
    def read(cls, config_file: Path) -> "Project":
        if not config_file.is_file():
            raise ProjectError(
                f"{config_file} not found: run this in the handbook's folder, or name the site configuration with --config"
            )
        try:
            config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise ProjectError(f"{config_file} cannot be read: {error}") from None
        if not isinstance(config, dict):
            raise ProjectError(f"{config_file} is not a MkDocs configuration")
        options = plugin_options(config.get("plugins"))
        root = config_file.resolve().parent
        docs_dir = root / str(config.get("docs_dir", "docs"))
        practices_uri = str(options.get("practices_dir", DEFAULT_PRACTICES_DIR)).strip("/")
        cycle_file = options.get("cycle_file")
        return cls(
            root=root,
            docs_dir=docs_dir,
            records_dir=root / str(options.get("records_dir", DEFAULT_RECORDS_DIR)),
            practices_dir=docs_dir / practices_uri,
            practices_uri=practices_uri,
            cycle_file=root / str(cycle_file) if cycle_file else None,
        )


def plugin_options(plugins: Any) -> dict[str, Any]:
    """Options of the partnerships plugin in a `plugins:` list (or mapping)."""
    entries = plugins.items() if isinstance(plugins, dict) else [
        next(iter(entry.items())) if isinstance(entry, dict) and entry else (entry, None) for entry in plugins or []
    ]
    for name, options in entries:
        if name == PLUGIN_NAME:
            return options if isinstance(options, dict) else {}
    return {}

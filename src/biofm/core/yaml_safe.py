"""YAML read defensively, and ``--set key.path=value`` overrides applied to it.

Why caps: a config file is a few dozen keys, but YAML aliases let 1 kB expand to gigabytes (the
"billion laughs" bomb used 700 MB before anything failed).  So a file is refused above
``MAX_BYTES``, above ``MAX_ALIASES`` aliases, or when it would expand past ``MAX_NODES`` values —
each with one line naming the file — before any of it is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from biofm.core.errors import ConfigError

MAX_BYTES = 1_000_000
MAX_ALIASES = 100
MAX_NODES = 100_000


class _CountingLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting aliases while it composes."""

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise ConfigError(f"more than {MAX_ALIASES} YAML aliases (*name); a config needs none")
        return super().compose_node(parent, index)


def load_yaml(text: str, source: str | Path) -> Any:
    """Parse YAML text from ``source`` (a file name, or a flag) within the caps; errors name the source."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ConfigError(f"{source}: over {MAX_BYTES:,} bytes; a config is a few kilobytes")
    try:
        data = yaml.load(text, Loader=_CountingLoader)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML ({' '.join(str(exc).split())})") from None
    _check_expansion(data, source)
    return data


def read_yaml(path: str | Path, what: str = "file") -> Any:
    """A YAML file within the caps; missing, unreadable or undecodable files get one line each."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: {what} not found" if not path.exists() else f"{path}: is not a file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid YAML (not UTF-8 text)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return load_yaml(text, path)


def _check_expansion(data: Any, source: str | Path) -> None:
    """Count values as if every alias were copied out, stopping at ``MAX_NODES``."""
    stack, seen = [data], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise ConfigError(f"{source}: expands to more than {MAX_NODES:,} values (nested YAML aliases?)")
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply ``a.b=value`` strings (values parsed as YAML) to a nested dict, returning a copy."""
    result = yaml.safe_load(yaml.safe_dump(raw))  # deep copy of plain data (already size-checked)
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected key.path=value, e.g. train.epochs=3")
        *parents, leaf = key.strip().split(".")
        node = result
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"--set {item!r}: {part!r} is not a section")
        node[leaf] = load_yaml(text, f"--set {item!r}") if text.strip() else None
    return result

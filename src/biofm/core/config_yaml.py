"""A config as YAML with every key commented: what ``biofm init`` prints for a user to edit.

Why the comments come from ``config.py`` itself: the comment beside each dataclass field is the one
description of that key, so the YAML a user edits can never disagree with the code that reads it.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from functools import cache

import yaml

from biofm.core.config import YamlConfig

_FIELD = re.compile(r"^    (?P<name>\w+): [^#]*?(?:#\s*(?P<comment>.*))?$")


def commented_yaml(config: YamlConfig, notes: dict[str, str] | None = None, header: str = "") -> str:
    """``config`` as YAML that loads back to the same config; ``notes`` (``section.key`` → text) mark
    inferred values beside their key's description."""
    notes = notes or {}
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    for section in dataclasses.fields(config):
        value = getattr(config, section.name)
        comment = field_comments(type(config)).get(section.name, "")
        if dataclasses.is_dataclass(value):
            lines += ["", f"{section.name}:  # {_first_line(type(value))}"]
            lines += _section(value, section.name, notes)
        else:
            lines += [""] if lines and lines[-1].startswith("  ") else []
            lines.append(_line(section.name, value, _joined(comment, notes.get(section.name)), ""))
    return "\n".join(lines).lstrip("\n") + "\n"


def _section(value, prefix: str, notes: dict[str, str]) -> list[str]:
    comments = field_comments(type(value))
    return [_line(f.name, getattr(value, f.name), _joined(comments.get(f.name, ""), notes.get(f"{prefix}.{f.name}")),
                  "  ") for f in dataclasses.fields(value)]


def _joined(comment: str, note: str | None) -> str:
    return f"{comment} — inferred: {note}" if note and comment else (f"inferred: {note}" if note else comment)


def _line(key: str, value: object, comment: str, indent: str) -> str:
    text = yaml.safe_dump({key: value}, default_flow_style=True, width=10**6, allow_unicode=True).strip()[1:-1]
    return f"{indent}{text}" + (f"  # {comment}" if comment else "")


def _first_line(cls: type) -> str:
    return (inspect.getdoc(cls) or cls.__name__).splitlines()[0]


@cache
def field_comments(cls: type) -> dict[str, str]:
    """Each field's comment in the class source: on its line, or on comment lines just above it."""
    comments, above = {}, []
    for line in inspect.getsource(cls).splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            above.append(stripped.lstrip("# "))
            continue
        match = _FIELD.match(line)
        if match:
            comments[match["name"]] = " ".join([*above, match["comment"] or ""]).strip()
        above = []
    return comments

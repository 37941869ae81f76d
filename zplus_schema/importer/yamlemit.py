"""Write YAML people will edit: block style, short mappings in flow style, SQL quoted safely.

PyYAML's dumper quotes `'lead'` as `'''lead'''`, cannot line values up and folds long
lines, so documents are written here. Every scalar is written plain only when PyYAML
reads the plain text back as the same string in that context; the whole document is read
back and compared before it is returned, so a quoting mistake fails loudly instead of
changing a definition.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import yaml

from ..errors import ZplusError

WIDTH = 100
INDENT = 2
# Characters that may not start a plain scalar, or that end it inside a flow collection.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_BREAKERS = frozenset(",[]{}")
# What PyYAML's reader accepts in a stream; anything else is written as an escape.
_PRINTABLE = re.compile("[\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffc\U00010000-\U0010ffff]")
# Printable, but YAML 1.1 treats them as line breaks or a byte-order mark.
_ESCAPED = frozenset("\x85\u2028\u2029\ufeff")


class Flow(dict[str, Any]):
    """A mapping written `{a: 1, b: [x, y]}` when it fits on its line, else as a block."""


class Block(dict[str, Any]):
    """A block mapping; optionally its one-line entries line their values up.

    `comments` holds YAML comment lines written just above a key (without the `#`).
    """

    def __init__(self, *args: Any, align: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.align = align
        self.comments: dict[str, list[str]] = {}


class EmitError(ZplusError):
    """The written document does not read back as the data: a bug in this module."""


@lru_cache(maxsize=4096)
def _plain_ok(text: str, flow: bool) -> bool:
    """Tell whether `text` reads back as itself written plain in a block or flow context."""
    if not text or text != text.strip() or "\n" in text or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and _FLOW_BREAKERS.intersection(text):
        return False
    if any(not _PRINTABLE.match(ch) or ch in _ESCAPED for ch in text):
        return False
    probe = f"[{text}]" if flow else f"k: {text}"
    try:
        loaded = yaml.safe_load(probe)
    except yaml.YAMLError:
        return False
    value = loaded[0] if flow else loaded["k"]
    return isinstance(value, str) and value == text


def double_quoted(text: str) -> str:
    """Return `text` as a YAML double-quoted scalar (JSON escapes are valid YAML escapes)."""
    out = []
    for ch in json.dumps(text, ensure_ascii=False)[1:-1]:
        if _PRINTABLE.match(ch) and ch not in _ESCAPED:
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def scalar(value: Any, flow: bool = False) -> str:
    """Return a scalar on one line: plain when safe, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return text if _plain_ok(text, flow) else double_quoted(text)


def _literal_header(text: str) -> str:
    """Return `|` with the indentation and chomping indicators `text` needs."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    # Auto-detection reads the indentation off the first non-blank line: say it outright
    # when that line starts with blanks or blank lines before it hold spaces.
    leading_blanks = any(lines[:first]) or lines[first][:1] in (" ", "\t")
    indent = str(INDENT) if leading_blanks else ""
    chomp = "" if text.endswith("\n") else "-"  # clip keeps the one final line break
    return f"|{indent}{chomp}"


@lru_cache(maxsize=1024)
def _literal(text: str) -> list[str] | None:
    """Return `|` plus the indented lines of a multi-line string, or None if YAML can't."""
    # Trailing blank lines would need `|+`, whose blank lines run into whatever follows.
    if "\r" in text or text.endswith("\n\n") or any(
            not _PRINTABLE.match(ch) or ch in _ESCAPED for ch in text):
        return None
    body = text[:-1] if text.endswith("\n") else text
    lines = [_literal_header(text)]
    lines += [(" " * INDENT + line) if line else "" for line in body.split("\n")]
    try:
        if yaml.safe_load("k: " + "\n".join(lines) + "\n") == {"k": text}:
            return lines
    except yaml.YAMLError:
        pass
    return None


def _flow(value: Any) -> str | None:
    """Return a value in flow style, or None when it has a multi-line string."""
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            inner = _flow(v)
            if inner is None:
                return None
            parts.append(f"{scalar(k, flow=True)}: {inner}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        items = [_flow(v) for v in value]
        if any(i is None for i in items):
            return None
        return "[" + ", ".join(i for i in items if i is not None) + "]"
    if isinstance(value, str) and "\n" in value:
        return None
    return scalar(value, flow=True)


class _Writer:
    """Accumulates the lines of one document."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def mapping(self, data: dict[str, Any], indent: int) -> None:
        """Write a block mapping whose keys start at column `indent`."""
        pad = " " * indent
        width = self.key_width(data, indent)
        comments = data.comments if isinstance(data, Block) else {}
        for key, value in data.items():
            for comment in comments.get(key, []):
                self.lines.append(f"{pad}# {comment}".rstrip())
            head = f"{pad}{scalar(key)}:"
            self.entry(head, value, indent, width)

    def key_width(self, data: dict[str, Any], indent: int) -> int:
        """Return the column values start at when the mapping lines them up, else 0."""
        if not (isinstance(data, Block) and data.align):
            return 0
        keys = [scalar(k) for k, v in data.items() if self._one_line(v, indent)]
        return max((len(k) + 2 for k in keys), default=0)

    def _one_line(self, value: Any, indent: int) -> bool:
        """Tell whether a value will likely sit on its key's line (and so be lined up)."""
        if isinstance(value, Flow | list):
            text = _flow(value)
            return text is not None and indent + len(text) < WIDTH - 10
        return not isinstance(value, dict) and not (isinstance(value, str) and "\n" in value)

    def entry(self, head: str, value: Any, indent: int, width: int) -> None:
        """Write `head` (a key with its colon, or `-`) followed by its value."""
        lead = head + " " * max(1, width - len(head.strip())) if width else head + " "
        if isinstance(value, str) and "\n" in value and self._literal(head, value, indent):
            return
        if isinstance(value, Flow | list) and value and self._inline(lead, head, value):
            return
        if isinstance(value, dict) and value:
            self.lines.append(head)
            self.mapping(value, indent + INDENT)
        elif isinstance(value, list) and value:
            self.lines.append(head)
            for item in value:
                self.item(item, indent + INDENT)
        elif isinstance(value, dict | list):
            self.lines.append(lead + ("{}" if isinstance(value, dict) else "[]"))
        elif isinstance(value, str):
            self.lines += _wrapped(lead, value, indent + INDENT)
        else:
            self.lines.append(lead + scalar(value))

    def item(self, value: Any, indent: int) -> None:
        """Write one block list item whose dash is at column `indent`.

        A mapping item starts on the dash line (`- name: x`); a multi-line string is
        written double-quoted, where no indentation rule can go wrong.
        """
        dash = " " * indent + "-"
        if isinstance(value, Flow) and value and self._inline(dash + " ", dash, value):
            return
        if isinstance(value, dict) and value:
            start = len(self.lines)
            self.mapping(value, indent + INDENT)
            self.lines[start] = dash + " " + self.lines[start].lstrip()
        elif isinstance(value, str) and "\n" in value:
            self.lines.append(f"{dash} {double_quoted(value)}")
        else:
            self.entry(dash, value, indent, 0)

    def _literal(self, head: str, value: str, indent: int) -> bool:
        """Write a multi-line string as a `|` block; False when YAML cannot hold it so."""
        literal = _literal(value)
        if literal is None:
            return False
        self.lines.append(head + " " + literal[0])
        self.lines += [" " * indent + line if line else "" for line in literal[1:]]
        return True

    def _inline(self, lead: str, head: str, value: Flow | list[Any]) -> bool:
        """Write a flow mapping or list on the key's line; False when it does not fit.

        A list of mappings is written one item per line, as people write them. A line
        that fits only without the padding that lines values up goes without it.
        """
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            return False
        text = _flow(value)
        if text is None:
            return False
        for start in (lead, head + " "):
            if len(start) + len(text) <= WIDTH:
                self.lines.append(start + text)
                return True
        return False


def _wrapped(lead: str, text: str, indent: int) -> list[str]:
    """Return a string's lines after `lead`, folded at single spaces when it is too long.

    YAML reads a line break inside a plain or double-quoted scalar as one space, so a long
    SQL expression or comment can be split between words without changing it.
    """
    rendered = double_quoted(text) if "\n" in text else scalar(text)
    if len(lead) + len(rendered) <= WIDTH:
        return [lead + rendered]
    pieces = _split(rendered, WIDTH - len(lead), WIDTH - indent)
    if len(pieces) < 2 or not _folds_back(pieces, text):
        return [lead + rendered]
    return [lead + pieces[0], *(" " * indent + p for p in pieces[1:])]


def _folds_back(pieces: list[str], text: str) -> bool:
    """Tell whether the pieces, one per line, read back as `text`."""
    folded = "\n".join([f"k: {pieces[0]}", *(f"  {p}" for p in pieces[1:])])
    try:
        return bool(yaml.safe_load(folded) == {"k": text})
    except yaml.YAMLError:
        return False


def _split(text: str, first: int, rest: int) -> list[str]:
    """Split at single spaces (each dropped) into pieces of at most the widths, if it can.

    A space after a comma is the preferred place: `'a'::character varying` stays whole.
    """
    cuts = [i for i in range(1, len(text) - 1)
            if text[i] == " " and text[i - 1] != " " and text[i + 1] != " "]
    pieces: list[str] = []
    start, limit = 0, first
    while len(text) - start > limit:
        fitting = [c for c in cuts if start < c <= start + limit]
        if not fitting:
            break
        after_comma = [c for c in fitting if text[c - 1] == ","]
        late_comma = [c for c in after_comma if c > start + limit // 2]
        cut = late_comma[-1] if late_comma else fitting[-1]
        pieces.append(text[start:cut])
        start, limit = cut + 1, rest
    pieces.append(text[start:])
    return pieces


def emit(data: Block, header: list[str]) -> str:
    """Return the YAML text of `data` under `header` comment lines, checked by reading it back.

    Entries of each top-level mapping (tables, functions, ...) that span several lines are
    set apart by blank lines.
    """
    writer = _Writer()
    for key, value in data.items():
        for comment in data.comments.get(key, []):
            writer.lines.append(f"# {comment}".rstrip())
        if isinstance(value, dict) and value and not isinstance(value, Flow):
            writer.lines.append(f"{scalar(key)}:")
            _section(writer, value)
        else:
            writer.entry(f"{scalar(key)}:", value, 0, 0)
    lines = [f"# {h}".rstrip() for h in header] + writer.lines
    text = "\n".join(lines) + "\n"
    check_roundtrip(text, data)
    return text


def _section(writer: _Writer, section: dict[str, Any]) -> None:
    """Write one top-level section, a blank line around each multi-line entry."""
    width = writer.key_width(section, INDENT)
    previous_multi = False
    comments = section.comments if isinstance(section, Block) else {}
    for i, (key, value) in enumerate(section.items()):
        start = len(writer.lines)
        for comment in comments.get(key, []):
            writer.lines.append(f"  # {comment}".rstrip())
        writer.entry(f"  {scalar(key)}:", value, INDENT, width)
        multi = len(writer.lines) - start > 1
        if i and (multi or previous_multi):
            writer.lines.insert(start, "")
        previous_multi = multi


def check_roundtrip(text: str, data: Any) -> None:
    """Raise EmitError unless `text` reads back as `data`."""
    try:
        loaded = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        loaded = None
    if loaded != _plain(data):
        raise EmitError("generated YAML does not read back as the imported definitions",
                        hint="this is a bug in zplus-schema import; please report it")


def _plain(value: Any) -> Any:
    """Return the data as PyYAML reads it: plain dicts and lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value

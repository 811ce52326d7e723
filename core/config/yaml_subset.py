"""A small YAML reader for the flat mappings inside Kometa-AI's comment blocks.

A block holds one level of ``field: value`` lines whose values are scalars, lists (flow ``[a, b]``
or block ``- a``) or block scalars (``|``, ``>``, with chomping indicators). That subset is small
enough to read here, so reelscale does not depend on a YAML library for it. Within the subset the
reader follows YAML 1.2's core schema, which is what ruamel.yaml (Kometa-AI's parser) reads, so
``yes`` stays a string and ``0.7`` is a number. Anything outside it (nested mappings, anchors,
aliases, tags) is an error naming the line, never a silent guess.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from core.config.entry import Field

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_BLOCK_HEADER = re.compile(r"([|>])(?:([1-9])([+-])?|([+-])([1-9])?)?\s*(?:#.*)?\Z")
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_QUOTE_FIX = "quote the value, or write it as a block: 'field: |' and the text on the lines below"


class YamlError(Exception):
    """A line the subset reader cannot read; ``what`` and ``fix`` become the message."""

    def __init__(self, line: int, what: str, fix: str) -> None:
        super().__init__(f"{line}: {what}; {fix}")
        self.line, self.what, self.fix = line, what, fix


class MappingKey(NamedTuple):
    indent: int
    key: str
    rest: str


def indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def is_item(text: str) -> bool:
    stripped = text.strip()
    return stripped == "-" or stripped.startswith("- ")


def mapping_key(text: str) -> MappingKey | None:
    """The ``key: rest`` of a mapping line (quotes removed from the key), or None."""
    indent = indent_of(text)
    s = text[indent:].rstrip()
    if not s or s[0] in "#?[]{}&*!|>%@`,\t" or is_item(s):
        return None
    if s[0] in "\"'":
        try:
            key, end = _quoted(s, 0)
        except YamlError:
            return None
        after = s[end:].lstrip()
        if after == ":" or after.startswith((": ", ":\t")):
            return MappingKey(indent, key, after[1:].strip())
        return None
    for i, char in enumerate(s):
        if char == "#" and i and s[i - 1] in " \t":
            return None
        if char == ":" and (i + 1 == len(s) or s[i + 1] in " \t"):
            return MappingKey(indent, s[:i].rstrip(), s[i + 1 :].strip())
    return None


def parse_mapping(body: list[tuple[int, str]]) -> dict[str, Field]:
    """Read a flat mapping from ``(line number, text)`` pairs; raises :class:`YamlError`."""
    out: dict[str, Field] = {}
    base = None
    i = 0
    while i < len(body):
        lineno, text = body[i]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        if text[: len(text) - len(text.lstrip())].count("\t"):
            raise YamlError(lineno, "a tab in the indentation", "indent with spaces")
        indent = indent_of(text)
        base = indent if base is None else base
        found = mapping_key(text)
        if indent != base or found is None:
            what = (
                "unexpected indentation"
                if indent != base
                else f"expected 'field: value', found {stripped!r}"
            )
            raise YamlError(
                lineno, what, "write one 'field: value' per line, all in the same column"
            )
        if found.key in out:
            raise YamlError(lineno, f"{found.key!r} is set twice", "keep one of the two lines")
        j = i + 1
        while j < len(body):
            nxt = body[j][1]
            list_item = indent_of(nxt) == base and is_item(nxt) and not found.rest
            if nxt.strip() and indent_of(nxt) <= base and not list_item:
                break
            j += 1
        out[found.key] = Field(found.key, _value(found.rest, body[i + 1 : j], lineno, base), lineno)
        i = j
    return out


def inline_value(text: str, lineno: int) -> object:
    """A value written on one line: a quoted or plain scalar, or a flow list ``[a, b]``."""
    return _value(text, [], lineno, 0)


def _value(rest: str, cont: list[tuple[int, str]], lineno: int, base: int) -> object:
    if rest[:1] in ("|", ">"):
        return _block_scalar(rest, cont, lineno, base)
    if is_item(rest):
        raise YamlError(lineno, "a list item after 'field:'", "put each '- ' item on its own line")
    lines = [(lineno, rest), *cont]
    content = [(ln, t) for ln, t in lines if t.strip() and not t.strip().startswith("#")]
    if not content:
        return None
    first = content[0][1].strip()
    if first[0] in "\"'":
        at = lines.index(content[0])
        return _quoted_lines([(ln, t.strip()) for ln, t in lines[at:]])
    if is_item(first):
        return _block_list(content, lineno)
    if first.startswith("["):
        text = " ".join(_strip_comment(t) for _, t in content)
        return _flow_list(text, content[0][0])
    return _plain_lines(lines, lineno)


def _plain_lines(lines: list[tuple[int, str]], lineno: int) -> object:
    """A plain scalar over one or more lines; a comment ends it, as in YAML."""
    texts: list[str] = []
    ended = False
    for ln, text in lines:
        stripped = text.strip()
        if not stripped:
            texts.append("")
            continue
        if ended or stripped.startswith("#"):
            if not stripped.startswith("#"):
                raise YamlError(ln, "text after a comment", "move the comment below the value")
            ended = True
            continue
        if ln != lineno and mapping_key(stripped) is not None:
            raise YamlError(ln, "nested fields are not supported in a KOMETA-AI block", _QUOTE_FIX)
        if is_item(stripped):
            raise YamlError(
                ln, "a list mixed with text", "write the list items alone, one per line"
            )
        texts.append(_strip_comment(stripped))
        ended = texts[-1] != stripped
    text = _fold(texts)
    if sum(1 for t in texts if t) <= 1:
        return _plain(text, lineno)
    _check_plain(text, lineno)
    return text


def _quoted_lines(lines: list[tuple[int, str]]) -> str:
    """A quoted scalar that may continue over several lines, then nothing but comments."""
    texts = [t for _, t in lines]
    last = _closing_line(texts)
    value = _quoted_value(_fold(texts[: last + 1]), lines[0][0])
    for ln, text in lines[last + 1 :]:
        if text and not text.startswith("#"):
            raise YamlError(ln, "text after the closing quote", "put everything inside the quotes")
    return value


def _closing_line(texts: list[str]) -> int:
    quote = texts[0][0]
    for k, text in enumerate(texts):
        i = 1 if k == 0 else 0
        while i < len(text):
            if quote == '"' and text[i] == "\\":
                i += 2
            elif text[i] == quote and not (quote == "'" and text[i + 1 : i + 2] == "'"):
                return k
            else:
                i += 2 if text[i] == quote else 1
    return len(texts) - 1


def _block_list(content: list[tuple[int, str]], lineno: int) -> list[object]:
    for ln, text in content:
        if not is_item(text):
            raise YamlError(
                ln, "a list item spans several lines", "keep each '- ' item on one line"
            )
    if len({indent_of(t) for _, t in content}) > 1:
        raise YamlError(lineno, "list items are not aligned", "start every '- ' in the same column")
    return [_plain_or_quoted(t.strip()[1:].strip(), ln) for ln, t in content]


def _block_scalar(header: str, cont: list[tuple[int, str]], lineno: int, base: int) -> str:
    m = _BLOCK_HEADER.match(header)
    if not m:
        raise YamlError(lineno, f"unreadable block header {header!r}", "use '|' or '>' alone")
    style, digit, chomp = m[1], m[2] or m[5], m[3] or m[4] or ""
    texts = [t for _, t in cont]
    nonblank = [(ln, t) for ln, t in cont if t.strip()]
    if not nonblank:
        return "\n" * len(texts) if chomp == "+" else ""
    width = base + int(digit) if digit else indent_of(nonblank[0][1])
    for ln, text in nonblank:
        if indent_of(text) < width:
            raise YamlError(
                ln,
                "a line of the block text is indented less than its first line",
                "indent every line of the text at least as far as the first",
            )
    lines = [t[width:] if len(t) > width else "" for t in texts]
    trailing = 0
    while not lines[-1].strip():
        lines.pop()
        trailing += 1
    text = "\n".join(lines) if style == "|" else _fold_block(lines)
    if chomp == "-":
        return text
    if chomp == "+":
        return text + "\n" * (trailing + 1)
    return text + "\n"


def _fold_block(lines: list[str]) -> str:
    """YAML's folding of a ``>`` block: single breaks between plain lines become spaces."""
    out: list[str] = []
    previous = None
    empties = 0
    for line in lines:
        if not line.strip():
            empties += 1
            continue
        kind = "more" if line[0] in " \t" else "text"
        if previous is None:
            out.append("\n" * empties)
        elif previous == kind == "text":
            out.append("\n" * empties if empties else " ")
        else:
            out.append("\n" * (empties + 1))
        out.append(line)
        previous, empties = kind, 0
    return "".join(out)


def _fold(lines: list[str]) -> str:
    """Flow folding: line breaks become spaces, each empty line a newline."""
    out: list[str] = []
    empties = 0
    for line in lines:
        if not line:
            empties += 1
            continue
        if out:
            out.append("\n" * empties if empties else " ")
        out.append(line)
        empties = 0
    return "".join(out)


def _strip_comment(text: str) -> str:
    """``text`` without a trailing ``# comment`` (a ``#`` after a space, outside quotes)."""
    i = 0
    while i < len(text):
        char = text[i]
        before = text[i - 1] if i else " "
        if char == "#" and before in " \t":
            return text[:i].rstrip()
        if char in "\"'" and before in " \t[,":
            try:
                _, i = _quoted(text, i)
            except YamlError:
                break
            continue
        i += 1
    return text.strip()


def _check_plain(text: str, lineno: int) -> None:
    if not text:
        return
    if text[0] in "&*!%@`{}],":
        raise YamlError(
            lineno, f"{text[:20]!r} uses YAML syntax a KOMETA-AI block does not support", _QUOTE_FIX
        )
    if ": " in text or text.endswith(":"):
        raise YamlError(lineno, "':' followed by a space in unquoted text", _QUOTE_FIX)


def _plain(text: str, lineno: int) -> object:
    _check_plain(text, lineno)
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _plain_or_quoted(text: str, lineno: int) -> object:
    if text[:1] in ('"', "'"):
        return _quoted_value(text, lineno)
    if text.startswith("[") or is_item(text):
        raise YamlError(lineno, "a list inside a list", "list plain values only")
    return _plain(_strip_comment(text), lineno)


def _quoted_value(text: str, lineno: int) -> str:
    value, end = _quoted(text, 0, lineno)
    if _strip_comment(text[end:]):
        raise YamlError(lineno, "text after the closing quote", "put everything inside the quotes")
    return value


def _quoted(text: str, start: int, lineno: int = 0) -> tuple[str, int]:
    """The string quoted at ``text[start]`` and the index after its closing quote."""
    quote = text[start]
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out), i + 1
        if char == "\\" and quote == '"':
            code = text[i + 1 : i + 2]
            if code in _HEX_ESCAPES:
                digits = text[i + 2 : i + 2 + _HEX_ESCAPES[code]]
                point = int(digits, 16) if re.fullmatch(r"[0-9A-Fa-f]+", digits) else -1
                if len(digits) != _HEX_ESCAPES[code] or not (
                    0 <= point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF
                ):
                    raise YamlError(lineno, f"bad escape \\{code}{digits}", "fix or remove it")
                out.append(chr(point))
                i += 2 + len(digits)
                continue
            if code not in _ESCAPES:
                raise YamlError(lineno, f"unknown escape \\{code}", "write a backslash as \\\\")
            out.append(_ESCAPES[code])
            i += 2
            continue
        out.append(char)
        i += 1
    raise YamlError(lineno, f"a {quote} quote is not closed", "close the quoted text")


def _flow_list(text: str, lineno: int) -> list[object]:
    items: list[object] = []
    want_item = True
    i = 1
    while i < len(text):
        char = text[i]
        if char in " \t":
            i += 1
        elif char == "]":
            if _strip_comment(text[i + 1 :]):
                raise YamlError(lineno, "text after the closing ']'", "end the line at ']'")
            return items
        elif not want_item:
            if char != ",":
                raise YamlError(lineno, "text after a list item", "separate the items with ','")
            want_item = True
            i += 1
        elif char == ",":
            raise YamlError(lineno, "an empty item in a [...] list", "remove the extra comma")
        elif char in "[{":
            raise YamlError(lineno, "a nested list or mapping", "list plain values only")
        else:
            if char in "\"'":
                value, i = _quoted(text, i, lineno)
            else:
                end = i
                while end < len(text) and text[end] not in ",]":
                    end += 1
                item = text[i:end].strip()
                if is_item(item) or any(c in item for c in "[]{}"):
                    raise YamlError(lineno, "a nested list or mapping", "list plain values only")
                value, i = _plain(item, lineno), end
            items.append(value)
            want_item = False
    raise YamlError(lineno, "a '[' list is not closed", "end the list with ']'")

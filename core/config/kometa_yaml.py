"""ruamel.yaml, the parser Kometa and Kometa-AI read their files with, wrapped for our reader.

:mod:`core.config.kometa_blocks` imports this module only when a Kometa file holds a KOMETA-AI
block, so a TOML config, ``reelscale parse`` and ``reelscale scan`` never import ruamel.yaml.

- :func:`load` reads one YAML document with ruamel's round-trip loader (``YAML(typ="rt")``), whose
  mappings keep the line and column of every key. Whatever goes wrong is one :class:`YamlProblem`
  with a line, a column and a sentence a user understands, never a ruamel traceback: scanner,
  parser and constructor errors, duplicate keys, characters YAML forbids, values a tag cannot
  convert (``!!int abc``), and nesting too deep to read (``[`` nested past
  :data:`MAX_FLOW_DEPTH`, where ruamel's scanner turns quadratic, is refused before parsing;
  deeper block nesting ends in a caught :class:`RecursionError`).
- :func:`plain` turns ruamel's value types (``ScalarFloat``, ``ScalarBoolean``,
  ``LiteralScalarString``, ``CommentedSeq``, ...) into plain Python values.
- :class:`Keys` says which mapping key sits on a line, so a KOMETA-AI comment block is matched to
  the collection key below it.

Two departures from ruamel's defaults, both so odd input is reported instead of crashing: dates
stay text (YAML 1.2 has no timestamp type, and ``2001-13-45`` made ruamel raise ``ValueError``), and
a scalar its tag cannot convert becomes a ``ConstructorError`` at the node, with its line.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import TaggedScalar
from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import Reader, ReaderError
from ruamel.yaml.scalarbool import ScalarBoolean

from core.config.entry import show

MAX_FLOW_DEPTH = 100
_MAX_KEY = 1024  # YAML's limit on a key written without '?'
_FIX = "fix the syntax there"
_HINTS = {
    "mapping values are not allowed here": (
        "quote a value that contains ': ', or write it as a block ('field: |' and the text on "
        "the lines below)"
    ),
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "found unexpected end of stream": "close what is opened there (a quote or a bracket)",
    "while scanning a quoted scalar": "close the quote",
}
_DUPLICATE = re.compile(r'found duplicate key "(.*)" with value', re.S)
_FLOW = re.compile(r"[\[\]{}\n]")
_COMMENT_LINE = re.compile(r"^[ \t]*#.*", re.M)
_LONG_COMMENT = re.compile(r"^([ \t]*#[^\n]{1023})[^\n]+", re.M)
_SURROGATE = re.compile("[\ud800-\udfff]")


class YamlProblem(Exception):
    """Text ruamel.yaml cannot read; ``line`` and ``column`` are 0-based in the text given.

    ``column`` is None where ruamel gives no position (``line`` is then 0). ``syntax`` is false
    for a problem whose ``what`` reads well alone ("'prompt' is set twice").
    """

    def __init__(
        self, line: int, column: int | None, what: str, fix: str = _FIX, *, syntax: bool = True
    ) -> None:
        super().__init__(f"{line + 1}: {what}; {fix}")
        self.line, self.column, self.what, self.fix = line, column, what, fix
        self.syntax = syntax


class _Constructor(RoundTripConstructor):
    """The round-trip constructor, reporting a scalar it cannot convert at that scalar's line."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            what = f"cannot read {show(node.value)} as {kind}"
            raise ConstructorError(None, None, what, node.start_mark) from exc


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def load(text: str, *, skim_comments: bool = False) -> Any:
    """The one YAML document in ``text`` (``None`` if it is empty); raises :class:`YamlProblem`.

    ``skim_comments`` cuts lines that start with ``#`` to their first 1024 characters first, for a
    caller that needs no comment's text: ruamel builds a comment one character at a time, which
    turns quadratic on a long one (a 2 MB prompt in a KOMETA-AI block took minutes). A line that
    starts with ``#`` inside a block or multi-line quoted scalar is cut too; only its value changes.

    >>> load("prompt: |\\n  Noir.\\nenabled: yes\\n")["enabled"]   # YAML 1.2: yes is text
    'yes'
    """
    _check_depth(text)
    if skim_comments and Reader.NON_PRINTABLE.search(text) is None:  # else ruamel stops at once
        text = _LONG_COMMENT.sub(r"\1", text)
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    try:
        with warnings.catch_warnings():  # a reused anchor is legal YAML 1.2; ruamel warns on it
            warnings.simplefilter("ignore")
            return yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        found = _DUPLICATE.search(str(exc.problem))
        key = show(found[1]) if found else "a key"
        what = f"{key} is set twice"
        fix = "keep one of the two lines"
        raise YamlProblem(mark.line, mark.column, what, fix, syntax=False) from None
    except MarkedYAMLError as exc:
        raise _marked(exc, text) from None
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position)
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1)
        what = f"the character U+{exc.character:04X} is not allowed in YAML"
        raise YamlProblem(line, column, what, "delete it") from None
    except RecursionError:
        raise YamlProblem(0, None, "nested too deeply to read", "flatten the nesting") from None
    except Exception as exc:
        # ruamel.yaml is pure Python reading untrusted text: whatever else it raises is a problem
        # of that text, not a reason to crash (it gives no position for these).
        what = f"ruamel.yaml cannot read it ({type(exc).__name__}: {_brief(str(exc))})"
        raise YamlProblem(0, None, what) from None


def _marked(exc: MarkedYAMLError, text: str) -> YamlProblem:
    """A ruamel error with a position, at the most useful of its two marks."""
    mark = exc.problem_mark or exc.context_mark
    at_end = mark is not None and getattr(mark, "index", 0) >= len(text.rstrip())
    if exc.context_mark is not None and (mark is None or at_end):
        mark = exc.context_mark  # "end of stream" says little; where the unclosed thing opened does
    what = ", ".join(_brief(str(p)) for p in (exc.context, exc.problem) if p) or "unreadable"
    fix = _HINTS.get(str(exc.context)) or _HINTS.get(str(exc.problem)) or _FIX
    if mark is None:
        return YamlProblem(0, None, what, fix)
    if mark.column > _MAX_KEY and exc.problem == "mapping values are not allowed here":
        index = getattr(mark, "index", 0)
        before = text[text.rfind("\n", 0, index) + 1 : index].strip()
        if len(before) > _MAX_KEY and ": " not in before:
            what = f"the key {show(before)} is longer than the {_MAX_KEY} characters YAML allows"
            fix = "shorten it"
    return YamlProblem(mark.line, mark.column, what, fix)


def _check_depth(text: str) -> None:
    """Refuse flow collections nested past :data:`MAX_FLOW_DEPTH`.

    Brackets in comment lines do not count; those in text do (a cheap over-count: a value would
    need over 100 unclosed brackets to be refused).
    """
    depth = line = 0
    code = _COMMENT_LINE.sub("", text)
    for found in _FLOW.finditer(code):
        char = found[0]
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                column = found.start() - (code.rfind("\n", 0, found.start()) + 1)
                what = f"'[' and '{{' nested more than {MAX_FLOW_DEPTH} levels deep"
                raise YamlProblem(line, column, what, "flatten the nesting")
        else:
            depth = max(depth - 1, 0)


def _brief(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:157] + "..."


def plain(value: Any) -> Any:
    """``value`` with ruamel's types replaced by Python's, one level of containers deep.

    Scalars become ``bool``, ``int``, ``float`` or ``str`` (a tagged scalar its text); a list
    becomes a ``list`` of converted scalars, in which nested lists and mappings stay shallow
    copies (enough to report "is a list", and a recursive alias cannot loop here); a mapping
    becomes a shallow ``dict``.
    """
    if isinstance(value, list):
        return [_shallow(v) if isinstance(v, list | dict) else _scalar(v) for v in value]
    if isinstance(value, dict):
        return _shallow(value)
    return _scalar(value)


def _shallow(value: list | dict) -> list | dict:
    return list(value) if isinstance(value, list) else dict(value)


def _scalar(value: Any) -> Any:
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, bool | ScalarBoolean):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, TaggedScalar):
        return _scalar(value.value)
    return value


def has_surrogate(value: Any) -> bool:
    """Whether a plain value holds a lone surrogate (from a ``"\\ud800"`` escape): not a character,
    so it could not be hashed, stored or printed as UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(isinstance(v, str) and _SURROGATE.search(v) for v in value)
    return False


class Keys:
    """Where a document's mapping keys sit: for each line, the leftmost key on it and its mapping.

    ``collections`` is the mapping under the top-level ``collections:`` key (or None).
    """

    def __init__(self, doc: Any) -> None:
        self.root = doc
        found = doc.get("collections") if isinstance(doc, dict) else None
        self.collections = found if isinstance(found, dict) else None
        self._at: dict[int, tuple[int, dict, Any]] = {}
        stack, seen = [doc], set()
        while stack:  # iterative, and each container once: aliases may make the tree a graph
            node = stack.pop()
            if id(node) in seen or not isinstance(node, list | dict):
                continue
            seen.add(id(node))
            if isinstance(node, dict):
                for key, where in _positions(node).items():
                    line, column = where[0], where[1]
                    if line not in self._at or column < self._at[line][0]:
                        self._at[line] = (column, node, key)
                stack.extend(node.values())
            else:
                stack.extend(node)

    def at(self, line: int) -> tuple[dict, Any] | None:
        """``(mapping, key)`` of the leftmost key on ``line`` (0-based), or None."""
        found = self._at.get(line)
        return None if found is None else found[1:]


def key_line(mapping: Any, key: Any) -> int | None:
    """The 0-based line of ``key`` in a round-trip mapping (None for a key merged in by ``<<``)."""
    where = _positions(mapping).get(key)
    return None if where is None else where[0]


def _positions(mapping: Any) -> dict:
    """ruamel's ``{key: [line, column, value line, value column]}`` of a round-trip mapping."""
    return getattr(getattr(mapping, "lc", None), "data", None) or {}

"""Kometa files read with ruamel.yaml: problems at the user's line, ruamel's types made plain.

Syntax errors in a KOMETA-AI block or in the Kometa file around it, values ruamel cannot convert
and pathological nesting are each one ``file:line`` problem (never a traceback); values come out as
plain Python types; ruamel.yaml is imported only when a Kometa file with a block is read.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from core.config.entry import ConfigWarning, Problems
from core.config.files import load_collections
from core.config.kometa_blocks import read_kometa
from core.errors import ConfigError

END = "  # === END KOMETA-AI ===\n"


def kometa(block: str = "", below: str = "  Noir:\n    radarr_taglist: KAI-noir\n") -> str:
    """A Kometa file: ``collections:``, a block with ``prompt: p`` and ``block``, then ``below``."""
    return "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n" + block + END + below


def problem(tmp_path: Path, text: str) -> str:
    path = tmp_path / "movies.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_collections(path)
    message = str(info.value)
    prefix = f"{path}:"
    assert message.startswith(prefix), message
    return message[len(prefix) :]


YAML_PROBLEMS = [
    pytest.param(
        kometa(below="  Noir:\n    radarr_taglist: [a\n"),
        "6: invalid YAML in the Kometa file: while parsing a flow sequence, expected ',' or ']', "
        "but got '<stream end>' (column 21); fix the syntax there",
        id="file-syntax",
    ),
    pytest.param(
        kometa(below="  Noir:\n    a: b\n  Noir:\n    c: d\n"),
        "7: invalid YAML in the Kometa file: 'Noir' is set twice (column 3); "
        "keep one of the two lines",
        id="file-duplicate-key",
    ),
    pytest.param(
        kometa(below="  Noir:\n    a: b\n---\nx: 1\n"),
        "7: invalid YAML in the Kometa file: expected a single document in the stream, but found "
        "another document (column 1); fix the syntax there",
        id="file-two-documents",
    ),
    pytest.param(
        kometa(below="  Noir:\n    summary: a\x0cb\n"),
        "6: invalid YAML in the Kometa file: the character U+000C is not allowed in YAML "
        "(column 15); delete it",
        id="file-control-character",
    ),
    pytest.param(
        kometa(below="  " + "B" * 2000 + ":\n    a: b\n"),
        "5: invalid YAML in the Kometa file: the key 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB...' "
        "is longer than the 1024 characters YAML allows (column 2003); shorten it",
        id="file-key-too-long",
    ),
    pytest.param(
        kometa(below="  Noir:\n    a: " + "[" * 5000 + "\n"),
        "6: invalid YAML in the Kometa file: '[' and '{' nested more than 100 levels deep "
        "(column 108); flatten the nesting",
        id="file-deep-flow",
    ),
    pytest.param(
        kometa(below="  Noir:\n" + "".join(" " * (4 + i) + f"k{i}:\n" for i in range(400))),
        "1: invalid YAML in the Kometa file: nested too deeply to read; flatten the nesting",
        id="file-deep-blocks",
    ),
    pytest.param(
        kometa("  # candidate_genres: " + "[" * 5000 + "\n"),
        "4: invalid YAML in the KOMETA-AI block: '[' and '{' nested more than 100 levels deep "
        "(column 123); flatten the nesting",
        id="block-deep-flow",
    ),
    pytest.param(
        kometa("  # candidate_genres:\n" + "".join(f"  # {' ' * i}- \n" for i in range(1, 400))),
        "3: invalid YAML in the KOMETA-AI block: nested too deeply to read; flatten the nesting",
        id="block-deep-blocks",
    ),
    pytest.param(
        kometa("  #\tenabled: true\n"),
        "4: invalid YAML in the KOMETA-AI block: while scanning for the next token, found "
        "character '\\t' that cannot start any token (column 4); indent with spaces, not tabs",
        id="block-tab",
    ),
    pytest.param(
        kometa("  # priority: !!int abc\n"),
        "4: invalid YAML in the KOMETA-AI block: cannot read 'abc' as int (column 15); "
        "fix the syntax there",
        id="block-bad-tagged-value",
    ),
    pytest.param(
        kometa("  # priority: 0x_\n"),
        "4: invalid YAML in the KOMETA-AI block: cannot read '0x_' as int (column 15); "
        "fix the syntax there",
        id="block-bad-hex",  # ruamel raised IndexError on this one
    ),
    pytest.param(
        kometa("  # enabled: true\n  # candidate_genres: [Crime,\n  #   Drama\n"),
        "5: invalid YAML in the KOMETA-AI block: while parsing a flow sequence, expected ',' or "
        "']', but got '<stream end>' (column 23); fix the syntax there",
        id="block-unclosed-list",
    ),
    pytest.param(
        kometa('  # enabled: true\n  # candidate_genres: "Crime,\n  #   Drama\n'),
        "5: invalid YAML in the KOMETA-AI block: while scanning a quoted scalar, found "
        "unexpected end of stream (column 23); close the quote",
        id="block-unclosed-quote-over-lines",
    ),
    pytest.param(
        "collections:\n  # === KOMETA-AI ===\n  # just some text\n" + END + "  Noir:\n    a: b\n",
        "3: expected 'field: value', found 'just some text'; "
        "write one 'field: value' per line, all in the same column",
        id="block-not-a-mapping",
    ),
    pytest.param(
        kometa("  # ? [a, b]\n  # : c\n"),
        "4: a field of the KOMETA-AI block is named by a list or a mapping; "
        "write one 'field: value' per line",
        id="block-complex-key",
    ),
    pytest.param(
        kometa(below="  ? {a: 1}\n  : b\n"),
        "5: expected the collection's key after the KOMETA-AI block, found '? {a: 1}'; "
        "put the block right above the collection's key",
        id="complex-collection-key",
    ),
    pytest.param(
        kometa('  # candidate_genres: ["Crime", "\\ud800"]\n'),
        "4: candidate_genres has a \\u escape of a lone surrogate, which is not a character; "
        "remove it, or write the character itself",
        id="block-lone-surrogate",
    ),
    pytest.param(
        kometa(below='  "No\\udc00ir":\n    a: b\n'),
        "5: the collection key 'No\\udc00ir' has a \\u escape of a lone surrogate, which is not a "
        "character; remove it, or write the character itself",
        id="key-lone-surrogate",
    ),
    pytest.param(
        kometa(f"  # candidate_genres: !!binary {base64.b64encode(b'x' * 900).decode()}\n"),
        "4: candidate_genres of 'Noir' is b'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...; "
        'write a list of genre names, e.g. ["Crime", "Drama"]',
        id="block-binary-shown-briefly",
    ),
    pytest.param(
        kometa("  # candidate_year_min: 2001-13-45\n"),
        "4: candidate_year_min of 'Noir' is '2001-13-45', not a whole number; write one, e.g. 1990",
        id="block-date-stays-text",  # ruamel's timestamp raised ValueError on this one
    ),
    pytest.param(
        "templates:\n  # === KOMETA-AI ===\n  # prompt: p\n" + END + "  AI:\n    a: b\n",
        "5: the KOMETA-AI block sits above 'AI', which is not a collection under 'collections:'; "
        "move it right above the collection's key",
        id="above-a-template",
    ),
    pytest.param(
        "collections:\n  Noir:\n    # === KOMETA-AI ===\n    # prompt: p\n"
        "    # === END KOMETA-AI ===\n    radarr_taglist: x\n",
        "6: the KOMETA-AI block sits above 'radarr_taglist', which is not a collection under "
        "'collections:'; move it right above the collection's key",
        id="inside-a-collection",
    ),
    pytest.param(
        kometa(below="  - Noir\n"),
        "5: expected the collection's key after the KOMETA-AI block, found '- Noir'; "
        "put the block right above the collection's key",
        id="above-a-list-item",
    ),
    pytest.param(
        kometa(below="  Noir:\n    radarr_taglist: [KAI-a, [b]]\n"),
        "6: radarr_taglist of 'Noir' holds a list or a mapping, not tags; "
        "set it to the collection's tag, e.g. KAI-<name>",
        id="taglist-nested",
    ),
]


@pytest.mark.parametrize(("text", "expected"), YAML_PROBLEMS)
def test_yaml_problem_at_its_line(tmp_path, text, expected):
    assert problem(tmp_path, text) == expected


def test_values_are_plain_python(tmp_path):
    """ruamel's ScalarBoolean/ScalarFloat/LiteralScalarString/CommentedSeq do not leak out."""
    path = tmp_path / "movies.yml"
    path.write_text(
        textwrap.dedent(
            """\
            collections:
              # === KOMETA-AI ===
              # enabled: &on true
              # confidence_threshold: &t 0.85
              # priority: 0o17
              # candidate_genres: !!str Crime, Drama
              # candidate_exclude_genres: [&h Horror, *h]
              # candidate_year_max: 1_999
              # prompt: !custom |
              #   Noir.
              # === END KOMETA-AI ===
              1984:
                radarr_taglist: &tag KAI-orwell
                sort_title: &tag again
            """
        ),
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a reused anchor makes ruamel warn; nothing may show
        # but the YAML-only syntax here is read otherwise by Kometa-AI, which reelscale says
        warnings.simplefilter("ignore", ConfigWarning)
        (c,) = load_collections(path)
    assert (c.name, c.tag, c.prompt, c.priority, c.year_max) == (
        "1984",
        "kai-orwell",
        "Noir.",
        15,
        1999,
    )
    assert c.genres_any == ("Crime", "Drama") and c.genres_none == ("Horror", "Horror")
    assert [type(v) for v in (c.enabled, c.confidence_threshold, c.priority, c.prompt)] == [
        bool,
        float,
        int,
        str,
    ]
    assert json.loads(json.dumps(c.as_dict())) == c.as_dict()


@pytest.mark.parametrize(
    "below",
    [
        "  Noir: {radarr_taglist: [KAI-flow], sync_mode: sync}\n",
        "  Noir:\n    <<: *base\n    sync_mode: sync\n",
        "  Noir:\n    radarr_taglist:\n      - favourites\n      - KAI-flow\n",
    ],
    ids=["flow-mapping", "merged-from-an-anchor", "block-list"],
)
def test_taglist_from_the_parsed_document(below):
    text = "base: &base\n  radarr_taglist: KAI-flow\n" + kometa(below=below)
    problems = Problems()
    (entry,) = read_kometa("movies.yml", text, problems)
    assert problems.error() is None
    assert entry.fields["tag"].value == "KAI-flow"
    lines = text.split("\n")
    assert (
        "radarr_taglist" in lines[entry.fields["tag"].line - 1]
        or "Noir"
        in (
            lines[entry.fields["tag"].line - 1]  # merged in: the collection key's line
        )
    )


def test_line_breaks_ruamel_scans_are_lines_here():
    r"""NEL, LS and PS end a line for ruamel's scanner (its marks do not count them): they are
    lines here, so the line of a problem and of a collection key are the scanner's."""
    problems = Problems()
    text = kometa(below="  Noir:\n    a: b\u2028  Dark:\n    radarr_taglist: [x\n")
    read_kometa("movies.yml", text, problems)
    assert str(problems.error()).startswith("movies.yml:8: invalid YAML in the Kometa file")
    text = kometa(below="  Noir:\n    a: b\x85  Other: {}\n") + kometa(below="  Dark: {}\n")[12:]
    noir, dark = read_kometa("movies.yml", text, problems := Problems())
    assert problems.error() is None
    assert [e.fields["name"].line for e in (noir, dark)] == [5, 12]


def test_ruamel_is_imported_only_to_read_a_kometa_file(tmp_path):
    toml = tmp_path / "reelscale.toml"
    toml.write_text('[[collection]]\nname = "A"\nprompt = "p"\n', encoding="utf-8")
    plain = tmp_path / "plain.yml"
    plain.write_text("collections:\n  Noir:\n    radarr_taglist: KAI-noir\n", encoding="utf-8")
    blocks = tmp_path / "blocks.yml"
    blocks.write_text(kometa(), encoding="utf-8")
    (tmp_path / "movies").mkdir()
    (tmp_path / "movies" / "Alien.1979.1080p.BluRay.x264-GRP.mkv").write_bytes(b"x")
    script = textwrap.dedent(
        """\
        import sys
        from click.testing import CliRunner
        from core.cli import cli

        def ruamel():
            return any(name.startswith("ruamel") for name in sys.modules)

        toml, plain, blocks, movies, db = sys.argv[1:]
        runnable = {
            "RADARR_URL": "http://radarr.invalid:7878",
            "RADARR_API_KEY": "0123456789abcdef",
            "ANTHROPIC_API_KEY": "sk-test-0123456789",
        }
        seen = []
        for args, code in (
            (["parse", "Alien.1979.1080p.BluRay.x264-GRP.mkv"], 0),
            (["scan", movies, "--db", db], 0),
            (["config", "check", "--config", toml], 0),
            (["config", "check", "--config", plain], 2),  # no collection in it: run refuses
            (["config", "check", "--config", blocks], 2),  # its block is not enabled
        ):
            result = CliRunner().invoke(cli, args, env=runnable)
            assert result.exit_code == code, (args, result.output)
            seen.append(ruamel())
        print(seen)
        """
    )
    args = [toml, plain, blocks, tmp_path / "movies", tmp_path / "state.db"]
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[-2] == "[False, False, False, False, True]"

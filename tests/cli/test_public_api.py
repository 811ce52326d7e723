import core
import core.pipeline.classify
import core.pipeline.enrich.stage
import core.pipeline.plan.stage


def test_public_names_are_pinned():
    assert core.__all__ == ["ReelscaleError", "Store", "load_collections", "open_store", "scan"]
    assert all(callable(getattr(core, name)) for name in core.__all__)
    assert core.pipeline.classify.__all__ == ["classify"] and callable(
        core.pipeline.classify.classify
    )
    assert callable(core.pipeline.enrich.stage.enrich) and callable(core.pipeline.plan.stage.plan)


def test_parse_and_scan_load_neither_pydantic_nor_the_sdk(tmp_path):
    """The commands that only read names start fast: the configuration's validation library and
    the Claude SDK are loaded by the commands that need them."""
    import subprocess
    import sys

    (tmp_path / "movies").mkdir()
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from core.cli import cli\n"
        "scan = ['scan', sys.argv[1], '--db', sys.argv[2]]\n"
        "for args in (['parse', 'Alien.1979.1080p.mkv'], scan):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
        "print(sorted(m for m in ('pydantic', 'anthropic', 'httpx') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "movies"), str(tmp_path / "r.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

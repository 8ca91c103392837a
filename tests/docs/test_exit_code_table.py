"""docs/guides/cli.md shows the exit-code table the code uses (`EXIT_CODE_MEANINGS`), and
the exception of `ssh -- CMD`, which takes 255 for the tool's own failures."""

from __future__ import annotations

from pathlib import Path

from gpueater_ext.cli._exit import EXIT_CODE_MEANINGS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "cli.md"


def test_the_cli_guide_shows_the_table_the_code_uses():
    section = PAGE.read_text(encoding="utf-8").split("## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    for code, meaning in EXIT_CODE_MEANINGS.items():
        assert f"| {int(code)} | {meaning} |" in section, code
    assert "255" in section

"""docs/operations.md lists every environment variable the site reads, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from joinedup.site.environment import VARIABLES

OPERATIONS = Path(__file__).resolve().parent.parent / "docs" / "operations.md"


def _listed() -> list[str]:
    text = OPERATIONS.read_text("utf-8")
    section = text.split("\n## Every environment variable\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z0-9_]+)` \|", section, flags=re.MULTILINE)


def test_every_environment_variable_is_in_the_operators_table() -> None:
    listed = _listed()
    missing = [name for name in VARIABLES if name not in listed]
    assert not missing, f"add to docs/operations.md, 'Every environment variable': {missing}"


def test_the_table_names_no_variable_that_is_not_read() -> None:
    listed = _listed()
    assert len(listed) == len(set(listed))
    unknown = [name for name in listed if name not in VARIABLES]
    assert not unknown, f"not read by the site (src/joinedup/site/environment.py): {unknown}"

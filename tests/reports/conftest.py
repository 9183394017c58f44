"""Results shared by the report tests, analysed once per session."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reports import support


@pytest.fixture(scope="session")
def northshire() -> dict[str, Any]:
    return support.northshire()


@pytest.fixture(scope="session")
def sectors() -> dict[str, str]:
    return support.northshire_sectors()


@pytest.fixture(scope="session")
def small() -> dict[str, Any]:
    return support.small_partnership()


@pytest.fixture(scope="session")
def forty(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A synthetic partnership of 40 organisations and 1,200 respondents."""
    return support.synthetic(tmp_path_factory.mktemp("forty"), organisations=40, respondents=1200)

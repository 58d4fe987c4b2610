"""The tests of the installed idemsql wheel (scripts/test-python.sh builds it and installs it
into a fresh virtual environment; they never import python/idemsql from the source tree)."""

from __future__ import annotations

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def repo() -> pathlib.Path:
    """The repository's root, for its examples."""
    return REPO


def pytest_report_header() -> str:
    import idemsql

    return f"idemsql {idemsql.__version__} from {os.path.dirname(idemsql.__file__)}"

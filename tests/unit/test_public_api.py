"""The package's public API: every name in __all__ resolves, and importing it stays cheap."""

from __future__ import annotations

import subprocess
import sys

import searchidx


def test_every_public_name_resolves() -> None:
    for name in searchidx.__all__:
        assert getattr(searchidx, name) is not None, name


def test_unknown_names_raise_attribute_error() -> None:
    try:
        searchidx.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("an unknown name resolved")


def test_importing_the_package_loads_no_index_code() -> None:
    code = "import sys, searchidx; print('whoosh' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

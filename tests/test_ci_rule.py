"""Under CI=true a skipped test fails (the CI machine can run everything); elsewhere it skips."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

_TESTS = """
import pytest

def test_needs_the_corpus():
    pytest.skip("../shared/corpus is not present")

@pytest.mark.skipif(True, reason="marker skip")
def test_marked():
    pass

@pytest.mark.xfail(reason="known", strict=True)
def test_known_bug():
    assert False

def test_fine():
    pass
"""


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest("from tests.conftest import pytest_runtest_makereport  # noqa: F401")
    pytester.makepyfile(test_inner=_TESTS)
    return pytester


def test_skips_fail_under_ci(inner: pytest.Pytester, monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = inner.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1, errors=1, xfailed=1)
    result.stdout.fnmatch_lines(["*skipped under CI=true*corpus is not present*"])


@pytest.mark.parametrize("value", [None, "1"])
def test_skips_stay_skips_elsewhere(inner: pytest.Pytester, monkeypatch, value) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    result = inner.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)

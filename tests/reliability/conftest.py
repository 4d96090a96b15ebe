"""Fault-injection suite set-up: the case | expected | result table.

Every reliability test asks for the ``case`` fixture and says, in a few
words, what fault it injects and what the user should see; the outcome
(and any figure the test measured, e.g. the soak's memory growth) is
collected and printed as one table at the end of the run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The GUI tests' mouse helpers (real QMouseEvents through QApplication.sendEvent).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gui"))


@dataclass
class Case:
    """One reliability case as it appears in the summary table."""

    description: str
    expected: str
    details: list[str] = field(default_factory=list)
    result: str = "not run"
    #: Set by tests that check several cases in one go; else the test's outcome.
    own_result: str | None = None

    def note(self, text: str) -> None:
        """Add a measured figure or fact to the result column."""
        self.details.append(text)

    def check(self, failures: list[str], test) -> None:
        """Run ``test()`` for this case; record its own result, collect a failure."""
        try:
            test()
        except AssertionError as exc:
            first = (str(exc).strip().splitlines() or ["assertion failed"])[0]
            self.own_result = "failed"
            self.note(first[:100])
            failures.append(f"{self.description}: {first}")
        else:
            self.own_result = "passed"


_CASES: list[Case] = []
_case_key = pytest.StashKey[list[Case]]()


@pytest.fixture
def case(request: pytest.FixtureRequest):
    """Register a case in the summary table: ``case("what", "expected")``.

    A test may register several (one per input it checks, with
    :meth:`Case.check`); otherwise the test's outcome is the case's result.
    """
    entries: list[Case] = []
    request.node.stash[_case_key] = entries

    def register(description: str, expected: str) -> Case:
        entry = Case(description, expected)
        entries.append(entry)
        _CASES.append(entry)
        return entry

    return register


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    for entry in item.stash.get(_case_key, []):
        if report.when == "call" or (report.when == "setup" and not report.passed):
            outcome = "skipped" if report.skipped else report.outcome
            entry.result = entry.own_result or outcome
        elif report.when == "teardown" and report.failed:
            entry.result = "error in teardown"
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    if not _CASES:
        return
    rows = [
        (
            entry.description,
            entry.expected,
            entry.result.upper() + ("; " + "; ".join(entry.details) if entry.details else ""),
        )
        for entry in _CASES
    ]
    headers = ("case", "expected", "result")
    widths = [min(60, max(len(headers[i]), *(len(row[i]) for row in rows))) for i in range(2)]
    terminalreporter.section("reliability cases")
    terminalreporter.write_line(f"{headers[0]:<{widths[0]}} | {headers[1]:<{widths[1]}} | result")
    terminalreporter.write_line(f"{'-' * widths[0]}-+-{'-' * widths[1]}-+-{'-' * 20}")
    for description, expected, result in rows:
        terminalreporter.write_line(
            f"{description:<{widths[0]}} | {expected:<{widths[1]}} | {result}"
        )
    passed = sum(entry.result == "passed" for entry in _CASES)
    terminalreporter.write_line(f"{passed} of {len(_CASES)} reliability cases passed")

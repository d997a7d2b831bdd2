"""Shared fixtures of the conformance tests and the end-of-run list of recorded behaviours covered.

A test states first what it checks with the `covered` fixture; the statement is kept on the test's
report (user_properties), and the summary lists it as covered only when that test passed (as not
verified when it failed). What a test knowingly leaves unchecked (no recorded exchange shows it) it
states with the `not_verified` fixture: the summary lists that as not verified whatever the outcome.
"""

import pytest

COVERS = 'covers'
LEAVES_OPEN = 'leaves open'


@pytest.fixture
def covered(request):
    """covered(text): note one recorded behaviour this test checks (call it before the checks)."""
    def note(text):
        request.node.user_properties.append((COVERS, text))
    return note


@pytest.fixture
def not_verified(request):
    """not_verified(text): note what this test cannot check against a recording, and why."""
    def note(text):
        request.node.user_properties.append((LEAVES_OPEN, text))
    return note


def _notes(reports, kind):
    seen = []
    for report in reports:
        if getattr(report, 'when', None) != 'call':
            continue
        for key, text in getattr(report, 'user_properties', ()):
            if key == kind and (text, report.nodeid) not in seen:
                seen.append((text, report.nodeid))
    return seen


def _texts(notes):
    texts = []
    for text, _nodeid in notes:
        if text not in texts:
            texts.append(text)
    return texts


def pytest_terminal_summary(terminalreporter):
    """Print which recorded Auth0 behaviours the passing tests cover, one line each, then what none covers."""
    stats = terminalreporter.stats
    passed = _notes(stats.get('passed', []), COVERS)
    failed = _notes(stats.get('failed', []), COVERS)
    left_open = _notes(stats.get('passed', []) + stats.get('failed', []), LEAVES_OPEN)
    if not (passed or failed or left_open):
        return
    terminalreporter.section('recorded Auth0 behaviours (go-auth0 v1.45.0 and terraform-provider-auth0 2026 cassettes)')
    for text in _texts(passed):
        terminalreporter.line('COVERED      %s' % text)
    for text, nodeid in failed:
        terminalreporter.line('NOT VERIFIED %s  [%s failed]' % (text, nodeid))
    for text in _texts(left_open):
        terminalreporter.line('NOT VERIFIED %s' % text)

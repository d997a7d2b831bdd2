"""Shared fixtures of the conformance tests and the end-of-run list of recorded behaviours covered.

A test states first what it checks with the `covered` fixture; the statement is kept on the test's
report (user_properties), and the summary lists it as covered only when that test passed (as not
verified when it failed).
"""

import pytest

COVERS = 'covers'


@pytest.fixture
def covered(request):
    """covered(text): note one recorded behaviour this test checks (call it before the checks)."""
    def note(text):
        request.node.user_properties.append((COVERS, text))
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


def pytest_terminal_summary(terminalreporter):
    """Print which recorded Auth0 behaviours the passing tests cover, one line each."""
    stats = terminalreporter.stats
    passed = _notes(stats.get('passed', []), COVERS)
    failed = _notes(stats.get('failed', []), COVERS)
    if not (passed or failed):
        return
    terminalreporter.section('recorded Auth0 behaviours (go-auth0 v1.45.0 cassettes)')
    texts = []
    for text, _nodeid in passed:
        if text not in texts:
            texts.append(text)
    for text in texts:
        terminalreporter.line('COVERED      %s' % text)
    for text, nodeid in failed:
        terminalreporter.line('NOT VERIFIED %s  [%s failed]' % (text, nodeid))

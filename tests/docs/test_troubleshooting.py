"""Every failure message the collection can produce has its row on the troubleshooting page.

The messages are collected from plugins/ with ast, never by importing it: the first argument of each call to
one of the collection's exceptions, to ansible-core's AnsibleParserError / AnsibleLookupError, to
fail_json(msg=...) and to missing_required_lib(...), plus the "... was not found" leads that the 404
message is built around. A message is reduced to its lead: its text up to the first clause end
('. ', '; ', ': ', ' (') after its first three
words, at most eight words, with every %-placeholder (or f-string field) read as
"anything". The lead must appear on docs/docsite/rst/guide_troubleshooting.rst, in order, with any
text where the placeholders are (the page writes them as "..." or as an example value).

A new message in plugins/ fails this test until the page has a row for it; the failure lists each
missing lead and where it comes from.
"""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PLUGINS = REPO / 'plugins'
PAGE = REPO / 'docs' / 'docsite' / 'rst' / 'guide_troubleshooting.rst'

# Calls whose first argument (or msg=) is a message a user can see.
MESSAGE_CALLS = {
    'Auth0Error', 'Auth0ConfigError', 'Auth0APIError', 'Auth0ConnectionError', 'Auth0ResponseError',
    'Auth0RateLimitError', 'AnsibleParserError', 'AnsibleLookupError', 'AnsibleError', 'AnsibleOptionsError',
    'fail_json', 'missing_required_lib',
}
# Variables and functions that hold the lead of a message finished elsewhere ('%s (HTTP 404: %s)' % (not_found, ...)).
LEAD_NAMES = re.compile(r'(^|_)not_found$', re.IGNORECASE)
# An endpoint's description (plugins/module_utils/_endpoints.py) holds its 404 lead as this argument.
ENDPOINT_NOT_FOUND_ARGUMENT = 5
PLACEHOLDER = '\x00'
MIN_WORDS = 3
MAX_WORDS = 8


def _text(node):
    """The string a node builds, placeholders as PLACEHOLDER; None when it is not built from literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.sub(r'%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?[srdifgexXc%]',
                      lambda match: '%' if match.group(0) == '%%' else PLACEHOLDER, node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _text(node.left)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return (left if left is not None else PLACEHOLDER) + (right if right is not None else PLACEHOLDER)
    if isinstance(node, ast.JoinedStr):
        return ''.join(part.value if isinstance(part, ast.Constant) else PLACEHOLDER for part in node.values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'format':
        text = _text(node.func.value)
        return None if text is None else re.sub(r'\{[^}]*\}', PLACEHOLDER, text)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == 'missing_required_lib':
        return "Failed to import the required Python library (" + PLACEHOLDER
    return None


def _template_text(node):
    """_text of a lead that is filled in with str.format (the endpoints' 404 wording): {fields} are placeholders."""
    text = _text(node)
    return None if text is None else re.sub(r'\{[^}]*\}', PLACEHOLDER, text)


def _call_name(node):
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _message_argument(call):
    for keyword in call.keywords:
        if keyword.arg == 'msg':
            return keyword.value
    return call.args[0] if call.args else None


def _where_in(path):
    def where(node):
        return '%s:%d' % (path.relative_to(REPO), node.lineno)
    return where


def messages():
    """(lead text, 'path:line') of every message in plugins/; unresolved arguments as (None, where)."""
    found = []
    for path in sorted(PLUGINS.rglob('*.py')):
        tree = ast.parse(path.read_text(encoding='utf-8'), filename=str(path))
        where = _where_in(path)
        assigned = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in MESSAGE_CALLS:
                argument = _message_argument(node)
                if argument is None:
                    continue
                if _call_name(node) == 'missing_required_lib':
                    found.append((_text(node), where(node)))
                    continue
                if isinstance(argument, ast.Call) and _call_name(argument) == 'missing_required_lib':
                    continue  # collected as a call of its own
                if isinstance(argument, ast.Name) and argument.id in assigned:
                    # message = '...' % (...); raise Auth0ConfigError(message)
                    found.extend((_text(value), where(node)) for value in assigned[argument.id])
                    continue
                found.append((_text(argument), where(node)))
            elif (isinstance(node, ast.Call) and _call_name(node) == 'Endpoint'
                  and len(node.args) > ENDPOINT_NOT_FOUND_ARGUMENT):
                argument = node.args[ENDPOINT_NOT_FOUND_ARGUMENT]
                # A named lead is collected where it is assigned; an attribute copies another endpoint's.
                if not isinstance(argument, (ast.Name, ast.Attribute)):
                    found.append((_template_text(argument), where(node)))
            elif isinstance(node, ast.Assign) and any(LEAD_NAMES.search(getattr(target, 'id', '')) for target in node.targets):
                found.append((_template_text(node.value), where(node)))
            elif isinstance(node, ast.FunctionDef) and LEAD_NAMES.search(node.name):
                for returned in ast.walk(node):
                    if isinstance(returned, ast.Return) and returned.value is not None:
                        found.append((_text(returned.value), where(returned)))
    return found


def lead(text):
    """The start of a message: up to the first clause end after MIN_WORDS literal words, at most MAX_WORDS words.

    Placeholders at either end are dropped: "%s is empty or not text" is looked for as "is empty or not text".
    """
    for clause_end in re.finditer(r'\.\s|;\s|:\s| \(|\.$', text):
        if len(re.findall(r'[A-Za-z0-9_]+', text[:clause_end.start()])) >= MIN_WORDS:
            text = text[:clause_end.start()]
            break
    text = ' '.join(text.split(' ')[:MAX_WORDS])
    return text.strip(' ,' + PLACEHOLDER)


def pattern(text):
    """A regex for the lead on the page: literal words in order, anything (within a row) for a placeholder."""
    parts = [re.escape(' '.join(part.split())) for part in text.split(PLACEHOLDER)]
    return re.compile(r'.{1,80}?'.join(part.replace(r'\ ', r'\s+') for part in parts), re.IGNORECASE)


def page_text():
    """The page as plain text: rst markup that a reader does not see removed, whitespace collapsed."""
    text = PAGE.read_text(encoding='utf-8')
    text = re.sub(r':\w+:`([^`<]*?)(\s*<[^>]*>)?`', r'\1', text)   # :ansopt:`...`, :ref:`title <target>`
    text = text.replace('``', '').replace('\\', '')
    return ' '.join(text.split())


def test_messages_are_collected():
    """The collector still finds the messages it was written for (a refactoring that hides them fails here)."""
    leads = {lead(text) for text, _where in messages() if text}
    for expected in ('No credentials: give', "Auth0's rate limit was hit while", 'TLS failed while',
                     'Organization \x00 was not found', 'Failed to import the required Python library'):
        assert any(found.startswith(expected) for found in leads), (expected, sorted(leads))
    assert len(leads) > 40


def test_every_message_is_resolved():
    unresolved = [where for text, where in messages() if text is None]
    assert not unresolved, ('these calls pass a message this test cannot read; build it from a literal, or teach '
                            'tests/docs/test_troubleshooting.py where it comes from: %s' % unresolved)


def test_every_message_has_a_row_on_the_troubleshooting_page():
    page = page_text()
    missing = {}
    for text, where in messages():
        if text is None:
            continue
        start = lead(text)
        if start and not pattern(start).search(page):
            shown = text.replace(PLACEHOLDER, '...')
            entry = missing.setdefault(start.replace(PLACEHOLDER, '...'), [shown if len(shown) < 100 else shown[:97] + '...'])
            entry.append(where)
    assert not missing, '%s lacks a row for these messages; each needs its lead on the page:\n%s' % (
        PAGE.relative_to(REPO), '\n'.join('  lead %r of %r (%s)' % (start, entry[0], ', '.join(entry[1:]))
                                          for start, entry in sorted(missing.items())))

"""The files the user guide shows, read from its .rst pages.

The guide prints its playbooks inline (GitHub does not render ``literalinclude``), so the .rst is the only copy.
A code block that is a file of its own is marked by an rst comment right before it, which neither GitHub nor
Sphinx shows::

    .. playbook: grant_access.yml

    .. code-block:: yaml+jinja

      - name: ...

``.. playbook: NAME`` marks a playbook the docs suite runs and ansible-lint checks; ``.. file: PATH`` a file a
playbook uses (an inventory source, a vars file), written beside the playbooks under its relative PATH.

Run as a script to write them all into a directory (for ansible-lint): python tests/docs/guide_files.py DEST
"""

import re
import sys
import textwrap
from collections import namedtuple
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / 'docs' / 'docsite' / 'rst'

MARKER = re.compile(r'^\s*\.\. (playbook|file): (\S+)\s*$')
CODE_BLOCK = re.compile(r'^(\s*)\.\. code-block::\s*(\S*)\s*$')

Block = namedtuple('Block', 'page line language text kind name')


def guide_pages():
    return sorted(GUIDE.glob('*.rst'))


def code_blocks(page):
    """Every code block of a page, with the marker (kind, name) before it or (None, None)."""
    lines = page.read_text(encoding='utf-8').splitlines()
    blocks = []
    marker = None
    index = 0
    while index < len(lines):
        line = lines[index]
        match = MARKER.match(line)
        if match:
            marker = (match.group(1), match.group(2), index + 1)
            index += 1
            continue
        block = CODE_BLOCK.match(line)
        if block:
            indent = len(block.group(1))
            index += 1
            # Options (:caption: ...) and blank lines before the content.
            while index < len(lines) and (not lines[index].strip() or lines[index].strip().startswith(':')):
                index += 1
            start = index
            while index < len(lines) and (not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > indent):
                index += 1
            text = textwrap.dedent('\n'.join(lines[start:index])).strip('\n') + '\n'
            kind, name = (marker[0], marker[1]) if marker else (None, None)
            blocks.append(Block(page, start + 1, block.group(2), text, kind, name))
            marker = None
            continue
        if marker and line.strip():
            raise ValueError('%s:%d: the marker ".. %s: %s" is not followed by a code block'
                             % (page.relative_to(REPO), marker[2], marker[0], marker[1]))
        index += 1
    return blocks


def marked_blocks():
    """{name: Block} of every marked block of the guide; a name marked twice is an error."""
    found = {}
    for page in guide_pages():
        for block in code_blocks(page):
            if block.kind is None:
                continue
            if block.name in found:
                raise ValueError('%s is marked twice: %s:%d and %s:%d' % (
                    block.name, found[block.name].page.name, found[block.name].line, page.name, block.line))
            found[block.name] = block
    return found


def playbooks():
    return sorted(name for name, block in marked_blocks().items() if block.kind == 'playbook')


def write_all(destination):
    """Write every marked file under destination (names are relative paths); return their paths."""
    destination = Path(destination)
    written = []
    for name, block in sorted(marked_blocks().items()):
        path = destination / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.text, encoding='utf-8')
        written.append(path)
    return written


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: %s DEST' % sys.argv[0])
    for written in write_all(sys.argv[1]):
        print(written)

# Sphinx configuration of the community.auth0 docs site, built by docs/build.sh.
# Started from `antsibull-docs sphinx-init --use-current community.auth0` (antsibull-docs 2.28.0).
# Differences: project names, and no intersphinx, so the build never goes to the internet; the few
# references into Ansible's own documentation that the generated pages make are resolved by
# sphinx_antsibull_ext or rendered as plain text (see nitpick_ignore_regex).

project = 'community.auth0'
copyright = 'community.auth0 contributors'

title = 'community.auth0 Documentation'
html_short_title = 'community.auth0'
html_title = 'community.auth0 documentation'

extensions = ['sphinx_antsibull_ext']

pygments_style = 'ansible'

highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False

display_version = False

html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = 'any'

nitpicky = True


# Offline stand-in for intersphinx: the generated pages refer to a few labels of Ansible's own
# documentation (docs.ansible.com). They become plain links there, as intersphinx would make them,
# without downloading an inventory. A label missing from this table still fails the build (-W).
ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/devel/'
ANSIBLE_LABELS = {
    'common_return_values': ('reference_appendices/common_return_values.html', 'Return Values'),
    'ansible_configuration_settings': ('reference_appendices/config.html', 'Ansible Configuration Settings'),
}


def _ansible_docs_target(node):
    """(path, title) in Ansible's documentation for a reference Sphinx could not resolve here, else None.

    Ansible's own environment variables (ANSIBLE_*, named by the inventory_cache and constructed options)
    are documented on its configuration page, one envvar target each.
    """
    target = node.get('reftarget')
    if node.get('reftype') in ('ref', 'any') and target in ANSIBLE_LABELS:
        return ANSIBLE_LABELS[target]
    if node.get('reftype') == 'envvar' and target.startswith('ANSIBLE_'):
        return 'reference_appendices/config.html#envvar-' + target, target
    return None


def _ansible_docs_reference(app, env, node, contnode):  # pylint: disable=unused-argument
    from docutils import nodes  # pylint: disable=import-outside-toplevel

    found = _ansible_docs_target(node)
    if found is None:
        return None
    path, title = found
    reference = nodes.reference('', '', internal=False, refuri=ANSIBLE_DOCS + path, reftitle=title)
    reference.append(contnode if node.get('refexplicit') else nodes.inline(title, title))
    return reference


def setup(app):
    app.connect('missing-reference', _ansible_docs_reference)

"""Fixtures for the documentation tests: a local tenant seeded with what the docs name.

The playbook runner is the integration suite's (`run_playbook`, imported, not copied); only the
tenant differs: it holds the organizations that the plugins' EXAMPLES and the user guide name, with
the ids and names they use.
"""

import pytest

from local_tenant import LocalTenant

from integration.conftest import run_playbook  # noqa: F401  pylint: disable=unused-import

# What the documentation names: org_W30Ft8gJJmwlnOHU / travel0-partners (module RETURN sample),
# travel0-staff (org_members lookup), travel0-ops and travel0-deployers (user guide), and the
# metadata plans the inventory examples group by. Members are explicit so that
# the guide's approved_members.yml (guide_use_cases.rst) lists each of them.


def organization(name, display_name, roles, members, org_id=None, **optional):
    """A seeded organization with explicit members, each given as (email, name, [roles]), and optional fields."""
    spec = {'name': name, 'display_name': display_name, 'roles': roles,
            'members': [{'email': email, 'name': full_name, 'roles': member_roles} for email, full_name, member_roles in members]}
    if org_id:
        spec['id'] = org_id
    spec.update(optional)
    return spec


DOCS_SEED = {
    'seed': 'community.auth0 docs',
    # Users of no organization yet, whom auth0_org_members' EXAMPLES and the guide's onboarding add to
    # travel0-contractors (both make it the same membership, so they can run in any order).
    'users': [
        {'user_id': 'auth0|64f1c2e5a9b7c3d2e1f0a9b8', 'email': 'erin.contractor@example.com', 'name': 'Erin'},
        {'user_id': 'auth0|a11ce0000000000000000001', 'email': 'alice.contractor@example.com', 'name': 'Alice'},
        {'user_id': 'auth0|b0b000000000000000000001', 'email': 'bob.contractor@example.com', 'name': 'Bob'},
        {'user_id': 'auth0|ca201000000000000000001', 'email': 'carol.contractor@example.com', 'name': 'Carol'},
    ],
    'organizations': [
        organization('travel0-partners', 'Travel0 Partners', ['admin', 'member'], [
            ('ann.partner@example.com', 'Ann Partner', ['admin']),
            ('bob.partner@example.com', 'Bob Partner', ['member']),
        ], org_id='org_W30Ft8gJJmwlnOHU', metadata={'plan': 'enterprise'},
            branding={'logo_url': 'https://example.com/travel0-partners.png'}),
        organization('travel0-staff', 'Travel0 Staff', ['employee'], [
            ('carla.staff@example.com', 'Carla Staff', ['employee']),
        ], metadata={'plan': 'internal'}),
        organization('travel0-ops', 'Travel0 Operations', ['admin', 'editor', 'viewer'], [
            ('ann.admin@example.com', 'Ann Admin', ['admin']),
            ('ed.editor@example.com', 'Ed Editor', ['editor', 'viewer']),
            ('no.roles@example.com', 'No Roles', []),
        ], metadata={'plan': 'internal'}),
        organization('travel0-deployers', 'Travel0 Deployers', ['deployer', 'releaser'], [
            ('dana.deployer@example.com', 'Dana Deployer', ['deployer']),
            ('rick.releaser@example.com', 'Rick Releaser', ['deployer', 'releaser']),
        ], metadata={'plan': 'internal'}),
        organization('travel0-contractors', 'Travel0 Contractors', ['admin', 'editor', 'viewer'], []),
    ],
}


@pytest.fixture(scope='session')
def tenant():
    """Overrides the integration suite's tenant for `run_playbook` and the tests here."""
    with LocalTenant(seed=DOCS_SEED, tls=True) as running:
        yield running


@pytest.fixture
def auth0_env(tenant):
    """Environment of a job with client credentials; the tenant's CA through REQUESTS_CA_BUNDLE."""
    return {
        'AUTH0_DOMAIN': tenant.domain,
        'AUTH0_CLIENT_ID': tenant.client_id,
        'AUTH0_CLIENT_SECRET': tenant.client_secret,
        'REQUESTS_CA_BUNDLE': tenant.ca_path,
    }

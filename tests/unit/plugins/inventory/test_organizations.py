# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""community.auth0.organizations parsing inventory sources, with HTTP mocked at the requests adapter."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import yaml

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE, DOMAIN, MEMBERS_URL, ORG_ID, ORG_NAME, ORGANIZATION, TOKEN, FakeOrganization, error_body, make_members,
)

PLUGIN = 'community.auth0.organizations'
LIST_URL = BASE + '/api/v2/organizations'
OTHER = {'id': 'org_Otherorg0000000', 'name': 'other-org', 'display_name': 'Other', 'metadata': {'plan': 'free'}}


@pytest.fixture
def parse(tmp_path):
    """Parse a source with these options (plugin, domain and token preset); return the InventoryData.

    use_cache=False is what --flush-cache makes Ansible pass to the plugin.
    """
    def parse_source(name='tenant.auth0.yml', use_cache=True, **options):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(dict({'plugin': PLUGIN, 'domain': DOMAIN, 'token': TOKEN}, **options)))
        plugin = inventory_loader.get(PLUGIN)
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=use_cache)
        if options.get('cache'):
            # What Ansible's inventory manager does after each parse of a caching source.
            plugin.update_cache_if_changed()
        return inventory
    return parse_source


def host_vars(inventory, host):
    return inventory.get_host(host).get_vars()


def listing(api, *organizations):
    api.add('GET', LIST_URL, json={'organizations': list(organizations)})


def test_hosts_and_host_variables(api, parse):
    listing(api, ORGANIZATION)
    FakeOrganization(make_members(3)).register(api)
    inventory = parse()
    assert list(inventory.groups['auth0_organizations'].hosts) == [inventory.get_host(ORG_NAME)]
    variables = host_vars(inventory, ORG_NAME)
    assert variables['auth0_organization'] == ORGANIZATION
    assert variables['auth0_members'] == make_members(3)
    assert variables['auth0_member_count'] == 3
    assert variables['ansible_connection'] == 'local'


def test_organizations_by_reference_hostnames_by_id_without_members(api, parse):
    api.add('GET', LIST_URL + '/name/other-org', json=OTHER)
    api.add('GET', LIST_URL + '/' + ORG_ID, json=ORGANIZATION)
    inventory = parse(organizations=['other-org', ORG_ID, 'other-org'], members=False, hostnames='id')
    assert [host.name for host in inventory.groups['auth0_organizations'].hosts] == [OTHER['id'], ORG_ID]
    assert set(host_vars(inventory, ORG_ID)) >= {'auth0_organization', 'ansible_connection'}
    assert 'auth0_members' not in host_vars(inventory, ORG_ID)
    assert 'auth0_member_count' not in host_vars(inventory, ORG_ID)


def test_values_from_auth0_are_never_templated(api, parse):
    """Compose templates what it is given; a value from Auth0 that looks like a template comes out as it went in."""
    listing(api, dict(ORGANIZATION, display_name='{{ 6 * 7 }}', metadata={'plan': '{{ 6 * 7 }}'}))
    FakeOrganization([dict(make_members(1)[0], name='{{ 6 * 7 }}')]).register(api)
    inventory = parse(compose={'shown_name': 'auth0_members[0].name', 'shown_display': 'auth0_organization'},
                      keyed_groups=[{'key': 'auth0_organization.metadata.plan', 'prefix': 'plan'}], strict=True)
    variables = host_vars(inventory, ORG_NAME)
    assert variables['shown_name'] == '{{ 6 * 7 }}'
    assert variables['shown_display']['display_name'] == '{{ 6 * 7 }}'
    assert '42' not in json.dumps(variables['shown_display'])
    assert not [name for name in inventory.groups if '42' in name]


def test_keyed_groups_groups_and_compose(api, parse):
    listing(api, ORGANIZATION, OTHER)
    inventory = parse(members=False, compose={'ansible_connection': "'ssh'"},
                      groups={'branded': 'auth0_organization.branding is defined'},
                      keyed_groups=[{'key': "auth0_organization.metadata.plan | default('none')", 'prefix': 'plan'}])
    assert [host.name for host in inventory.groups['branded'].hosts] == [ORG_NAME]
    assert [host.name for host in inventory.groups['plan_free'].hosts] == ['other-org']
    assert [host.name for host in inventory.groups['plan_none'].hosts] == [ORG_NAME]
    assert host_vars(inventory, 'other-org')['ansible_connection'] == 'ssh'


def test_a_fresh_cache_is_reused_for_the_same_source_only(api, parse, tmp_path):
    cache = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'))
    listing(api, ORGANIZATION)
    FakeOrganization(make_members(2)).register(api)
    parse(**cache)
    first_calls = len(api.calls)
    assert first_calls == 2
    # Fresh and for the same options: no request.
    assert host_vars(parse(**cache), ORG_NAME)['auth0_members'] == make_members(2)
    assert len(api.calls) == first_calls
    # Other options, or a flushed cache (cache=False from --flush-cache): Auth0 is read again.
    parse(members=False, **cache)
    assert len(api.calls) == first_calls + 1
    parse(use_cache=False, members=False, **cache)
    assert len(api.calls) == first_calls + 2
    # The cache holds what Auth0 returned and a digest of the options, never the token.
    written = ''.join(path.read_text() for path in (tmp_path / 'cache').iterdir())
    assert ORG_ID in written and TOKEN not in written


def test_an_auth0_failure_is_a_parser_error_with_the_clients_message(api, parse):
    refusal = error_body(403, 'Insufficient scope, expected any of: read:organizations', 'insufficient_scope')
    api.add('GET', LIST_URL, status=403, json=refusal)
    with pytest.raises(AnsibleParserError) as raised:
        parse()
    message = str(raised.value)
    assert 'Auth0 refused listing the organizations' in message and 'read:organizations' in message
    assert TOKEN not in message
    # Raised on its own, not chained to the client's exception.
    assert raised.value.__context__ is None and raised.value.__cause__ is None


def test_bad_options_fail_before_any_request(api, parse):
    with pytest.raises(AnsibleParserError) as raised:
        parse(organizations=['Not An Org'])
    assert "org_name 'Not An Org' is not an Auth0 Organization name" in str(raised.value)
    assert len(api.calls) == 0


def test_a_host_name_auth0_did_not_return(api, parse):
    listing(api, {'id': ORG_ID})
    with pytest.raises(AnsibleParserError) as raised:
        parse(members=False)
    assert str(raised.value).startswith("Auth0 returned organization '%s' without a name" % ORG_ID)


@pytest.mark.parametrize('name, accepted', [
    ('tenant.auth0.yml', True), ('auth0.yaml', True), ('tenant.yml', False), ('tenant.auth0.json', False),
])
def test_verify_file(tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text('plugin: %s\n' % PLUGIN)
    assert inventory_loader.get(PLUGIN).verify_file(str(path)) is accepted


def test_members_with_roles_in_one_request(api, parse):
    roles = {'auth0|000000': [{'id': 'rol_admin', 'name': 'admin'}]}
    listing(api, ORGANIZATION)
    FakeOrganization(make_members(1), roles=roles).register(api)
    inventory = parse(include_roles=True, fields=['user_id'])
    assert host_vars(inventory, ORG_NAME)['auth0_members'] == [{'user_id': 'auth0|000000', 'roles': roles['auth0|000000']}]
    assert [call.request.url.split('?')[0] for call in api.calls] == [LIST_URL, MEMBERS_URL]

# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: organizations
short_description: Auth0 Organizations as inventory hosts, with their members as host variables
version_added: 1.0.0
description:
  - Makes each Auth0 Organization of a tenant a host of the group C(auth0_organizations), with the organization
    and its members as host variables, so that plays can run per customer and machine hosts can read who may log
    in from C(hostvars), without a task that reads Auth0 again for every host.
  - The inventory source is a YAML file whose name ends in C(auth0.yml) or C(auth0.yaml), for example
    C(inventory/tenant.auth0.yml), whose O(plugin) is V(community.auth0.organizations).
  - One HTTP session and at most one token request serve the whole inventory; organizations and members are read
    concurrently (O(max_concurrent_requests)), members with roles inline, never one request per member.
  - Host variables per organization are C(auth0_organization) (the organization object as Auth0 returns it, with V(id),
    V(name), V(display_name), and V(branding), V(metadata) and the other fields Auth0 returns when they are set),
    C(auth0_members) (the member list exactly as M(community.auth0.auth0_org_members_info) returns it),
    C(auth0_member_count), and C(ansible_connection=local), since these hosts are not machines (O(compose) can
    override it). With O(members=false), C(auth0_members) and C(auth0_member_count) are not set.
  - Values that come from Auth0 (names, metadata, members) are data, never templates, on every ansible-core
    version.
  - A failure (credentials, scopes, an unknown organization, the network) stops the parse with a message that
    says what was attempted and what to do; it never holds a credential. Ansible reports a source that failed to
    parse as a warning and goes on without its hosts unless C(inventory_any_unparsed_is_failed) (E(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED))
    is set, which is recommended when plays depend on these hosts.
  - With O(cache=true), later inventory loads within O(cache_timeout) send no request at all;
    C(--flush-cache) (of C(ansible-inventory) or C(ansible-playbook)) reads Auth0 again. The cache holds what
    Auth0 returned, never a credential or token, and is reused only for the same domain, organizations and member
    options.
  - Needs the Management API scopes C(read:organizations) and C(read:organization_members);
    C(read:organization_member_roles) with roles.
author:
  - community.auth0 maintainers (@ansible-collections)
extends_documentation_fragment:
  - community.auth0.auth0
  - community.auth0.auth0.token
  - community.auth0.auth0.concurrency
  - community.auth0.auth0.plugins
  - community.auth0.auth0.member_fields
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description:
      - Marks the file as a source for this plugin.
    type: str
    required: true
    choices: [community.auth0.organizations]
  organizations:
    description:
      - The organizations to make hosts of, each an id (V(org_) followed by letters and digits) or a name, in the
        order given.
      - By default every organization of the tenant, listed with checkpoint paging (no 1000-organization cap).
    type: list
    elements: str
  members:
    description:
      - Whether to read each organization's members into C(auth0_members) and C(auth0_member_count).
      - V(false) reads the organizations only, which needs only the scope C(read:organizations).
    type: bool
    default: true
  hostnames:
    description:
      - What names the hosts, the organization's V(name) or its V(id).
    type: str
    choices: [name, id]
    default: name
'''

EXAMPLES = r'''
# inventory/tenant.auth0.yml: every organization of the tenant, with its members and their roles, grouped by
# the plan recorded in each organization's metadata (plan_enterprise, plan_free, ...).
# Credentials come from AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN).
plugin: community.auth0.organizations
domain: travel0.us.auth0.com
include_roles: true
keyed_groups:
  - key: auth0_organization.metadata.plan | default('none')
    prefix: plan
---
# Two organizations, one by name and one by id, as hosts named by id; only the members' ids and emails;
# cached for an hour in JSON files.
plugin: community.auth0.organizations
domain: travel0.us.auth0.com
organizations: [travel0-staff, org_W30Ft8gJJmwlnOHU]
hostnames: id
fields: [user_id, email]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/community.auth0
cache_timeout: 3600
---
# The organizations alone (scope read:organizations), a group of those with branding, and a variable per host.
plugin: community.auth0.organizations
domain: travel0.us.auth0.com
members: false
groups:
  branded: auth0_organization.branding is defined
compose:
  customer_name: auth0_organization.display_name
'''

import hashlib
import json

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.community.auth0.plugins.plugin_utils._auth0_plugin import run_with_client

GROUP = 'auth0_organizations'
MEMBER_OPTIONS = ('fields', 'include_fields', 'include_roles')


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'community.auth0.organizations'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(('auth0.yml', 'auth0.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        entries = run_with_client(self.get_options(), lambda client: self._entries(client, path, cache),
                                  AnsibleParserError)
        self._populate(entries)

    def _entries(self, client, path, use_cache):
        """[{'organization': ..., 'members': [...]}] from the cache when it is fresh and matches, else from Auth0."""
        caching = self.get_option('cache')
        key = self.get_cache_key(path)
        source = self._source(client)
        if caching and use_cache:
            cached = self._cache.get(key)
            if cached and cached.get('source') == source:
                return cached['organizations']
        entries = self._read(client)
        if caching:
            self._cache[key] = {'source': source, 'organizations': entries}
        return entries

    def _source(self, client):
        """A digest of what the entries depend on: a cache entry written for other options is not reused."""
        options = dict((name, self.get_option(name)) for name in ('organizations', 'members') + MEMBER_OPTIONS)
        options['domain'] = client.base_url
        return hashlib.sha256(json.dumps(options, sort_keys=True).encode('utf-8')).hexdigest()

    def _read(self, client):
        references = self.get_option('organizations')
        members = self.get_option('members')
        member_options = dict((name, self.get_option(name)) for name in MEMBER_OPTIONS)
        if not references:
            if not members:
                return [{'organization': organization} for organization in client.organizations()]
            return [_entry(organization) for organization in client.organizations_with_members(**member_options)]
        # One host per organization, however many times the list names it (by id and by name).
        organizations = list(dict((organization['id'], organization)
                                  for organization in client.organizations_by_reference(references)).values())
        if not members:
            return [{'organization': organization} for organization in organizations]
        return [_entry(organization) for organization in client.with_members(organizations, **member_options)]

    def _populate(self, entries):
        strict = self.get_option('strict')
        hostnames = self.get_option('hostnames')
        self.inventory.add_group(GROUP)
        for entry in entries:
            organization = entry['organization']
            if not organization.get(hostnames):
                raise AnsibleParserError('Auth0 returned organization %r without a %s, which names its host; set '
                                         'hostnames to the other choice.' % (organization.get('id'), hostnames))
            host = self.inventory.add_host(organization[hostnames], group=GROUP)
            host_vars = {'auth0_organization': organization, 'ansible_connection': 'local'}
            if 'members' in entry:
                host_vars.update(auth0_members=entry['members'], auth0_member_count=len(entry['members']))
            for name, value in host_vars.items():
                # What Auth0 returned is data: wrap_var keeps ansible-core 2.17 and 2.18 from templating it
                # (2.19 and later never template inventory values a plugin sets).
                self.inventory.set_variable(host, name, wrap_var(value))
            variables = self.inventory.get_host(host).get_vars()
            self._set_composite_vars(self.get_option('compose'), variables, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), variables, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, host, strict=strict)


def _entry(organization_with_members):
    """The cache entry of an organization read with its members: the organization as Auth0 lists it, and the members."""
    organization = dict(organization_with_members)
    members = organization.pop('members')
    del organization['member_count']
    return {'organization': organization, 'members': members}

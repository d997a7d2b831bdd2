# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every community.auth0 module shares: the connection argument spec and the run/exit glue.

For internal collection use only. Kept apart from the client (_auth0.py) so that the client does
not import ansible.module_utils.basic, which lookups and direct callers do not need.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.community.auth0.plugins.module_utils._auth0 import MAX_PAGE_SIZE, MEMBER_FIELDS, Auth0Client
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0Error
from ansible_collections.community.auth0.plugins.module_utils._auth0_masking import register_connection_secrets
from ansible_collections.community.auth0.plugins.module_utils._auth_method_private_key_jwt import (
    HAS_PRIVATE_KEY_JWT_LIBRARIES,
    PRIVATE_KEY_JWT_LIBRARIES,
)
from ansible_collections.community.auth0.plugins.module_utils._authenticator import (
    credential_argument_spec,
    exclusive_options,
    options_required_by,
)
from ansible_collections.community.auth0.plugins.module_utils._connection_options import (
    CONNECTION_OPTIONS,
    resolve_connection,
)
from ansible_collections.community.auth0.plugins.module_utils._transport import HAS_REQUESTS


def connection_argument_spec():
    """Options shared by every module (the community.auth0.auth0 doc fragments), from their declarations.

    Credentials have no env fallback in the spec on purpose: AnsibleModule resolves fallbacks before it
    checks mutually_exclusive, so an AUTH0_API_TOKEN in the environment would clash with
    client_id/client_secret given in the task. resolve_connection() binds them late instead:
    explicit options first, the environment last. Other options fall back to their variable here,
    so that `required` can be checked (resolve_connection() binds the same variables for plugins).
    """
    spec = credential_argument_spec()
    for option in CONNECTION_OPTIONS:
        entry = dict(type=option.type)
        if option.default is not None:
            entry['default'] = option.default
        if option.required:
            entry['required'] = True
        if option.env:
            entry['fallback'] = (env_fallback, [option.env])
        spec[option.name] = entry
    return spec


def page_size_argument_spec():
    """per_page, for the modules that page: Auth0's largest page by default."""
    return dict(per_page=dict(type='int', default=MAX_PAGE_SIZE))


def member_fields_argument_spec():
    """Which member fields to read: see the community.auth0.auth0.member_fields doc fragment."""
    return dict(
        fields=dict(type='list', elements='str', choices=list(MEMBER_FIELDS)),
        include_fields=dict(type='bool', default=True),
        include_roles=dict(type='bool', default=False),
    )


def member_fields_of(params):
    """The member-field options of module.params, as keyword arguments of the client's member reads."""
    return dict((name, params[name]) for name in ('fields', 'include_fields', 'include_roles'))


def auth0_module_kwargs(options, mutually_exclusive=(), required_one_of=()):
    """AnsibleModule keyword arguments: the connection options plus a module's own options."""
    argument_spec = connection_argument_spec()
    argument_spec.update(options)
    return dict(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=exclusive_options() + list(mutually_exclusive),
        # client_id alone is refused by resolve_connection(): it needs a secret or a private key.
        required_by=options_required_by(),
        required_one_of=list(required_one_of),
    )


def run_module(module, operation):
    """Build the client from module.params, run `operation(client)` and exit with its result dict.

    The result's `changed` defaults to False (the info modules). Every Auth0Error becomes fail_json
    with msg, status and error_code, plus whatever the operation recorded in the error's `result`
    (what a half-applied change did apply); nothing else is caught, so a bug still shows as one
    rather than as a misleading message.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'))
    failure = None
    try:
        settings = resolve_connection(module.params.get)
        # Secrets taken from the environment are not module params, so mask them explicitly too
        # (no_log_values before ansible-core 2.22, which reads it no more once the arguments are validated).
        module.no_log_values.update(register_connection_secrets(settings))
        if settings['client_assertion_private_key'] and not HAS_PRIVATE_KEY_JWT_LIBRARIES:
            module.fail_json(msg=missing_required_lib(PRIVATE_KEY_JWT_LIBRARIES))
        result = operation(Auth0Client(**settings))
    except Auth0Error as error:
        failure = error.result_fields()
    # Outside the except block: fail_json would otherwise attach the active exception's traceback.
    if failure:
        module.fail_json(**failure)
    result.setdefault('changed', False)
    module.exit_json(**result)

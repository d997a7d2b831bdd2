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

from ansible_collections.community.auth0.plugins.module_utils._auth0 import (
    ENV_AUDIENCE,
    ENV_DOMAIN,
    HAS_REQUESTS,
    MEMBER_FIELDS,
    Auth0Client,
    Auth0Error,
    resolve_connection,
)
from ansible_collections.community.auth0.plugins.module_utils._auth_method_private_key_jwt import (
    HAS_PRIVATE_KEY_JWT_LIBRARIES,
    PRIVATE_KEY_JWT_LIBRARIES,
    SIGNING_ALGORITHMS,
)


def connection_argument_spec():
    """Options shared by every module: see the community.auth0.auth0 doc fragment.

    Credentials have no env fallback in the spec on purpose: AnsibleModule resolves fallbacks before it
    checks mutually_exclusive, so an AUTH0_API_TOKEN in the environment would clash with
    client_id/client_secret given in the task. resolve_connection() binds them late instead:
    explicit options first, the environment last.
    """
    return dict(
        domain=dict(type='str', required=True, fallback=(env_fallback, [ENV_DOMAIN])),
        token=dict(type='str', no_log=True),
        client_id=dict(type='str'),
        client_secret=dict(type='str', no_log=True),
        client_assertion_private_key=dict(type='str', no_log=True),
        client_assertion_signing_alg=dict(type='str', choices=list(SIGNING_ALGORITHMS)),
        audience=dict(type='str', fallback=(env_fallback, [ENV_AUDIENCE])),
        timeout=dict(type='int', default=30),
        max_retries=dict(type='int', default=5),
        rate_limit_timeout=dict(type='int', default=300),
        max_concurrent_requests=dict(type='int', default=4),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
    )


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
        mutually_exclusive=[('token', 'client_id'), ('token', 'client_secret'), ('token', 'client_assertion_private_key'),
                            ('client_secret', 'client_assertion_private_key')] + list(mutually_exclusive),
        # client_id alone is refused by resolve_connection(): it needs a secret or a private key.
        required_by={'client_secret': 'client_id', 'client_assertion_private_key': 'client_id'},
        required_one_of=list(required_one_of),
    )


def run_module(module, operation):
    """Build the client from module.params, run `operation(client)` and exit with its result dict.

    Every Auth0Error becomes fail_json with msg, status and error_code; nothing else is caught, so
    a bug still shows as one rather than as a misleading message.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'))
    failure = None
    try:
        settings = resolve_connection(module.params.get)
        # Secrets taken from the environment are not module params, so mask them explicitly too.
        module.no_log_values.update(secret for secret in (settings['token'], settings['client_secret'],
                                                          settings['client_assertion_private_key']) if secret)
        if settings['client_assertion_private_key'] and not HAS_PRIVATE_KEY_JWT_LIBRARIES:
            module.fail_json(msg=missing_required_lib(PRIVATE_KEY_JWT_LIBRARIES))
        result = operation(Auth0Client(**settings))
    except Auth0Error as error:
        failure = error.result_fields()
    # Outside the except block: fail_json would otherwise attach the active exception's traceback.
    if failure:
        module.fail_json(**failure)
    module.exit_json(changed=False, **result)

# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    """Connection and authentication options shared by every community.auth0 module and plugin."""

    DOCUMENTATION = r'''
options:
  domain:
    description:
      - The Auth0 tenant domain or custom domain, for example V(travel0.us.auth0.com).
      - A bare V(host[:port]) means HTTPS; an V(https://host[:port]) URL is accepted too.
      - V(http://) is accepted only for loopback hosts (V(127.0.0.0/8), V(::1), V(localhost)), such as a local test tenant.
      - A path, query, fragment, user-info or whitespace is refused.
      - If not set, the environment variable E(AUTH0_DOMAIN) is used.
    type: str
    required: true
  client_id:
    description:
      - Client ID of a machine-to-machine application authorized for the Management API.
      - A token is requested with the client-credentials grant, with exactly one request to V(/oauth/token) per task,
        lookup call or inventory load (one more only if that token expires meanwhile).
      - Required together with O(client_secret) or O(client_assertion_private_key). If no credentials are given,
        the environment variables E(AUTH0_CLIENT_ID) and E(AUTH0_CLIENT_SECRET) (or
        E(AUTH0_CLIENT_ASSERTION_PRIVATE_KEY)) are used.
    type: str
  client_secret:
    description:
      - Client secret of the application in O(client_id). It never appears in results, messages or logs.
      - If no credentials are given, the environment variable E(AUTH0_CLIENT_SECRET) is used.
    type: str
  client_assertion_private_key:
    description:
      - PEM text of the private key of the application in O(client_id), for applications that authenticate with
        Private Key JWT instead of a client secret. Auth0 keeps only the public key.
      - Each token request carries a new client assertion signed with this key, valid for 60 seconds.
      - Give the text, not a path, for example V({{ lookup('ansible.builtin.file', 'auth0-m2m.pem'\) }}), and keep the
        file in Ansible Vault. An unencrypted RSA key of 2048 to 4096 bits, in PKCS#8 or PKCS#1 PEM; a key that is not
        usable fails the task before any request.
      - Mutually exclusive with O(client_secret), and with the token option where there is one. If no credentials
        are given, the environment variable E(AUTH0_CLIENT_ASSERTION_PRIVATE_KEY) is used.
      - Needs the Python libraries C(PyJWT) and C(cryptography); nothing else does.
      - The key and the assertions never appear in results, messages or logs.
    type: str
  client_assertion_signing_alg:
    description:
      - Algorithm that signs the client assertion. It must be the algorithm of the credential registered for the
        public key in Auth0.
      - If not set, E(AUTH0_CLIENT_ASSERTION_SIGNING_ALG) is used when the key comes from
        E(AUTH0_CLIENT_ASSERTION_PRIVATE_KEY), and V(RS256) otherwise.
    type: str
    choices: [RS256, RS384, PS256]
  audience:
    description:
      - Audience requested with the client-credentials grant.
      - Defaults to V(https://<domain>/api/v2/). With a custom domain set it to the canonical tenant's
        V(https://TENANT.REGION.auth0.com/api/v2/).
      - If not set, the environment variable E(AUTH0_AUDIENCE) is used.
    type: str
  timeout:
    description:
      - Seconds to wait for each HTTP request, from V(1) to V(3600).
    type: int
    default: 30
  max_retries:
    description:
      - How many times a request is retried after HTTP 5xx or a connection error, backing off exponentially with
        jitter (or waiting for C(Retry-After) when present). Other 4xx answers are never retried.
      - HTTP 429 (Auth0's rate limit) is bounded by O(rate_limit_timeout) instead.
    type: int
    default: 5
  rate_limit_timeout:
    description:
      - The longest time, in seconds, a task may spend waiting on Auth0's rate limit, in total.
      - After HTTP 429 the request is retried once the limit resets (C(X-RateLimit-Reset), or C(Retry-After) when
        present), plus up to a second of random jitter so that jobs waiting together do not all retry at once. When
        C(X-RateLimit-Remaining) reaches 0, the next request waits for Auth0's refill of the one request it needs
        (at most until the reset) instead of provoking a 429.
      - Both kinds of wait count against this budget; waits of concurrent requests that overlap count once. A single
        wait is capped at 60 seconds. Past the budget the task fails with the rate-limit message.
      - V(0) never waits on the rate limit; the task fails at the first 429, or as soon as Auth0 says the bucket is
        empty and more requests are needed.
    type: int
    default: 300
  validate_certs:
    description:
      - Whether to verify the tenant's TLS certificate. Setting it to V(false) is unsafe outside a test tenant.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM CA bundle used to verify the tenant's certificate, for tenants behind a private CA.
      - Takes precedence over E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE).
    type: path
requirements:
  - requests (Python library, on the host that runs the module, or on the controller for lookups and inventories)
  - PyJWT and cryptography (Python libraries, only for client_assertion_private_key)
'''

    # A static token: for everything but the management_token lookup, whose job is to request one.
    TOKEN = r'''
options:
  token:
    description:
      - A Management API access token.
      - Mutually exclusive with O(client_id), O(client_secret) and O(client_assertion_private_key); one of the three
        ways to authenticate is required.
      - If no credentials are given in the task, the environment variable E(AUTH0_API_TOKEN) is used.
      - It never appears in results, messages or logs.
    type: str
'''

    # Concurrency: for everything that may read several organizations in one task, lookup call or inventory load.
    CONCURRENCY = r'''
options:
  max_concurrent_requests:
    description:
      - How many requests may be in flight at once when several organizations are read in one task (every
        organization's members, a lookup with several terms, the inventory plugin), from V(1) to V(16). The
        organization listing counts among them, and members are read while it goes on.
      - All of them share one HTTP session, one token and one view of each rate-limit bucket, so pacing still
        keeps the task's own requests from provoking 429s (those caused by other jobs on the tenant are waited
        out). Results keep Auth0's order whatever finishes first.
    type: int
    default: 4
'''

    # Lookups read their options through Ansible's plugin configuration, which can also take
    # domain and audience from the environment. Credentials stay late-bound in the client, as for
    # modules: explicit options first, AUTH0_* environment variables last.
    PLUGINS = r'''
options:
  domain:
    env:
      - name: AUTH0_DOMAIN
  audience:
    env:
      - name: AUTH0_AUDIENCE
'''

    # Which member fields are read: shared by every module and plugin that returns members.
    MEMBER_FIELDS = r'''
options:
  fields:
    description:
      - Member fields to include (or, with O(include_fields=false), to exclude).
      - By default Auth0 returns V(user_id), V(email), V(name) and V(picture).
      - Ask for roles with O(include_roles=true). V(roles) among the included fields is kept as an alias of it.
    type: list
    elements: str
    choices: [user_id, email, name, picture, roles]
  include_fields:
    description:
      - Whether O(fields) lists the fields to include (V(true)) or to exclude (V(false)).
    type: bool
    default: true
  include_roles:
    description:
      - Give each member a V(roles) list of its directly assigned roles, each with V(id) and V(name). This is the way to
        ask for roles.
      - Roles are requested inline with the members, one request per page. Combined with O(fields), roles are
        added to the fields asked for.
      - If the tenant answers without roles, they are fetched per member; members are never returned silently
        lacking roles.
    type: bool
    default: false
'''

    # Members per request: for the auth0_org_members_info module and the org_members lookup, which read members only.
    MEMBER_PAGING = r'''
options:
  per_page:
    description:
      - Members per request, from V(1) to V(100).
      - A whole organization is read in the fewest requests this allows; see M(community.auth0.auth0_org_members_info).
    type: int
    default: 100
'''

    ACTIONGROUP_AUTH0 = r'''
attributes:
  action_group:
    description: Use C(group/community.auth0.auth0) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - community.auth0.auth0
'''

    INFO_MODULE = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: This module only reads from Auth0, so check mode runs it the same way.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details: This module does not change anything.
'''

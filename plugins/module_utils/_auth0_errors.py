# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The failures community.auth0 reports, and the scrubbing that keeps credentials out of them.

For internal collection use only: names here may change in any release.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import functools
import json

MASK = '********'


class Auth0Error(Exception):
    """Base of every failure the client reports; `str()` is a message written for a person."""

    def __init__(self, message, status=None, error_code=None):
        super(Auth0Error, self).__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        # Result keys of a task that failed part-way: what it had changed by then.
        self.result = {}

    def result_fields(self):
        """The failure as module result keys: msg, plus status and error_code when known, plus `result`."""
        fields = dict(self.result, msg=self.message)
        if self.status is not None:
            fields['status'] = self.status
        if self.error_code:
            fields['error_code'] = self.error_code
        return fields


class Auth0ConfigError(Auth0Error):
    """An option is unusable; raised before any request is sent."""


class Auth0ConnectionError(Auth0Error):
    """No usable HTTP answer: DNS, refused or reset connection, TLS or timeout."""


class Auth0APIError(Auth0Error):
    """Auth0 answered with an error status."""


class Auth0RateLimitError(Auth0APIError):
    """Auth0 kept answering 429 until the rate-limit budget (rate_limit_timeout) ran out."""


class Auth0ResponseError(Auth0Error):
    """Auth0's answer cannot be trusted: not JSON, the wrong shape, or paging that loops."""


def clip(value, limit=60):
    """`value` as text, cut to `limit` characters so that one bad input cannot flood a message."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + '...'


def redact(text, secrets):
    """`text` with every secret, and every run of 12 or more of its leading characters, masked."""
    for secret in secrets:
        text = text.replace(secret, MASK)
        probe = secret[:12]
        while len(probe) == 12 and probe in text:
            start = end = text.index(probe)
            while end < len(text) and end - start < len(secret) and text[end] == secret[end - start]:
                end += 1
            text = text[:start] + MASK + text[end:]
    return text


def redacting_secrets(method):
    """Decorate a public client method so that no credential survives in its error messages.

    Auth0 (or a proxy in front of it) may echo a token or secret back in an error body, and the
    client quotes Auth0's words; lookups and inventory plugins have no no_log masking, so the
    client scrubs them itself. The instance supplies the secrets through `secret_values()`.
    """
    @functools.wraps(method)
    def scrubbed(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Auth0Error as error:
            error.message = redact(error.message, self.secret_values())
            error.args = (error.message,)
            raise
    return scrubbed


def error_body(response):
    """(status, errorCode, message) from an Auth0 error answer, tolerating non-JSON bodies."""
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return response.status_code, None, '%s, %s' % (response.reason or 'no reason given', describe_body(response))
    message = body.get('message') or body.get('error_description') or body.get('error') or response.reason
    error_code = body.get('errorCode') or (body.get('error') if 'error_description' in body else None)
    return response.status_code, error_code, clip(message, 500)


def describe_body(response):
    """What a body was, without quoting it: its size and content type."""
    if not response.content:
        return 'empty body'
    content_type = response.headers.get('Content-Type', 'no content type')
    return '%d bytes of %s' % (len(response.content), content_type.split(';')[0])

# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP to one Auth0 tenant: one keep-alive session, retries, rate-limit pacing, connection errors.

For internal collection use only: names here may change in any release.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json
import os
import random
import re
import threading
import time
import warnings
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import InsecureRequestWarning
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0ConnectionError,
    Auth0RateLimitError,
    Auth0ResponseError,
    clip,
    describe_body,
    error_body,
)
from ansible_collections.community.auth0.plugins.module_utils._connection_options import (
    DEFAULT_MAX_CONCURRENT_REQUESTS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMIT_TIMEOUT_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    check_ca_path,
    check_limits,
)
from ansible_collections.community.auth0.plugins.module_utils._rate_limit import (
    MAX_WAIT_SECONDS,
    PACING_JITTER_SECONDS,
    RETRY_JITTER_SECONDS,
    RateLimitBucket,
    RateLimitBudget,
    int_header,
    jittered,
)

BACKOFF_BASE_SECONDS = 0.5


class Transport:
    """Sends one logical request at a time per caller thread; safe to share between threads.

    `sleep` and `clock` are injectable so that tests can check waits without waiting.
    """

    def __init__(self, base_url, timeout=None, max_retries=None, rate_limit_timeout=None, max_concurrent_requests=None,
                 validate_certs=True, ca_path=None, session=None, sleep=time.sleep, clock=time.time):
        if not HAS_REQUESTS and session is None:
            raise Auth0ConfigError('The Python library requests is required on the host that runs community.auth0 '
                                   '(pip install requests).')
        check_limits(timeout=timeout, max_retries=max_retries, rate_limit_timeout=rate_limit_timeout,
                     max_concurrent_requests=max_concurrent_requests)
        check_ca_path(ca_path)
        self.base_url = base_url
        self.host = base_url.split('://', 1)[1]
        self.timeout = DEFAULT_TIMEOUT_SECONDS if timeout is None else timeout
        self.max_retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        self.rate_limit_timeout = DEFAULT_RATE_LIMIT_TIMEOUT_SECONDS if rate_limit_timeout is None else rate_limit_timeout
        self.max_concurrent_requests = (DEFAULT_MAX_CONCURRENT_REQUESTS if max_concurrent_requests is None
                                        else max_concurrent_requests)
        # Passed with every request: in a Session that trusts the environment (one handed in by a
        # caller), a Session's own verify loses to REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE.
        self.verify = (ca_path or True) if validate_certs is not False else False
        self._session = session if session is not None else requests.Session()
        if session is None:
            # With trust_env, requests re-reads the proxy variables and ~/.netrc on every request
            # (about 17% of the client's CPU at 100,000 members), and a ~/.netrc entry for the
            # tenant would silently replace the Bearer header. Read the environment once instead.
            self._session.trust_env = False
            self._session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
            if self.verify is True:
                self.verify = os.environ.get('REQUESTS_CA_BUNDLE') or os.environ.get('CURL_CA_BUNDLE') or True
            # One pooled connection per request in flight, so concurrent reads reuse their connections.
            self._session.mount('https://', HTTPAdapter(pool_maxsize=self.max_concurrent_requests))
            self._session.mount('http://', HTTPAdapter(pool_maxsize=self.max_concurrent_requests))
        # Bounds the requests in flight over every thread of the client, the organization listing included,
        # however the callers share out the work; held for the exchange only, never across a wait.
        self._slots = threading.BoundedSemaphore(self.max_concurrent_requests)
        self._sleep = sleep
        self._clock = clock
        self._buckets = {}
        self._lock = threading.Lock()
        self.budget = RateLimitBudget(self.rate_limit_timeout, clock)
        self.request_count = 0
        self.throttled_count = 0

    @contextlib.contextmanager
    def quiet(self):
        """Silence urllib3's InsecureRequestWarning around a whole operation, for unverified requests only.

        With validate_certs: false (documented as unsafe) one warning per page on the controller's
        stderr would only bury the task output. The filter list is process-wide, so it is changed
        once around the operation (covering its worker threads), never per request.
        """
        if self.verify is not False:
            yield
            return
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', InsecureRequestWarning)
            yield

    def send(self, method, path, params, what, bucket_name, headers=None, make_form=None, json_body=None):
        """One logical request: pace, send, retry 5xx/connection faults (max_retries) and 429 (rate_limit_timeout).

        `make_form()` returns the form to POST; it is called for each attempt, so that a retry can send
        a fresh one (a client assertion is single-use and short-lived). `json_body` is sent as JSON.
        """
        with self._lock:
            bucket = self._buckets.setdefault(bucket_name, RateLimitBucket())
        url = self.base_url + path
        failures = 0
        while True:
            ticket = self._wait_for_bucket(bucket, what)
            try:
                prepared = self._prepare(method, url, params, headers, make_form() if make_form else None, json_body)
                with self._slots:
                    with self._lock:
                        self.request_count += 1
                    response = self._session.send(prepared, timeout=self.timeout, verify=self.verify,
                                                  allow_redirects=False)
            except requests.exceptions.RequestException as error:
                bucket.answered(ticket, None, self._clock())
                if failures >= self.max_retries or not _retryable_connection_error(error):
                    raise self._connection_error(error, what)
                failures += 1
                self._sleep(self._backoff(failures))
                continue
            bucket.answered(ticket, response.headers, self._clock())
            if response.status_code == 429:
                bucket.throttled()
                self._wait_after_throttling(response, bucket, what)
                continue
            if response.status_code >= 500:
                if failures >= self.max_retries:
                    raise self._exhausted_error(response, what, failures)
                failures += 1
                self._sleep(self._retry_after(response) or self._backoff(failures))
                # A 5xx says nothing reliable about the bucket; do not add a pacing wait to the backoff.
                bucket.waited_for_reset()
                continue
            return response

    def _prepare(self, method, url, params, headers, form, json_body):
        """The request as requests sends it, built without Session.prepare_request.

        prepare_request re-parses and re-encodes the URL and merges cookies and session settings on
        every request: about 15% of the client's CPU on a tenant-wide read, for nothing this client
        uses (the API takes no cookies; its paths are quoted and its query encoded here).
        """
        prepared = requests.PreparedRequest()
        prepared.prepare_method(method)
        prepared.url = url + '?' + urlencode(params) if params else url
        merged = dict(self._session.headers)
        merged.update(headers or {})
        prepared.prepare_headers(merged)
        # An empty jar, never the session's: no cookie Auth0 sets is sent back.
        prepared.prepare_cookies({})
        prepared.prepare_body(form, None, json_body)
        return prepared

    def decode(self, response, what):
        try:
            return json.loads(response.content)
        except ValueError:
            raise Auth0ResponseError('Auth0 answered %s with HTTP %d and a body that is not JSON (%s); no data '
                                     'is returned.' % (what, response.status_code, describe_body(response)),
                                     status=response.status_code)

    # -- waiting ----------------------------------------------------------------------------

    def _wait_for_bucket(self, bucket, what):
        """Wait for the bucket to refill when Auth0 said it is empty, instead of provoking a 429; return the ticket."""
        while True:
            ticket, wait = bucket.admit(self._clock())
            if ticket is not None:
                return ticket
            capped = wait > MAX_WAIT_SECONDS
            wait = jittered(wait, PACING_JITTER_SECONDS)
            if not self.budget.charge(wait):
                raise Auth0RateLimitError(
                    "Auth0's rate limit was reached while %s: the next request would have to wait %d s for the limit "
                    "to reset, past rate_limit_timeout (%d s, %d s already spent waiting). Raise rate_limit_timeout, "
                    "or run fewer jobs against this tenant at once." % (what, wait, self.rate_limit_timeout,
                                                                        self.budget.spent), status=429)
            self._sleep(wait)
            if capped:
                # The wait ended before the reset Auth0 named; the next answer says where the bucket stands.
                # Otherwise the bucket itself knows: a request that slept for an older reset must not
                # discard what answers to other requests said meanwhile.
                bucket.waited_for_reset()

    def _wait_after_throttling(self, response, bucket, what):
        """Wait out a 429 until Auth0's reset (with jitter), or fail once rate_limit_timeout is spent."""
        with self._lock:
            self.throttled_count += 1
            throttled = self.throttled_count
        delay = self._retry_after(response)
        if delay is None:
            reset_at = int_header(response.headers, 'X-RateLimit-Reset')
            now = self._clock()
            delay = reset_at - now if reset_at is not None and reset_at > now else self._backoff(throttled)
        wait = jittered(delay, RETRY_JITTER_SECONDS)
        if not self.budget.charge(wait):
            raise self._rate_limit_error(response, what)
        self._sleep(wait)
        bucket.waited_for_reset()

    def _retry_after(self, response):
        """Seconds from a Retry-After header (seconds or HTTP date), capped; None without one."""
        seconds = _retry_after_seconds(response.headers.get('Retry-After'), self._clock())
        return None if seconds is None else jittered(seconds, 0)

    @staticmethod
    def _backoff(attempt):
        ceiling = min(BACKOFF_BASE_SECONDS * (2 ** (min(attempt, 16) - 1)), 60)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    # -- errors -----------------------------------------------------------------------------

    def _connection_error(self, error, what):
        reason = _error_reason(error)
        if isinstance(error, requests.exceptions.SSLError):
            return Auth0ConnectionError(
                'TLS failed while %s at %s: %s. If the tenant uses a private or self-signed certificate, give its '
                'CA bundle with ca_path (validate_certs: false disables the check and is unsafe).'
                % (what, self.host, reason))
        if isinstance(error, requests.exceptions.Timeout):
            return Auth0ConnectionError(
                'Timed out after %d seconds while %s at %s (%d retries). Raise timeout or max_retries, or check the '
                'network path to the tenant.' % (self.timeout, what, self.host, self.max_retries))
        if _is_name_resolution_error(error):
            return Auth0ConnectionError('Could not resolve the host %s while %s: check domain.' % (self.host, what))
        return Auth0ConnectionError('Could not connect to %s while %s (%d retries): %s. Check domain and the '
                                    'network path to the tenant.' % (self.host, what, self.max_retries, reason))

    def _rate_limit_error(self, response, what):
        status, error_code, message = error_body(response)
        reset_at = int_header(response.headers, 'X-RateLimit-Reset')
        when = ''
        if reset_at is not None:
            when = ' The limit resets at %s (in %d s).' % (
                time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(reset_at)), max(0, reset_at - self._clock()))
        return Auth0RateLimitError(
            "Auth0's rate limit was hit while %s and waiting up to rate_limit_timeout (%d s, %d s spent) did not get "
            "through (HTTP 429: %s).%s Raise rate_limit_timeout, or run fewer jobs against this tenant at once."
            % (what, self.rate_limit_timeout, self.budget.spent, message, when), status=status, error_code=error_code)

    @staticmethod
    def _exhausted_error(response, what, retries):
        status, error_code, message = error_body(response)
        return Auth0APIError('Auth0 answered HTTP %d while %s, still after %d retries: %s. Auth0 may be degraded; '
                             'try again later.' % (status, what, retries, message),
                             status=status, error_code=error_code)


def _retry_after_seconds(value, now):
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        return parsedate_to_datetime(value).timestamp() - now
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _error_reason(error):
    """A short reason from a requests exception, without URLs or headers."""
    if isinstance(error, requests.exceptions.InvalidHeader):
        return 'requests refused a request header (its value, which may hold the token, is not shown)'
    current = error
    # urllib3 wraps the interesting exception several levels down; the innermost says what failed.
    for _depth in range(6):
        inner = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        inner = inner or getattr(current, 'reason', None)
        if not isinstance(inner, BaseException) or inner is current:
            break
        current = inner
    text = str(current)
    text = re.sub(r"https?://\S+", '<url>', text)
    text = re.sub(r'\(Caused by .*', '', text)
    text = re.sub(r"<urllib3[^>]*>: ", '', text)
    text = re.sub(r"^HTTPS?Connection\([^)]*\): ", '', text)
    return clip(text.strip() or type(current).__name__, 300)


_NAME_RESOLUTION_FAILURES = ('NameResolutionError', 'Name or service not known', 'nodename nor servname',
                             'getaddrinfo failed', 'Temporary failure in name resolution')


def _is_name_resolution_error(error):
    text = repr(error)
    return any(failure in text for failure in _NAME_RESOLUTION_FAILURES)


def _retryable_connection_error(error):
    return not isinstance(error, requests.exceptions.SSLError) and not _is_name_resolution_error(error)

# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every way to authenticate declares, so that the rest of the collection can derive its rules.

For internal collection use only: names here may change in any release.

A credential method lives in one `_auth_method_*.py` file: a subclass of CredentialMethod that
declares its NAME, its OPTIONS (each with its environment variable and whether it is a secret) and
its checks (in __init__). The authenticator derives from those declarations the modules' argument
spec, which options exclude each other, the late binding of the AUTH0_* variables, what is masked
and the "no credentials" message; adding a method is one file and one line in _authenticator.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class CredentialOption:
    """One option of a credential method: a module/plugin option with its AUTH0_* environment variable.

    `required`: the method cannot work without it (it identifies the method); an optional one (a
    signing algorithm) only tunes it. `secret`: masked everywhere and never quoted.
    """

    def __init__(self, name, env, secret=False, required=True, choices=None):
        self.name = name
        self.env = env
        self.secret = secret
        self.required = required
        self.choices = tuple(choices) if choices else None

    def argument_spec(self):
        """The option's entry in a module's argument spec (no env fallback: credentials bind late)."""
        spec = dict(type='str', no_log=self.secret)
        if self.choices:
            spec['choices'] = list(self.choices)
        return spec


class CredentialMethod:
    """Base of the credential methods. Subclasses declare NAME, OPTIONS and mints_tokens.

    A method is made from the settings of its own options (`settings[name]`), after the
    authenticator chose it. A static token is used as given; a method that mints tokens also
    has `client_id`, `token_form(audience, base_url)` and `refusal_hint(status, error_code)`.
    """

    NAME = None
    OPTIONS = ()
    mints_tokens = False

    @classmethod
    def required_options(cls):
        return tuple(option.name for option in cls.OPTIONS if option.required)

    @classmethod
    def option_names(cls):
        return tuple(option.name for option in cls.OPTIONS)

    def secret_values(self):
        """Every value this method holds that must never be shown."""
        raise NotImplementedError

# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# A package, so that plain pytest tells module_utils/test_auth0.py (the client) from doc_fragments/test_auth0.py
# (the doc fragment): without one, both would be imported as the module test_auth0.

"""Benchmark floor: a module that returns members read from a local file, with no HTTP at all.

bench.py runs it through ``ansible localhost -M benchmarks/floor -m members_from_file`` with the
same members the tenant serves and the same no_log token, so its cost is what ansible-core itself
spends on a result of that size (AnsibleModule's no_log scrub and JSON output in the module
process; parsing, post-processing and printing it in the controller). No module built on
AnsibleModule.exit_json can return the same result for less.

With ``key: organizations`` it returns a file of organizations (each with its members) the way
``auth0_organization_info`` with ``include_members: true`` does: the floor of the tenant sweep.
"""

import json

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True), token=dict(type='str', no_log=True),
                                              key=dict(type='str', default='members', choices=['members', 'organizations'])),
                           supports_check_mode=True)
    with open(module.params['path'], encoding='utf-8') as handle:
        items = json.load(handle)
    result = {module.params['key']: items, 'count': len(items)}
    if module.params['key'] == 'members':
        result['organization'] = {'id': 'org_from_file'}
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()

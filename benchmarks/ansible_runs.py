"""How the benchmark runs Ansible: one ansible-core installation, its commands, and the playbooks it runs.

Every module process is started through benchmarks/module_probe.py (as ansible_python_interpreter),
which records its wall time, CPU and peak RSS. Playbooks are written as JSON (which is YAML) from
Python data, so that the task a benchmark runs is spelled out once, here.
"""

import json
import os
import subprocess

import module_probe

HERE = os.path.dirname(os.path.abspath(__file__))
FLOOR_MODULES = os.path.join(HERE, "floor")
CALLBACKS = os.path.join(HERE, "callback_plugins")
MEMBERS_MODULE = "community.auth0.auth0_org_members_info"
ORGANIZATIONS_MODULE = "community.auth0.auth0_organization_info"


class Core:
    """One ansible-core installation (a virtualenv): its commands, versions and module-process launcher."""

    def __init__(self, python, workdir):
        # Absolute, not resolved: the launcher's #! line needs a full path, and a venv's python is a symlink to keep.
        python = os.path.abspath(python)
        self.python = python
        bindir = os.path.dirname(python)
        self.ansible = os.path.join(bindir, "ansible")
        self.ansible_playbook = os.path.join(bindir, "ansible-playbook")
        probe = "import ansible.release, platform; print(ansible.release.__version__, platform.python_version())"
        self.version, self.python_version = subprocess.run([python, "-c", probe], check=True, capture_output=True,
                                                           text=True).stdout.split()
        self.launcher = module_probe.write_launcher(os.path.join(workdir, "launcher-%s" % self.version), python)

    @property
    def label(self):
        return "ansible-core %s (Python %s)" % (self.version, self.python_version)

    def adhoc(self, module, module_args=None, module_path=None):
        """`ansible localhost -m MODULE`, which prints the whole result."""
        argv = [self.ansible, "localhost", "-m", module, "-e", "ansible_python_interpreter=" + self.launcher]
        if module_args:
            argv += ["-a", json.dumps(module_args)]
        if module_path:
            argv += ["-M", module_path]
        return argv

    def playbook(self, playbook, extra_vars=None, inventory=None, module_path=None):
        """`ansible-playbook PLAYBOOK`; extra_vars is the path of a JSON file of variables."""
        argv = [self.ansible_playbook, playbook]
        if inventory:
            argv += ["-i", inventory]
        else:
            argv += ["-e", "ansible_python_interpreter=" + self.launcher]
        if extra_vars:
            argv += ["-e", "@" + extra_vars]
        if module_path:
            argv += ["-M", module_path]
        return argv


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
    return path


def play(tasks, hosts="localhost"):
    return [{"hosts": hosts, "gather_facts": False, "tasks": tasks}]


def registered(module, args, shown, loop=None):
    """A task running `module` with `args`, registered as `result`, then a debug line printing `shown` of it."""
    task = {"name": "read", module: args, "register": "result"}
    if loop is not None:
        task["loop"] = loop
    return [task, {"name": "show", "ansible.builtin.debug": {"msg": shown}}]


# Connection options of every benchmark task, filled from the extra-vars file.
TOKEN_AUTH = {"domain": "{{ domain }}", "ca_path": "{{ ca_path }}", "token": "{{ token }}"}
CLIENT_CREDENTIALS = {"domain": "{{ domain }}", "ca_path": "{{ ca_path }}", "client_id": "{{ client_id }}",
                      "client_secret": "{{ client_secret }}"}

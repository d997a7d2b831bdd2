"""The module process's own cost, measured from inside the `ansible` run.

bench.py sets ansible_python_interpreter to a small generated executable that calls main() here:
it forks, execs the real interpreter on the AnsiballZ payload (optionally under cProfile), waits
for it with os.wait4 and appends one JSON line (wall, user+sys CPU, peak RSS of the module process)
to the file named by BENCH_PROBE_OUT. ru_maxrss of an exec'd child starts from the peak of the
process it was forked from, so forking from this small probe (not from Ansible's worker) keeps the
module's peak RSS its own.
"""

import json
import os
import sys
import time


def main(argv, real):
    """Run the real interpreter `real` with argv[1:], record its cost, and exit with its status."""
    command = [real]
    profile = os.environ.get("BENCH_PROBE_PROFILE")
    if profile:
        # Not `-m cProfile`: AnsiballZ drops the directory of __main__.__file__ from sys.path, which would be the stdlib's.
        command += ["-c", "import cProfile, runpy, sys; sys.argv = sys.argv[1:]; "
                          "cProfile.run('runpy.run_path(sys.argv[0], run_name=\"__main__\")', %r)" % profile]
    command += argv[1:]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(real, command)
        finally:
            os._exit(127)  # pylint: disable=protected-access
    _pid, status, usage = os.wait4(pid, 0)
    record = dict(wall_s=time.perf_counter() - start, cpu_s=usage.ru_utime + usage.ru_stime, peak_rss_kb=usage.ru_maxrss)
    with open(os.environ["BENCH_PROBE_OUT"], "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    return os.waitstatus_to_exitcode(status)


def write_launcher(directory, python):
    """Create DIRECTORY/python, an executable that runs main() with ``python``; return its path."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "python")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("#!%s -S\nimport sys\nsys.path.insert(0, %r)\nimport module_probe\nsys.exit(module_probe.main(sys.argv, %r))\n"
                     % (python, here, python))
    os.chmod(path, 0o755)
    return path


if __name__ == "__main__":
    sys.exit(main(sys.argv, sys.executable))

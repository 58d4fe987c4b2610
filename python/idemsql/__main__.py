"""``python -m idemsql ...``: run the ``idemsql`` command that this package installed."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig


def find_idemsql_bin() -> str:
    """The ``idemsql`` executable installed with this package (in the environment's scripts
    folder, or the user scheme's for ``pip install --user``)."""
    exe = "idemsql" + (sysconfig.get_config_var("EXE") or "")
    candidates = [sysconfig.get_path("scripts")]
    user_scheme = f"{os.name}_user" if sys.platform != "darwin" else "osx_framework_user"
    if user_scheme in sysconfig.get_scheme_names():
        candidates.append(sysconfig.get_path("scripts", scheme=user_scheme))
    for folder in candidates:
        path = os.path.join(folder, exe)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(f"the idemsql executable is not in {', '.join(candidates)}")


def main() -> int:
    idemsql = find_idemsql_bin()
    if sys.platform == "win32":
        return subprocess.run([idemsql, *sys.argv[1:]]).returncode
    os.execv(idemsql, [idemsql, *sys.argv[1:]])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())

"""Run the steps of a composite GitHub Action (action.yml) the way the Actions runner does,
locally: inputs with their defaults, `${{ inputs.* }}` and `${{ github.action_path }}`
expressions, `shell: bash` as `bash --noprofile --norc -eo pipefail`, `$GITHUB_PATH` lines
put in front of PATH for the later steps, `$RUNNER_TEMP`. Any other expression fails, so that
the test notices when action.yml uses something this runner does not model.

    python3 run_action.py ACTION_DIR WORKDIR [NAME=VALUE ...]

Exits with the exit code of the first step that fails (0 when every step passes).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def main() -> int:
    action_dir, workdir, *pairs = sys.argv[1:]
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)
    assert action["runs"]["using"] == "composite", action["runs"]
    given = dict(pair.split("=", 1) for pair in pairs)
    unknown = set(given) - set(action.get("inputs", {}))
    assert not unknown, f"inputs the action does not declare: {unknown}"
    inputs = {name: str(spec.get("default", "")) for name, spec in action.get("inputs", {}).items()}
    inputs.update(given)

    def expand(text: str) -> str:
        def value(m: re.Match) -> str:
            expr = m.group(1)
            if expr.startswith("inputs."):
                return inputs[expr[len("inputs.") :]]
            if expr == "github.action_path":
                return action_dir
            raise SystemExit(f"run_action.py does not model the expression `{expr}`")

        return EXPRESSION.sub(value, text)

    with tempfile.TemporaryDirectory() as runner_temp:
        github_path = os.path.join(runner_temp, "github_path")
        open(github_path, "w").close()
        env = dict(os.environ, RUNNER_TEMP=runner_temp, GITHUB_PATH=github_path,
                   GITHUB_ACTIONS="true", GITHUB_ACTION_PATH=action_dir)
        for step in action["runs"]["steps"]:
            assert step.get("shell") == "bash", f"step {step.get('name')}: only `shell: bash` is modelled"
            step_env = dict(env, **{k: expand(str(v)) for k, v in step.get("env", {}).items()})
            with open(github_path) as f:
                added = [line.strip() for line in f if line.strip()]
            step_env["PATH"] = os.pathsep.join([*reversed(added), env["PATH"]])
            script = os.path.join(runner_temp, "step.sh")
            with open(script, "w") as f:
                f.write(expand(step["run"]))
            print(f"--- step: {step.get('name', '(unnamed)')}", flush=True)
            code = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                                  cwd=workdir, env=step_env).returncode
            if code != 0:
                return code
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# How long pre-commit takes to install each kind of idemsql hook, from nothing (a fresh
# PRE_COMMIT_HOME), the way a developer's first `pre-commit run` does:
#
#   python   pre-commit/ (`language: python`): a venv and `pip install` of the idemsql wheel,
#            from a local wheel folder (scripts/build-wheel.sh; PyPI would add the ~10 MB download)
#   rust     the repository's .pre-commit-hooks.yaml (`language: rust`): `cargo install` of the
#            crate with its real release profile and a cold target directory (crates already
#            downloaded into ~/.cargo, so the figure is the build alone)
#
#   benches/hook-install.sh [python|rust|both]      (default: both)
#
# A benchmark, not a test: it prints the seconds, nothing fails on a figure. Measured on a
# 2-core machine: python 3.4 s, rust 214.5 s (docs/integrations.md#pre-commit).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WHICH="${1:-both}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=../scripts/lib/git-snapshot.sh
. "$ROOT/scripts/lib/git-snapshot.sh"
command -v pre-commit >/dev/null || { echo "pre-commit is not installed" >&2; exit 1; }

# measure KIND HOOK_REPO: seconds for `pre-commit install-hooks` in a project using it.
measure() {
  local kind="$1" repo="$2" proj="$WORK/project-$1"
  mkdir -p "$proj"
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: idemsql-check\n' \
    "$repo" "$(git -C "$repo" rev-parse HEAD)" > "$proj/.pre-commit-config.yaml"
  git_ -C "$proj" init -q && git_ -C "$proj" add -A && git_ -C "$proj" commit -q -m config
  local start end
  start=$(date +%s%N)
  (cd "$proj" && PRE_COMMIT_HOME="$WORK/home-$kind" pre-commit install-hooks >/dev/null)
  end=$(date +%s%N)
  printf '%-7s hook environment installed in %6.1f s\n' "$kind" "$(( (end - start) / 1000000 ))e-3"
}

if [ "$WHICH" = python ] || [ "$WHICH" = both ]; then
  wheels="$(mktemp -d -p "$WORK")"
  wheel="$("$ROOT/scripts/build-wheel.sh" "$wheels" 2>/dev/null | tail -1)"
  python3 -m pip download --quiet --disable-pip-version-check --only-binary :all: \
    --dest "$wheels" "setuptools==80.9.0"
  echo "wheel: $(basename "$wheel"), $(stat -c %s "$wheel") bytes"
  git_snapshot "$ROOT/pre-commit" "$WORK/hooks-python" >/dev/null
  PIP_FIND_LINKS="$wheels" PIP_NO_INDEX=1 measure python "$WORK/hooks-python"
fi
if [ "$WHICH" = rust ] || [ "$WHICH" = both ]; then
  git_snapshot "$ROOT" "$WORK/hooks-rust" >/dev/null
  (unset CARGO_TARGET_DIR; measure rust "$WORK/hooks-rust")
fi

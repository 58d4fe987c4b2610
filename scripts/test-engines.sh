#!/usr/bin/env bash
# Run only the real-engine tests (tests/engines): start throwaway PostgreSQL and MariaDB
# servers (and check DuckDB), run the tests, stop the servers on exit.
#
#   scripts/test-engines.sh                      # every engine and group
#   scripts/test-engines.sh postgres generated   # arguments select engines and groups
#
# Variables: IDEMSQL_ENGINE_SEED (number, 0x-hex or `random`), IDEMSQL_ENGINE_CASES,
# IDEMSQL_ENGINE_CASE, IDEMSQL_ENGINE_VERBOSE; see docs/engine-tests.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${IDEMSQL_SERVICES_DIR:-}" ]; then
    env_lines=$(scripts/services.sh start)
    eval "$env_lines"
    trap 'scripts/services.sh stop "$IDEMSQL_SERVICES_DIR"' EXIT
fi
cargo test --test engines -- "$@"

#!/usr/bin/env bash
# Throwaway database servers for the engine tests (tests/engines).
#
#   eval "$(scripts/services.sh start)"   # start PostgreSQL 15 and MariaDB 10.11, export settings
#   scripts/services.sh stop              # stop them and remove their data ($IDEMSQL_SERVICES_DIR)
#
# `start` installs what is missing on Debian (postgresql, mariadb-server, python3 + the PyPI
# packages `duckdb`, `chdb` and `pyspark` for the DuckDB, ClickHouse and Spark tests, and
# openjdk-17-jre-headless for Spark), creates a new cluster / data folder in a temporary
# folder, starts each server on a free loopback port (no system service, nothing outside the
# temporary folder), and prints `export VAR=...` lines on stdout; the same lines are written to
# "$IDEMSQL_SERVICES_DIR/env" so another shell can `source` them. Progress goes to stderr.
#
# Variables it exports (read by tests/engines/db.rs):
#   IDEMSQL_POSTGRES      libpq-style settings: "host=127.0.0.1 port=N user=postgres dbname=postgres"
#   IDEMSQL_MARIADB       mysql://idemsql:idemsql@127.0.0.1:N/
#   IDEMSQL_PYTHON        a python3 that imports duckdb >= 1.4, chdb and pyspark
#   IDEMSQL_SERVICES_DIR  the temporary folder holding both servers' data, logs and sockets
#
# `start` also takes a list of services (`postgres`, `mariadb`, `duckdb`, `clickhouse`,
# `spark`), default all of them.
set -euo pipefail

log() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: error: %s\n' "$*" >&2; exit 1; }

PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
APT_UPDATED=0

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "need root to run: $*"
    fi
}

apt_install() {
    command -v apt-get >/dev/null || die "missing $*, and apt-get is not available to install it"
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    # policy-rc.d keeps the packages from starting system services we do not use.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

free_port() {
    python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    local secs=$1 what=$2
    shift 2
    for _ in $(seq 1 $((secs * 10))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    return 1
}

ensure_python() {
    command -v python3 >/dev/null || apt_install python3 python3-venv python3-pip
}

# The PyPI packages of the in-process engines, pinned so every run tests the same versions:
# DuckDB >= 1.4 (MERGE INTO), chDB (ClickHouse) and pyspark (Spark SQL, local mode); and the
# Python drivers whose parameter styles tests/drivers.rs runs (psycopg 3, PyMySQL).
PY_PACKAGES=('duckdb>=1.4' 'chdb==4.4.0' 'pyspark==4.3.0' 'psycopg[binary]==3.3.2' 'PyMySQL==1.1.2')
PY_CHECK='import duckdb, chdb, pyspark, psycopg, pymysql, sys
v = tuple(int(x) for x in duckdb.__version__.split(".")[:2])
ok = chdb.__version__ == "4.4.0" and pyspark.__version__ == "4.3.0"
ok = ok and psycopg.__version__ == "3.3.2" and pymysql.VERSION_STRING == "1.1.2"
sys.exit(0 if v >= (1, 4) and ok else 1)'

# A python3 that imports the in-process engines' packages: a venv kept in the user's cache
# folder (outside the clone, reused between runs; the first install takes about 2 minutes).
ensure_pyengines() {
    [ -z "${PYTHON:-}" ] || return 0
    ensure_python
    local venv="${XDG_CACHE_HOME:-$HOME/.cache}/idemsql/venv"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "$PY_CHECK" 2>/dev/null; then
        log "installing ${PY_PACKAGES[*]} into $venv"
        if ! python3 -m venv "$venv" >&2 2>/dev/null; then
            apt_install python3-venv
            python3 -m venv "$venv" >&2
        fi
        "$venv/bin/python" -m pip install -q "${PY_PACKAGES[@]}" >&2
    fi
    PYTHON="$venv/bin/python"
    ENV_LINES+=("export IDEMSQL_PYTHON='$PYTHON'")
}

# Spark runs on a JVM: Debian's OpenJDK 17 when no java is on PATH.
ensure_java() {
    command -v java >/dev/null || apt_install openjdk-17-jre-headless
}

start_postgres() {
    if [ ! -x "$PG_BIN/initdb" ]; then apt_install "postgresql-$PG_VERSION"; fi
    local dir="$BASE/postgres" port
    port=$(free_port)
    mkdir -p "$dir"
    # initdb and postgres refuse to run as root: use the postgres account the package creates.
    local run=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
        chown postgres "$dir"
        run=(runuser -u postgres --)
    fi
    log "PostgreSQL $PG_VERSION: initdb in $dir/data"
    "${run[@]}" "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    # Durability is not what these tests check: skip fsync to keep them fast.
    "${run[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir'
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
        start >"$dir/pg_ctl.log" 2>&1 || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    wait_for 30 postgres "$PG_BIN/pg_isready" -U postgres -h 127.0.0.1 -p "$port" ||
        die "PostgreSQL does not answer on port $port"
    log "PostgreSQL $PG_VERSION listening on 127.0.0.1:$port"
    ENV_LINES+=("export IDEMSQL_POSTGRES='host=127.0.0.1 port=$port user=postgres dbname=postgres'")
}

start_mariadb() {
    if ! command -v mariadbd >/dev/null || ! command -v mariadb-install-db >/dev/null; then
        apt_install mariadb-server mariadb-client
    fi
    local dir="$BASE/mariadb" port user
    port=$(free_port)
    user=$(id -un)
    mkdir -p "$dir"
    log "MariaDB: mariadb-install-db in $dir/data"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$user" \
        --auth-root-authentication-method=normal --skip-test-db \
        >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
    # --user=root is required to run mariadbd as root; fsync-free settings for speed.
    nohup mariadbd --no-defaults --datadir="$dir/data" --user="$user" \
        --bind-address=127.0.0.1 --port="$port" --socket="$dir/mariadb.sock" \
        --pid-file="$dir/mariadb.pid" --log-error="$dir/server.log" \
        --skip-log-bin --skip-name-resolve --innodb-flush-log-at-trx-commit=0 \
        --innodb-buffer-pool-size=128M --innodb-log-file-size=64M --max-connections=60 \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
        >/dev/null 2>&1 &
    wait_for 60 mariadb mariadb --no-defaults --socket="$dir/mariadb.sock" -uroot -e 'SELECT 1' ||
        { cat "$dir/server.log" >&2; die "MariaDB did not start"; }
    mariadb --no-defaults --socket="$dir/mariadb.sock" -uroot -e "
        CREATE USER 'idemsql'@'127.0.0.1' IDENTIFIED BY 'idemsql';
        GRANT ALL PRIVILEGES ON *.* TO 'idemsql'@'127.0.0.1';" ||
        die "could not create the MariaDB test user"
    log "MariaDB $(mariadbd --version | awk '{print $3}') listening on 127.0.0.1:$port"
    ENV_LINES+=("export IDEMSQL_MARIADB='mysql://idemsql:idemsql@127.0.0.1:$port/'")
}

stop_all() {
    local base=${1:-${IDEMSQL_SERVICES_DIR:-}}
    [ -n "$base" ] || die "stop: IDEMSQL_SERVICES_DIR is not set (and no folder given)"
    [ -d "$base" ] || { log "nothing to stop in $base"; return 0; }
    [ -f "$base/.idemsql-services" ] || die "stop: $base was not made by scripts/services.sh"
    if [ -f "$base/postgres/data/postmaster.pid" ]; then
        log "stopping PostgreSQL"
        local run=()
        [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
        "${run[@]}" "$PG_BIN/pg_ctl" -D "$base/postgres/data" -m immediate -w stop >&2 || true
    fi
    if [ -f "$base/mariadb/mariadb.pid" ]; then
        local pid
        pid=$(cat "$base/mariadb/mariadb.pid")
        log "stopping MariaDB (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$base"
    log "removed $base"
}

cmd=${1:-}
shift || true
case "$cmd" in
start)
    services=("$@")
    [ ${#services[@]} -gt 0 ] || services=(postgres mariadb duckdb clickhouse spark)
    BASE=$(mktemp -d "${TMPDIR:-/tmp}/idemsql-services.XXXXXX")
    chmod 755 "$BASE"
    touch "$BASE/.idemsql-services"
    ENV_LINES=("export IDEMSQL_SERVICES_DIR='$BASE'")
    ensure_python
    # Stop what was started when a later step fails.
    trap 'status=$?; if [ $status -ne 0 ]; then stop_all "$BASE" || true; fi' EXIT
    for s in "${services[@]}"; do
        case "$s" in
        postgres) start_postgres ;;
        mariadb) start_mariadb ;;
        duckdb | clickhouse | spark)
            ensure_pyengines
            [ "$s" != spark ] || ensure_java
            log "$s: in-process, via $PYTHON"
            ;;
        *) die "unknown service '$s' (postgres, mariadb, duckdb, clickhouse, spark)" ;;
        esac
    done
    printf '%s\n' "${ENV_LINES[@]}" >"$BASE/env"
    printf '%s\n' "${ENV_LINES[@]}"
    ;;
stop) stop_all "${1:-}" ;;
*)
    echo "usage: $0 start [postgres|mariadb|duckdb|clickhouse|spark ...] | stop [DIR]" >&2
    exit 2
    ;;
esac

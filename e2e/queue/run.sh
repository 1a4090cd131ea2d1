#!/usr/bin/env bash
# npm run test:queue — the package in n8n 2.41.1's queue mode: PostgreSQL and Redis (Debian's
# packages, installed with apt-get when missing) on free loopback ports with their data in a temp
# folder, then jest with e2e/queue/jest.config.js, whose test starts an n8n main instance and two
# `n8n worker` processes on them (the cached n8n of the e2e suite). Arguments go to jest.
#
#   QUEUE_CALLS=100   the short version (default 500 calls in the first burst; see e2e/queue/README.md)
#
# Everything started here is stopped however the run ends (failure, Ctrl-C, SIGTERM): the n8n
# process groups recorded in $E2E_PID_DIR, PostgreSQL, Redis, and the temp folders.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
started=$(date +%s)

# Node 24 (the repo's `node` dev dependency), jest and ts-node, the same as under `npm run`.
export PATH="$root/node_modules/.bin:$PATH"

say() { echo "[queue] $*" >&2; }
# shellcheck source=e2e/cleanup.sh
. "$root/e2e/cleanup.sh"

# --- who runs what ------------------------------------------------------------------------------
# apt-get and chown need root, initdb/pg_ctl the postgres user: as root (a container) directly,
# otherwise through sudo (GitHub's runners give their user passwordless sudo; -n fails at once
# instead of asking for a password), or as the postgres user itself when the packages are there.
if [ "$(id -u)" = 0 ]; then
	as_root() { "$@"; }
	as_postgres() { runuser -u postgres -- "$@"; }
elif [ "$(id -un)" = postgres ]; then
	as_root() { "$@"; } # only for its own files; installing packages needs root
	as_postgres() { "$@"; }
elif sudo -n true 2>/dev/null; then
	as_root() { sudo -n "$@"; }
	as_postgres() { sudo -n -u postgres -- "$@"; }
else
	say "PostgreSQL's initdb/pg_ctl must run as the postgres user: run this as root, with passwordless sudo, or as postgres"
	exit 1
fi

# --- Debian's PostgreSQL and Redis -------------------------------------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
missing=()
[ -n "$pg_bin" ] && [ -x "$pg_bin/pg_ctl" ] || missing+=(postgresql)
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -un)" = postgres ]; then
		say "missing ${missing[*]}: as root, apt-get update && apt-get install -y ${missing[*]}"
		exit 1
	fi
	say "installing ${missing[*]} (apt-get)"
	apt_started=$(date +%s)
	apt_log=$(mktemp "${TMPDIR:-/tmp}/plaid-layer-queue-apt-XXXXXX.log")
	{ as_root apt-get update && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; } >"$apt_log" 2>&1 ||
		{ tail -n 30 "$apt_log" >&2; say "apt-get failed (log: $apt_log)"; exit 1; }
	rm -f "$apt_log"
	say "installed ${missing[*]} in $(($(date +%s) - apt_started)) s"
	pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# --- cleanup, whatever happens -----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/plaid-layer-queue-XXXXXX")
chmod 711 "$work" # postgres must reach its data folder inside
E2E_PID_DIR=$work/pids
mkdir -p "$E2E_PID_DIR"
export E2E_PID_DIR
pg_data=$work/pg/data
pg_running=
redis_pid=
jest_pid=

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop_jest "$jest_pid"
	stop_recorded "$E2E_PID_DIR"
	if [ -n "$pg_running" ]; then
		as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
	fi
	if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
		kill -TERM "$redis_pid" 2>/dev/null || true
		local i
		for i in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$redis_pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$redis_pid" 2>/dev/null || true
	fi
	if [ "$status" != 0 ] && [ -n "${QUEUE_KEEP_LOGS:-}" ]; then
		say "keeping $work (QUEUE_KEEP_LOGS)"
	else
		as_root rm -rf -- "$work" # pg/ belongs to postgres
	fi
	say "stopped everything; $(($(date +%s) - started)) s in all"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
	node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

# --- the package and n8n (both cached after the first run) ------------------------------------
say "building the package"
npm run build --silent
ts-node --transpile-only e2e/install.ts

# --- PostgreSQL: a throwaway cluster, TCP on 127.0.0.1 only ------------------------------------
infra_started=$(date +%s.%N)
pg_port=$(free_port)
pg_password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$work/pg/sock"
printf '%s\n' "$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$work/pg/superuser-password"
chmod 700 "$work/pg"
as_root chown -R postgres:postgres "$work/pg"
# The logs this shell writes stay outside pg/, which only postgres may enter.
as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres --pwfile="$work/pg/superuser-password" \
	--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync >"$work/initdb.log" 2>&1 ||
	{ cat "$work/initdb.log" >&2; exit 1; }
pg_running=1
as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/postgres.log" -w -t 60 \
	-o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$work/pg/sock -c max_connections=50" start >/dev/null ||
	{ as_postgres tail -n 30 "$work/pg/postgres.log" >&2; exit 1; }
as_postgres "$pg_bin/psql" -h "$work/pg/sock" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
	-c "CREATE ROLE n8n LOGIN PASSWORD '$pg_password'" \
	-c "CREATE DATABASE n8n OWNER n8n"
say "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (data $pg_data), database n8n"

# --- Redis: no persistence, loopback only -------------------------------------------------------
redis_port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/redis" \
	--logfile "$work/redis/redis.log" --daemonize no &
redis_pid=$!
for _ in $(seq 1 100); do
	[ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null || true)" = PONG ] && break
	kill -0 "$redis_pid" 2>/dev/null || { tail -n 20 "$work/redis/redis.log" >&2; exit 1; }
	sleep 0.1
done
say "Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/') on 127.0.0.1:$redis_port"
say "PostgreSQL and Redis ready in $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $infra_started }") s"

export QUEUE_E2E_PG_PORT=$pg_port QUEUE_E2E_PG_DATABASE=n8n QUEUE_E2E_PG_USER=n8n QUEUE_E2E_PG_PASSWORD=$pg_password
export QUEUE_E2E_REDIS_PORT=$redis_port

# In the background and waited for, so a signal to this script is handled at once.
jest -c e2e/queue/jest.config.js "$@" &
jest_pid=$!
wait "$jest_pid"

say "done in $(($(date +%s) - started)) s"

#!/usr/bin/env bash
# npm run test:e2e — the end-to-end suite: build, make sure the cached n8n 2.41.1 is installed
# (first time about 5 minutes and 3.1 GB in ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-plaid-layer),
# then jest with e2e/jest.config.js. Arguments go to jest (e.g. --ci, -t 'forged').
#
# Every process the suite starts outside its own process group (n8n with its task runner,
# chromium) records its group id in $E2E_PID_DIR; the trap below kills whatever is still
# there, however the run ends (failure, Ctrl-C, SIGTERM).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# Node 24 (the repo's `node` dev dependency), jest and ts-node, the same as under `npm run`.
export PATH="$root/node_modules/.bin:$PATH"
E2E_PID_DIR=$(mktemp -d "${TMPDIR:-/tmp}/plaid-layer-e2e-pids-XXXXXX")
export E2E_PID_DIR

say() { echo "[e2e] $*" >&2; }
# shellcheck source=e2e/cleanup.sh
. "$root/e2e/cleanup.sh"

jest_pid=
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop_jest "$jest_pid"
	stop_recorded "$E2E_PID_DIR"
	rm -rf "$E2E_PID_DIR"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$(date +%s)
chromium=${E2E_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
	echo "[e2e] $chromium is missing: apt-get update && apt-get install -y chromium (or set E2E_CHROMIUM)" >&2
	exit 1
fi

echo "[e2e] building the package" >&2
npm run build --silent
ts-node --transpile-only e2e/install.ts
# In the background and waited for, so a signal to this script is handled at once.
jest -c e2e/jest.config.js "$@" &
jest_pid=$!
wait "$jest_pid"

echo "[e2e] done in $(($(date +%s) - started)) s" >&2

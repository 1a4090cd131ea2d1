#!/usr/bin/env bash
# The integration suite against n8n 1.x (n8n-core 1.122.48, n8n-workflow 1.120.31,
# n8n-nodes-base 1.121.53: what n8n 1.123.81 uses), installed from compat/n8n-1's lockfile.
# Needs the root install (npm ci) for jest, ts-jest and Node 24. Extra arguments go to jest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
compat="$root/compat/n8n-1"
# The project's Node (the `node` devDependency) runs npm and jest, as for the main suite.
export PATH="$root/node_modules/.bin:$PATH"

# npm ci only when the lockfile changed since the last install: a warm run skips it.
# --ignore-scripts: no native builds (kafka, isolated-vm, …) for nodes the runner never loads.
stamp="$compat/node_modules/.compat-lock.sha256"
lock_sum="$(sha256sum "$compat/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
	(cd "$compat" && npm ci --ignore-scripts --no-audit --no-fund)
	echo "$lock_sum" >"$stamp"
fi

cd "$root"
exec jest -c compat/jest.n8n-1.config.js "$@"

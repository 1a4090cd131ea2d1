# Sourced by e2e/run.sh and e2e/queue/run.sh: stops what a run started, however it ends.
# Each script defines `say` (its log prefix) before calling these.

# stop_jest PID: TERM, then KILL after 2 s.
stop_jest() {
	local pid=$1
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		sleep 2
		kill -KILL "$pid" 2>/dev/null || true
	fi
}

# stop_recorded DIR: kills the process groups recorded as DIR/*.pgid (n8n with its task runner,
# chromium) and removes the n8n user folders recorded as DIR/*.folder.
stop_recorded() {
	local dir=$1 file pgid folder
	for file in "$dir"/*.pgid; do
		[ -e "$file" ] || continue
		pgid=$(cat "$file")
		if kill -0 -- "-$pgid" 2>/dev/null; then
			say "stopping leftover process group $pgid ($(basename "$file" .pgid))"
			kill -KILL -- "-$pgid" 2>/dev/null || true
		fi
	done
	for file in "$dir"/*.folder; do
		[ -e "$file" ] || continue
		folder=$(cat "$file")
		case "$folder" in
		*/plaid-layer-e2e-n8n-*) rm -rf -- "$folder" ;;
		esac
	done
}

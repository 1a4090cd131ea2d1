/**
 * CPU time from Linux's /proc: a whole process group's (n8n and the task runner it starts share
 * one) and the whole machine's, so a run can say what n8n used and what everything else did.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: /proc reports CPU time in ticks of 10 ms on Linux. */
const TICK_MS = 10;

/** user + system CPU (ms) of every live process whose process group is `pgid`. */
export function groupCpuMs(pgid: number): number {
	let ticks = 0;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // ended meanwhile
		}
		// The command name may hold spaces and brackets: fields are counted after its closing ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
		if (Number(fields[2]) !== pgid) continue;
		ticks += Number(fields[11]) + Number(fields[12]);
	}
	return ticks * TICK_MS;
}

/** Busy CPU time of the whole machine so far (ms, all cores), from /proc/stat. */
export function machineBusyMs(): number {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const [user, nice, system, , , irq, softirq, steal] = fields;
	return (user + nice + system + irq + softirq + (steal ?? 0)) * TICK_MS;
}

/** The 1-minute load average. */
export function loadAverage(): number {
	return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/**
 * The packed package on n8n 2.41's queue mode: a main instance, an `n8n webhook` process (both
 * take production webhooks and queue their executions) and two `n8n worker` processes that run
 * them, on PostgreSQL and Redis (started by e2e/queue/run.sh). A burst of sign-ups against the
 * Plaid emulator at 50 ms latency with 5 % injected 429/5xx, once through main and once through
 * the webhook process; signed SESSION_FINISHED webhooks to the webhook process; one worker
 * SIGKILLed mid-burst (through main).
 *
 * Then every visitor: the example onboarding (start, fallback Link token, finish) for visitors of
 * whom half take Layer and half, whom Layer does not know, standard Link; nothing lost.
 *
 * QUEUE_CALLS (default 500) sets the first burst; the worker-kill burst is 200 calls (QUEUE_CALLS
 * below 200: that many); QUEUE_VISITORS (default 60) the onboarding run; QUEUE_SEED the fault
 * sequence.
 */
import { LinkWindowCalls } from '../../emulator/link/window-calls';
import { getExecution, outputOf } from '../../e2e/executions';
import { log } from '../../e2e/install';
import { publishOnboarding, RECORD_NODE } from '../../e2e/onboarding';
import { exampleSignUp, pageConfigOf, type Completion } from '../../runner/onboarding-visitor';
import { servedBy, startQueueCluster, type ExecutionRecord, type QueueCluster } from '../../e2e/queue/cluster';
import { burst, summarize, type CallResult, type LatencySummary } from '../../e2e/queue/load';

const CALLS = Number(process.env.QUEUE_CALLS ?? 500);
const KILL_CALLS = Math.min(200, CALLS);
const FINISHES = Math.min(50, CALLS);
const VISITORS = 2 * Math.ceil(Number(process.env.QUEUE_VISITORS ?? 60) / 2);
const CONCURRENCY = 25;
const SEED = Number(process.env.QUEUE_SEED ?? 20260508);
const FAULTS = { rate: 0.05, kinds: ['rate_limit', 'internal_error', 'bad_gateway', 'service_unavailable'] as const, endpoints: ['/session/token/create', '/user/create'] };
const TERMINAL = new Set(['success', 'error', 'crashed', 'canceled']);

let cluster: QueueCluster;
/** user_id → link_token, from the burst through the webhook process. */
const tokens = new Map<string, string>();
/** Each burst's figures, by the process that took its webhooks. */
const bursts: Record<string, LatencySummary> = {};

beforeAll(async () => {
	cluster = await startQueueCluster({ workers: 2, webhookProcess: true });
	cluster.emulator.latencyMs = 50;
	cluster.emulator.injectFaults({ ...FAULTS, kinds: [...FAULTS.kinds], seed: SEED });
}, 300_000);

afterAll(async () => {
	await cluster?.stop();
});

function report(lines: string[]): void {
	log(['', ...lines, ''].join('\n[e2e]   '));
}

/** Waits until `workflowId` has at least `count` executions with an id above `afterId`, all finished. */
async function waitForExecutions(workflowId: string, count: number, afterId = 0, timeoutMs = 120_000): Promise<ExecutionRecord[]> {
	const deadline = Date.now() + timeoutMs;
	let executions: ExecutionRecord[] = [];
	while (Date.now() < deadline) {
		executions = (await cluster.db.executions(workflowId)).filter((execution) => Number(execution.id) > afterId);
		if (executions.length >= count && executions.every((execution) => TERMINAL.has(execution.status))) return executions;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	const byStatus = countBy(executions, (execution) => execution.status);
	throw new Error(`workflow ${workflowId} has ${executions.length} execution(s) after #${afterId} (${JSON.stringify(byStatus)}), expected ${count} finished`);
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}

/** Which worker's log says it ran each execution id. */
function workerOf(): Map<string, string[]> {
	const byExecution = new Map<string, string[]>();
	for (const worker of cluster.workers) {
		for (const id of worker.executions().started) byExecution.set(id, [...(byExecution.get(id) ?? []), worker.name]);
	}
	return byExecution;
}

/** Successful /session/token/create calls the emulator answered, by the caller's client_user_id. */
function issuedTokens(prefix: string): Map<string, string[]> {
	const byUser = new Map<string, string[]>();
	for (const request of cluster.emulator.requests) {
		if (request.path !== '/session/token/create' || request.status !== 200) continue;
		const clientUserId = ((request.body as { user?: { client_user_id?: string } }).user?.client_user_id ?? '') as string;
		if (!clientUserId.startsWith(prefix)) continue;
		byUser.set(clientUserId, [...(byUser.get(clientUserId) ?? []), (request.answer.link as { link_token: string }).link_token]);
	}
	return byUser;
}

const ms = (value: number) => `${Math.round(value)} ms`;

/**
 * CALLS sign-ups through `url`: every one answered 200 with its own link_token, which Plaid issued
 * for that user; one successful execution each; both workers ran some. Returns user_id → link_token.
 */
async function signUpBurst(url: string, prefix: string, takenBy: string): Promise<Map<string, string>> {
	const userIds = Array.from({ length: CALLS }, (_, index) => `${prefix}${String(index).padStart(4, '0')}`);
	const requestsBefore = cluster.emulator.requests.length;
	const lastIdBefore = Math.max(0, ...(await cluster.db.executions(cluster.start.id)).map((execution) => Number(execution.id)));
	const tokens = new Map<string, string>();

	const result = await burst({ url, userIds, concurrency: CONCURRENCY });

	const failed = result.results.filter((call) => call.status !== 200);
	expect(failed.map((call) => ({ userId: call.userId, status: call.status, body: call.body, error: call.error }))).toEqual([]);
	const linkTokens = result.results.map((call) => (call.body as { link_token?: string }).link_token);
	expect(linkTokens.every((token) => typeof token === 'string' && token.startsWith('link-sandbox-'))).toBe(true);
	expect(new Set(linkTokens).size).toBe(CALLS);
	for (const call of result.results) tokens.set(call.userId, (call.body as { link_token: string }).link_token);

	// Plaid's view: exactly one successful /session/token/create per sign-up, and the token it
	// issued for that user is the one that user got back (no answers crossed between callers).
	const issued = issuedTokens(prefix);
	expect([...issued.keys()].sort()).toEqual(userIds);
	expect([...issued.entries()].filter(([, list]) => list.length !== 1)).toEqual([]);
	expect(userIds.filter((userId) => issued.get(userId)![0] !== tokens.get(userId))).toEqual([]);

	// n8n's records: one successful execution per call.
	const executions = await waitForExecutions(cluster.start.id, CALLS, lastIdBefore);
	expect(executions).toHaveLength(CALLS);
	expect(countBy(executions, (execution) => execution.status)).toEqual({ success: CALLS });
	expect(new Set(executions.map((execution) => execution.mode))).toEqual(new Set(['webhook']));

	// Which worker ran which: from the workers' logs (n8n 2.41 does not record it per execution).
	const ran = workerOf();
	const split = countBy(executions, (execution) => (ran.get(execution.id) ?? ['(no worker logged it)']).join('+'));
	for (const worker of cluster.workers) expect(split[worker.name]).toBeGreaterThan(0);
	expect(Object.keys(split).sort()).toEqual(cluster.workers.map((worker) => worker.name).sort());

	const requests = cluster.emulator.requests.slice(requestsBefore);
	const faults = requests.filter((request) => request.fault);
	const summary = summarize(result);
	bursts[takenBy] = summary;
	report([
		`${CALLS} sign-ups through ${takenBy}, ${CONCURRENCY} in flight, emulator latency 50 ms, faults ${FAULTS.rate * 100} % (seed ${SEED}):`,
		`throughput ${summary.throughputPerSecond.toFixed(1)} calls/s (${(result.wallMs / 1000).toFixed(1)} s wall)`,
		`webhook latency p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}, max ${ms(summary.max)}`,
		`executions by worker: ${Object.entries(split).map(([name, count]) => `${name} ${count}`).join(', ')}`,
		`Plaid requests ${requests.length}: ${faults.length} injected faults (${Object.entries(countBy(faults, (request) => `${request.path} ${request.status}`)).map(([k, v]) => `${k} ×${v}`).join(', ')}), all retried by the node`,
	]);
	return tokens;
}

describe(`queue mode: main + webhook process + 2 workers, ${CALLS} sign-ups with ${CONCURRENCY} in flight`, () => {
	test(`through main: every sign-up is answered 200 with its own link_token; both workers ran some; none in error`, async () => {
		await signUpBurst(cluster.startWebhookUrl, 'queue-burst-', 'main');
	});

	test(`through the webhook process: the same, and its throughput and latency beside main's`, async () => {
		const webhook = cluster.webhook!;
		for (const [userId, token] of await signUpBurst(servedBy(webhook, cluster.n8n.url, cluster.startWebhookUrl), 'queue-webhook-', webhook.name)) tokens.set(userId, token);
		const row = (name: string, s: LatencySummary) => `  ${name.padEnd(22)} ${s.throughputPerSecond.toFixed(1).padStart(5)} calls/s   p50 ${ms(s.p50)}   p95 ${ms(s.p95)}   max ${ms(s.max)}`;
		report([`${CALLS} sign-ups, ${CONCURRENCY} in flight, taken by:`, row('main (n8n start)', bursts.main), row(`${webhook.name} (n8n webhook)`, bursts[webhook.name])]);
	});
	test(`${FINISHES} signed SESSION_FINISHED webhooks to the webhook process run the finish workflow ${FINISHES} times, each with its session`, async () => {
		expect(tokens.size).toBe(CALLS);
		const chosen = [...tokens.entries()].slice(0, FINISHES);
		const started = performance.now();
		const outcomes: Array<{ userId: string; linkToken: string; status: string; deliveries: number[] }> = [];
		const queue = [...chosen];
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				for (let next = queue.shift(); next; next = queue.shift()) {
					const [userId, linkToken] = next;
					const outcome = await cluster.emulator.finishLayerSession(linkToken, { webhookUrl: servedBy(cluster.webhook!, cluster.n8n.url, cluster.triggerWebhookUrl) });
					outcomes.push({ userId, linkToken, status: outcome.status, deliveries: outcome.deliveries.map((delivery) => delivery.status) });
				}
			}),
		);
		const wallMs = performance.now() - started;
		expect(outcomes.filter((outcome) => outcome.status !== 'SUCCESS' || outcome.deliveries.some((status) => status !== 200))).toEqual([]);

		const executions = await waitForExecutions(cluster.finish.id, FINISHES);
		expect(countBy(executions, (execution) => execution.status)).toEqual({ success: FINISHES });
		// Each execution is one of the sessions (its stored run data has that session's link_token).
		const sessions = await cluster.db.executionsMatching(cluster.finish.id, 'link-sandbox-[0-9a-f-]+');
		expect([...sessions.values()].flat().sort()).toEqual(chosen.map(([, linkToken]) => linkToken).sort());
		const detail = await getExecution(cluster.n8n, cluster.client, executions[0].id);
		expect(detail.lastNodeExecuted).toBe('Shape onboarding result');
		expect(outputOf(detail, 'Shape onboarding result')).toEqual([expect.objectContaining({ phone_number: '+14155550011', full_name: 'Leslie Knope' })]);

		const ran = workerOf();
		const split = countBy(executions, (execution) => (ran.get(execution.id) ?? ['(no worker logged it)']).join('+'));
		report([
			`${FINISHES} Layer sessions finished (2 signed webhooks each, 10 at a time) in ${(wallMs / 1000).toFixed(1)} s`,
			`finish executions by worker: ${Object.entries(split).map(([name, count]) => `${name} ${count}`).join(', ')}`,
		]);
	});

	test(`every visitor: ${VISITORS} through the example onboarding, half through Layer and half through the fallback to standard Link; every one ends in its onboarding record`, async () => {
		const onboarding = await publishOnboarding(cluster);
		const post = async (path: string, body: object) => {
			const response = await fetch(`${cluster.n8n.url}/webhook/onboarding/${path}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(120_000),
			});
			const text = await response.text();
			if (response.status !== 200) throw new Error(`POST onboarding/${path} → ${response.status} ${text.slice(0, 300)}`);
			return text;
		};
		/** One visitor, as the page's script plays it (Link's window calls go to the emulator). */
		const visit = async (index: number): Promise<{ userId: string; flow: 'layer' | 'link'; publicToken: string }> => {
			const userId = `queue-visitor-${String(index).padStart(4, '0')}`;
			const page = pageConfigOf(await post('start', exampleSignUp(userId)));
			let completion: Completion;
			if (index % 2 === 0) {
				const { publicToken, metadata } = await new LinkWindowCalls(cluster.emulator).finishLayer(page.linkToken);
				completion = { flow: 'layer', link_token: page.linkToken, phone_number: '+14155550011', public_token: publicToken, link_session_id: String(metadata.link_session_id), metadata: metadata as Completion["metadata"] };
			} else {
				const layer = new LinkWindowCalls(cluster.emulator);
				await layer.start(page.linkToken);
				await layer.submit({ phone_number: '+14155550000' });
				await layer.submit({ date_of_birth: '1975-01-18' });
				const fallback = JSON.parse(await post('fallback-token', { phone_number: '+14155550000', date_of_birth: '1975-01-18', link_token: page.linkToken })) as { link_token: string };
				const { publicToken, metadata } = await new LinkWindowCalls(cluster.emulator).finishBank(fallback.link_token);
				completion = { flow: 'link', link_token: fallback.link_token, phone_number: '+14155550000', public_token: publicToken, link_session_id: String(metadata.link_session_id), metadata: metadata as Completion["metadata"] };
			}
			expect(JSON.parse(await post('complete', completion))).toEqual({ status: 'received' });
			return { userId, flow: completion.flow, publicToken: completion.public_token };
		};

		const started = performance.now();
		const indexes = Array.from({ length: VISITORS }, (_, index) => index);
		const visitors: Array<{ userId: string; flow: 'layer' | 'link'; publicToken: string }> = [];
		const failures: string[] = [];
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				for (let index = indexes.shift(); index !== undefined; index = indexes.shift()) {
					try {
						visitors.push(await visit(index));
					} catch (error) {
						failures.push(`visitor ${index}: ${(error as Error).message}`);
					}
				}
			}),
		);
		const wallMs = performance.now() - started;
		expect(failures).toEqual([]);

		// n8n's records: a finish per visitor, a fallback token for each who took standard Link; none in error.
		const finishes = await waitForExecutions(onboarding.finish.id, VISITORS);
		expect(countBy(finishes, (execution) => execution.status)).toEqual({ success: VISITORS });
		expect(countBy(await waitForExecutions(onboarding.fallback.id, VISITORS / 2), (execution) => execution.status)).toEqual({ success: VISITORS / 2 });
		expect(countBy(await waitForExecutions(onboarding.start.id, VISITORS), (execution) => execution.status)).toEqual({ success: VISITORS });

		// Each record is its visitor's, by the way they came.
		const records = await Promise.all(finishes.map(async (execution) => outputOf(await getExecution(cluster.n8n, cluster.client, execution.id), RECORD_NODE)[0]));
		const byClient = new Map(records.map((record) => [record.client_user_id as string, record]));
		expect(visitors.filter(({ userId, flow }) => byClient.get(userId)?.flow !== flow)).toEqual([]);
		expect(records.filter((record) => (record.accounts as unknown[]).length !== 2)).toEqual([]);
		// Plaid's view: every standard Link public token exchanged exactly once.
		const exchanged = countBy(
			cluster.emulator.requests.filter((request) => request.path === '/item/public_token/exchange' && request.status === 200),
			(request) => (request.body as { public_token: string }).public_token,
		);
		const linkTokens = visitors.filter(({ flow }) => flow === 'link').map(({ publicToken }) => publicToken);
		expect(linkTokens.filter((token) => exchanged[token] !== 1)).toEqual([]);

		const ran = workerOf();
		report([
			`${VISITORS} visitors through the example onboarding (${VISITORS / 2} Layer, ${VISITORS / 2} standard Link), 10 at a time, in ${(wallMs / 1000).toFixed(1)} s: ${(VISITORS / (wallMs / 1000)).toFixed(1)} visitors/s`,
			`finish executions by worker: ${JSON.stringify(countBy(finishes, (execution) => (ran.get(execution.id) ?? ['none']).join('+')))}`,
		]);
	});

	test(`a worker SIGKILLed in the middle of ${KILL_CALLS} sign-ups: every call is answered with a token, or answered with an error and recorded as failed`, async () => {
		const [victim, survivor] = cluster.workers;
		const userIds = Array.from({ length: KILL_CALLS }, (_, index) => `queue-kill-${String(index).padStart(4, '0')}`);
		const lastIdBefore = Math.max(0, ...(await cluster.db.executions(cluster.start.id)).map((execution) => Number(execution.id)));
		let killedAt = 0;
		let killedAtDate = 0;
		let inFlightOnVictim: string[] = [];
		const started = performance.now();

		const result = await burst({
			url: cluster.startWebhookUrl,
			userIds,
			concurrency: CONCURRENCY,
			onProgress: (completed) => {
				if (completed !== Math.floor(KILL_CALLS / 2)) return;
				const { started: begun, finished } = victim.executions();
				inFlightOnVictim = begun.filter((id) => !finished.includes(id));
				killedAt = performance.now() - started;
				killedAtDate = Date.now();
				victim.kill();
				log(`SIGKILL to ${victim.name}'s process group (pid ${victim.pid}) after ${completed} answers, ${(killedAt / 1000).toFixed(1)} s in; its log shows ${inFlightOnVictim.length} execution(s) running: ${inFlightOnVictim.join(', ')}`);
			},
		});
		const answeredAfterMs = performance.now() - started;
		expect(await victim.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });
		expect(inFlightOnVictim.length).toBeGreaterThan(0);

		// n8n's records for this burst: every call made an execution; wait for all to finish.
		const executions = await waitForExecutions(cluster.start.id, KILL_CALLS, lastIdBefore, 240_000);
		const settledAfterMs = performance.now() - started;
		expect(executions).toHaveLength(KILL_CALLS);
		const succeeded = executions.filter((execution) => execution.status === 'success');
		const failed = executions.filter((execution) => execution.status !== 'success');
		// Run data names the sign-up it served; n8n replaces a failed execution's run data with the
		// error, so failed executions are matched to failed calls by elimination (and counted).
		const userOf = await cluster.db.executionsMatching(cluster.start.id, 'queue-kill-[0-9]+');
		const succeededUsers = succeeded.map((execution) => userOf.get(execution.id) ?? []);
		expect(succeededUsers.filter((users) => users.length !== 1)).toEqual([]);

		const issued = issuedTokens('queue-kill-');
		const ran = workerOf();
		const servedBy = new Set(succeededUsers.flat());
		const gotItsToken = (call: CallResult) => call.status === 200 && issued.get(call.userId)?.[0] === (call.body as { link_token?: string }).link_token;
		const categories = {
			'answered 200 with its link_token, execution success': result.results.filter((call) => gotItsToken(call) && servedBy.has(call.userId)),
			'answered 200 with its link_token, execution recorded as failed': result.results.filter((call) => gotItsToken(call) && !servedBy.has(call.userId)),
			'answered with an error status': result.results.filter((call) => call.status !== 200 && call.status !== 0),
			'no answer': result.results.filter((call) => call.status === 0),
			'answered 200 without its link_token': result.results.filter((call) => call.status === 200 && !gotItsToken(call)),
		};
		const [ok, answeredButFailed, errorStatus, noAnswer, wrongToken] = Object.values(categories);
		const failedDetail = failed.length ? await getExecution(cluster.n8n, cluster.client, failed[0].id) : undefined;
		const markedAfterKill = failed.map((execution) => (execution.stoppedAt!.getTime() - killedAtDate) / 1000);

		report([
			`${KILL_CALLS} sign-ups, ${victim.name} SIGKILLed after ${Math.floor(KILL_CALLS / 2)} answers (${(killedAt / 1000).toFixed(1)} s in); its log showed ${inFlightOnVictim.length} execution(s) running: ${inFlightOnVictim.join(', ')}`,
			`last answer after ${(answeredAfterMs / 1000).toFixed(1)} s; all ${KILL_CALLS} executions finished after ${(settledAfterMs / 1000).toFixed(1)} s`,
			'calls:',
			...Object.entries(categories).map(([category, calls]) => `  ${category}: ${calls.length}`),
			`error answers: ${JSON.stringify(countBy(errorStatus, (call) => `${call.status} ${JSON.stringify(call.body)}`))}, after ${errorStatus.map((call) => (call.latencyMs / 1000).toFixed(0)).join(', ')} s`,
			`executions: ${JSON.stringify(countBy(executions, (execution) => execution.status))}; by worker: ${JSON.stringify(countBy(executions, (execution) => (ran.get(execution.id) ?? ['none']).join('+')))}`,
			`failed executions: ${failed.map((execution) => `#${execution.id} ${execution.status} (${ran.get(execution.id)?.join('+') ?? 'no worker logged it'}${execution.startedAt ? '' : ', never started'})`).join(', ')}`,
			`  marked ${Math.min(...markedAfterKill).toFixed(0)}–${Math.max(...markedAfterKill).toFixed(0)} s after the kill, with: ${failedDetail?.error?.message}`,
			`link tokens Plaid issued for calls that got no token: ${[...errorStatus, ...noAnswer].filter((call) => issued.has(call.userId)).length}`,
			`${victim.name} seen gone ${((victim.exitedAt! - killedAtDate) / 1000).toFixed(3)} s after the SIGKILL; executions created in between: ${executions.filter((execution) => execution.createdAt.getTime() > killedAtDate && execution.createdAt.getTime() <= victim.exitedAt!).map((execution) => `#${execution.id} ${execution.status}`).join(', ') || 'none'}`,
		]);

		// Nothing silently lost: every call got its own token, or failed visibly; n8n recorded every
		// execution it did not finish as failed, and there are exactly as many as calls that did not
		// end in a successful execution.
		expect(wrongToken).toEqual([]);
		expect(succeeded.length).toBe(ok.length);
		expect(failed.length).toBe(answeredButFailed.length + errorStatus.length + noAnswer.length);
		expect(ok.length + answeredButFailed.length + errorStatus.length + noAnswer.length).toBe(KILL_CALLS);
		expect(failed.filter((execution) => execution.status !== 'error' && execution.status !== 'crashed')).toEqual([]);
		expect(errorStatus.filter((call) => call.status < 500)).toEqual([]);
		expect(failedDetail?.error?.message).toMatch(/failed to be processed too many times|stalled/);
		// The failures are the victim's: none of them ran on the survivor.
		expect(failed.filter((execution) => ran.get(execution.id)?.includes(survivor.name))).toEqual([]);
		expect(failed.length).toBeGreaterThan(0);
		// No execution ran twice, and Plaid never issued two tokens for one call.
		expect([...ran.values()].filter((workers) => workers.length > 1)).toEqual([]);
		expect([...issued.values()].filter((list) => list.length > 1)).toEqual([]);
		// What a caller does with an error: try again. The survivor answers, for the same Plaid user.
		const retried = await burst({ url: cluster.startWebhookUrl, userIds: [...errorStatus, ...noAnswer].map((call) => call.userId), concurrency: CONCURRENCY });
		expect(retried.results.filter((call) => call.status !== 200)).toEqual([]);
		expect(retried.results.filter((call) => (call.body as { user_id: string }).user_id !== cluster.emulator.state.users.get(call.userId)?.user_id)).toEqual([]);
		log(`the ${retried.results.length} failed sign-ups tried again: all answered 200 with a link_token, for the Plaid user created the first time`);
		// The surviving worker took over: every execution created once the victim was gone ran there,
		// and succeeded. "Gone" is its exit as seen here plus a second: a job queued in the instant
		// of the kill can still be handed to the dying worker (Redis serves its blocked fetch until
		// it reads the closed connection) and then fails like the rest, never started.
		const goneAt = victim.exitedAt! + 1_000;
		const afterGone = executions.filter((execution) => execution.createdAt.getTime() > goneAt);
		expect(afterGone.length).toBeGreaterThan(0);
		expect(afterGone.filter((execution) => !ran.get(execution.id)?.includes(survivor.name) || execution.status !== 'success')).toEqual([]);
	});
});

/**
 * n8n in queue mode: one main instance (`n8n start`, EXECUTIONS_MODE=queue) that takes the
 * webhooks and puts executions on the Bull queue in Redis, optionally an `n8n webhook` process
 * that does the same for production webhooks on its own port, and `n8n worker` processes that
 * run them, all on one PostgreSQL database. PostgreSQL and Redis are started by e2e/queue/run.sh,
 * which passes where they listen in QUEUE_E2E_* variables.
 *
 * The main instance is the e2e stack (e2e/stack.ts: emulator, outbound guard, owner, credential,
 * both example workflows published); the workers share its user folder, so they load the same
 * installed package, and its environment, so they use the same database, Redis and encryption key.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { log } from '../install';
import { startStack, type Stack } from '../stack';
import { N8nQueueProcess, type WorkerStartOptions } from './worker';

export interface QueueInfrastructure {
	postgres: { host: string; port: number; database: string; user: string; password: string };
	redis: { host: string; port: number };
}

/** Where run.sh started PostgreSQL and Redis. */
export function infrastructureFromEnv(env: NodeJS.ProcessEnv = process.env): QueueInfrastructure {
	const required = (name: string): string => {
		const value = env[name];
		if (!value) throw new Error(`${name} is not set: run the queue-mode suite with e2e/queue/run.sh (npm run test:queue), which starts PostgreSQL and Redis`);
		return value;
	};
	return {
		postgres: {
			host: '127.0.0.1',
			port: Number(required('QUEUE_E2E_PG_PORT')),
			database: required('QUEUE_E2E_PG_DATABASE'),
			user: required('QUEUE_E2E_PG_USER'),
			password: required('QUEUE_E2E_PG_PASSWORD'),
		},
		redis: { host: '127.0.0.1', port: Number(required('QUEUE_E2E_REDIS_PORT')) },
	};
}

/** What makes an n8n process a queue-mode instance on this infrastructure (the same for main and workers). */
export function queueModeEnv(infra: QueueInfrastructure, encryptionKey: string): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: infra.postgres.host,
		DB_POSTGRESDB_PORT: String(infra.postgres.port),
		DB_POSTGRESDB_DATABASE: infra.postgres.database,
		DB_POSTGRESDB_USER: infra.postgres.user,
		DB_POSTGRESDB_PASSWORD: infra.postgres.password,
		QUEUE_BULL_REDIS_HOST: infra.redis.host,
		QUEUE_BULL_REDIS_PORT: String(infra.redis.port),
		// Workers decrypt the credential the main instance stored: one key for all.
		N8N_ENCRYPTION_KEY: encryptionKey,
	};
}

export interface QueueCluster extends Stack {
	workers: N8nQueueProcess[];
	/** The `n8n webhook` process, when started (`webhookProcess: true`). */
	webhook?: N8nQueueProcess;
	infra: QueueInfrastructure;
	/** n8n's database, for its execution records (n8n's own `pg`). */
	db: QueueDatabase;
}

/** A production webhook URL of main, served by `process` instead (the same path on its own port). */
export function servedBy(process: N8nQueueProcess, mainUrl: string, webhookUrl: string): string {
	if (!webhookUrl.startsWith(`${mainUrl}/webhook/`)) throw new Error(`${webhookUrl} is not a production webhook of ${mainUrl}`);
	return `${process.url}${webhookUrl.slice(mainUrl.length)}`;
}

export async function startQueueCluster(
	options: { workers?: number; worker?: WorkerStartOptions; env?: Record<string, string>; webhookProcess?: boolean } = {},
): Promise<QueueCluster> {
	const started = Date.now();
	const infra = infrastructureFromEnv();
	const env = { ...queueModeEnv(infra, randomBytes(24).toString('hex')), ...options.env };
	const stack = await startStack({ activate: true, n8n: { env } });
	const workers: N8nQueueProcess[] = [];
	let webhook: N8nQueueProcess | undefined;
	let db: QueueDatabase | undefined;
	try {
		const count = options.workers ?? 2;
		// One after the other: two n8n start-ups at once on 2 cores only make both slower.
		for (let index = 1; index <= count; index++) workers.push(await N8nQueueProcess.startWorker(stack.n8n, `worker-${index}`, options.worker));
		// After main published the workflows: the webhook process finds their webhooks in the database.
		if (options.webhookProcess) webhook = await N8nQueueProcess.startWebhook(stack.n8n, 'webhook-1');
		db = new QueueDatabase(stack.n8n.install.dir, infra);
		log(
			`queue cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s: main ${stack.n8n.url}, ${workers.length} workers${webhook ? `, webhook process ${webhook.url}` : ''}, postgres :${infra.postgres.port}, redis :${infra.redis.port}`,
		);
	} catch (error) {
		webhook?.kill();
		for (const worker of workers) worker.kill();
		await db?.close();
		await stack.n8n.stop({ keepUserFolder: true });
		await stack.guard.stop();
		await stack.emulator.stop();
		throw error;
	}
	const database = db;
	return {
		...stack,
		workers,
		webhook,
		infra,
		db: database,
		async stop() {
			await webhook?.stop();
			await Promise.all(workers.map((worker) => worker.stop()));
			await database.close();
			await stack.stop();
		},
	};
}

interface PgPool {
	query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
	end(): Promise<void>;
}

export interface ExecutionRecord {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	createdAt: Date;
	startedAt: Date | null;
	stoppedAt: Date | null;
}

/**
 * n8n's execution records read straight from its PostgreSQL tables (`execution_entity`,
 * `execution_data`): the REST list pages 100 at a time behind a cursor, and the tests need all of
 * them plus which sign-up each one was.
 */
export class QueueDatabase {
	private readonly pool: PgPool;

	constructor(n8nInstallDir: string, infra: QueueInfrastructure) {
		const { Pool } = createRequire(join(n8nInstallDir, 'node_modules/n8n/package.json'))('pg') as { Pool: new (config: object) => PgPool };
		this.pool = new Pool({ ...infra.postgres, max: 2 });
	}

	async executions(workflowId: string): Promise<ExecutionRecord[]> {
		const { rows } = await this.pool.query<ExecutionRecord>(
			'SELECT id::text AS id, "workflowId", status, mode, "createdAt", "startedAt", "stoppedAt" FROM execution_entity WHERE "workflowId" = $1 ORDER BY id',
			[workflowId],
		);
		return rows;
	}

	/**
	 * Execution id → the strings in its stored run data that match `pattern` (a POSIX regex), e.g.
	 * the user_id a sign-up sent; run data is n8n's `flatted` text, in which every string is a JSON string.
	 */
	async executionsMatching(workflowId: string, pattern: string): Promise<Map<string, string[]>> {
		const { rows } = await this.pool.query<{ id: string; match: string }>(
			`SELECT e.id::text AS id, m[1] AS match
			   FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id,
			        regexp_matches(d.data, $2, 'g') AS m
			  WHERE e."workflowId" = $1`,
			[workflowId, `"(${pattern})"`],
		);
		const byId = new Map<string, string[]>();
		for (const { id, match } of rows) byId.set(id, [...new Set([...(byId.get(id) ?? []), match])]);
		return byId;
	}

	async close(): Promise<void> {
		await this.pool.end();
	}
}

/**
 * Create Layer Session Token with Create User First, through n8n-core's WorkflowExecute against the
 * Plaid emulator: /user/create then /session/token/create in one item, each checked against Plaid's
 * schema by the emulator, and what happens when the second request fails after the first worked.
 */
import { DEFAULT_TEMPLATE_ID } from '../../emulator/server';
import { runWorkflow, type WorkflowDefinition } from '../../runner/run-workflow';
import { sharedEmulator } from '../support/shared-emulator';
import { NEXT_NODE, PLAID_NODE, sessionTokenWorkflow, signups } from './workflows';

const emulator = sharedEmulator();

async function run(workflow: WorkflowDefinition, users: string[]) {
	return await runWorkflow(workflow, {
		mode: 'webhook',
		credentials: { plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret } },
		triggerItems: signups(...users),
	});
}

const createUserFirst = (parameters: Record<string, unknown> = {}) =>
	sessionTokenWorkflow({ templateId: DEFAULT_TEMPLATE_ID, createUser: true, clientUserId: '={{ $json.body.user }}', ...parameters });

test('each item creates its Plaid user, then its session with that user_id, and outputs it', async () => {
	const result = await run(createUserFirst({ requestOptions: { concurrency: 1 } }), ['ann', 'ben']);

	expect(result.error).toBeUndefined();
	expect(emulator.requests.map((request) => [request.path, request.status])).toEqual([
		['/user/create', 200],
		['/session/token/create', 200],
		['/user/create', 200],
		['/session/token/create', 200],
	]);
	const users = ['ann', 'ben'].map((user) => emulator.state.users.get(user)!.user_id);
	expect(emulator.requests[0].body).toEqual({ client_user_id: 'ann' });
	expect(emulator.requests[1].body).toEqual({ template_id: DEFAULT_TEMPLATE_ID, user: { client_user_id: 'ann' }, user_id: users[0] });
	expect(emulator.requests[3].body).toEqual({ template_id: DEFAULT_TEMPLATE_ID, user: { client_user_id: 'ben' }, user_id: users[1] });

	const output = result.jsonOf(PLAID_NODE);
	expect(output).toEqual([
		{ link_token: (emulator.requests[1].answer.link as { link_token: string }).link_token, expiration: expect.any(String), user_id: users[0], request_id: emulator.requests[1].answer.request_id },
		{ link_token: (emulator.requests[3].answer.link as { link_token: string }).link_token, expiration: expect.any(String), user_id: users[1], request_id: emulator.requests[3].answer.request_id },
	]);
	expect(result.itemsOf(PLAID_NODE).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	expect(result.jsonOf(NEXT_NODE).map((next) => next.token)).toEqual(output.map((item) => item.link_token));
});

test('a transient /user/create failure is retried before the session is asked for; the user is created once', async () => {
	emulator.failNext('service_unavailable');
	emulator.failNext('rate_limit');
	const result = await run(createUserFirst(), ['cat']);

	expect(result.error).toBeUndefined();
	expect(emulator.requests.map((request) => `${request.path} ${request.status}`)).toEqual([
		'/user/create 503',
		'/user/create 429',
		'/user/create 200',
		'/session/token/create 200',
	]);
	expect(emulator.requests[2].answer.user_id).toBe(emulator.state.users.get('cat')!.user_id);
	expect(result.jsonOf(PLAID_NODE)[0].user_id).toBe(emulator.state.users.get('cat')!.user_id);
});

test('user created but the token refused: the item fails with Plaid\'s error; run again, the same user gets a token', async () => {
	const failed = await run(createUserFirst({ templateId: 'template_missing' }), ['dan']);

	expect(emulator.requests.map((request) => `${request.path} ${request.status}`)).toEqual(['/user/create 200', '/session/token/create 400']);
	expect(failed.error?.name).toBe('NodeApiError');
	expect(failed.error?.message).toBe('Plaid INVALID_FIELD: template_id not found: template_missing');
	expect(failed.error?.context.itemIndex).toBe(0);
	const firstUser = emulator.state.users.get('dan')!.user_id;

	const again = await run(createUserFirst(), ['dan']);
	expect(again.error).toBeUndefined();
	// Plaid answers a client_user_id it knows with the same user (/user/create is idempotent).
	expect(emulator.requests.at(-2)!.answer.user_id).toBe(firstUser);
	expect(again.jsonOf(PLAID_NODE)[0].user_id).toBe(firstUser);
});

test('with continue-on-fail a refused /user/create becomes that item\'s error item; the others get tokens', async () => {
	const tooLong = 'x'.repeat(200);
	const result = await runWorkflow(
		sessionTokenWorkflow({ templateId: DEFAULT_TEMPLATE_ID, createUser: true, clientUserId: '={{ $json.body.user }}' }, { continueOnFail: true }),
		{
			mode: 'webhook',
			credentials: { plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret } },
			triggerItems: signups('eve', tooLong, 'fay'),
		},
	);

	expect(result.error).toBeUndefined();
	const output = result.jsonOf(PLAID_NODE);
	expect(output[1]).toEqual({ error: expect.objectContaining({ message: 'Client User ID is 200 characters long; Plaid allows at most 128 [item 1]' }) });
	expect([output[0].user_id, output[2].user_id]).toEqual([emulator.state.users.get('eve')!.user_id, emulator.state.users.get('fay')!.user_id]);
	// The refused item sent nothing: two users, two tokens.
	expect(emulator.requests.filter((request) => request.path === '/user/create')).toHaveLength(2);
	expect(emulator.requests.filter((request) => request.path === '/session/token/create')).toHaveLength(2);
});

test('without the option a saved workflow sends exactly what it sent before: no /user/create', async () => {
	const result = await run(sessionTokenWorkflow({ templateId: DEFAULT_TEMPLATE_ID, clientUserId: '={{ $json.body.user }}' }), ['gus']);

	expect(result.error).toBeUndefined();
	expect(emulator.requests.map((request) => request.path)).toEqual(['/session/token/create']);
	expect(Object.keys(result.jsonOf(PLAID_NODE)[0])).toEqual(['link_token', 'expiration', 'request_id']);
});

test('parameters read once per execution are only those without expressions: per-item expressions, nested ones too, still differ per item', async () => {
	const result = await run(
		sessionTokenWorkflow({
			templateId: `={{ "${DEFAULT_TEMPLATE_ID}" }}`,
			clientUserId: '={{ $json.body.user }}',
			additionalFields: { webhook: '=https://n8n.example.com/webhook/{{ $json.body.user }}', androidPackageName: 'com.example.onboarding' },
			requestOptions: { concurrency: 1 },
		}),
		['hal', 'ivy', 'jon'],
	);

	expect(result.error).toBeUndefined();
	expect(emulator.requests.map((request) => request.body)).toEqual(
		['hal', 'ivy', 'jon'].map((user) => ({
			template_id: DEFAULT_TEMPLATE_ID,
			user: { client_user_id: user },
			android_package_name: 'com.example.onboarding',
			webhook: `https://n8n.example.com/webhook/${user}`,
		})),
	);
});

import { PlaidEmulator, type EmulatorOptions } from '../../emulator/server';

/**
 * One Plaid emulator for a test file: started before its tests, reset (recorded requests, faults,
 * latency) before each, stopped after. The returned object stands in for the instance, which only
 * exists once the file's tests start.
 */
export function sharedEmulator(options: EmulatorOptions = {}): PlaidEmulator {
	let started: PlaidEmulator | undefined;
	beforeAll(async () => {
		started = await PlaidEmulator.start(options);
	});
	afterAll(async () => {
		await started?.stop();
	});
	beforeEach(() => started?.reset());
	const instance = () => {
		if (!started) throw new Error('The emulator starts in beforeAll: use it inside tests and hooks');
		return started;
	};
	return new Proxy({} as PlaidEmulator, {
		get: (_target, key) => {
			const value: unknown = Reflect.get(instance(), key);
			return typeof value === 'function' ? value.bind(instance()) : value;
		},
		// Switches such as `latencyMs` are set on the running emulator.
		set: (_target, key, value) => Reflect.set(instance(), key, value),
	});
}

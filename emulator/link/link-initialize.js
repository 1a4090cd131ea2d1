/*
 * A stand-in for Plaid's Link script (https://cdn.plaid.com/link/v2/stable/link-initialize.js),
 * served by the Plaid emulator at GET /link/v2/stable/link-initialize.js so a Layer page can be
 * driven end to end offline. It plays Layer's client flow for Plaid's Sandbox test numbers, with
 * no window of its own (the user's part in Plaid's window — the SMS code — is taken as done):
 *
 *   Plaid.create({ token, onLoad, onEvent, onSuccess, onExit }) → { submit, open, exit, destroy }
 *   onLoad fires right after create.
 *   submit({ phone_number })  +14155550011 → onEvent('LAYER_READY'); the session is finished in
 *                             the emulator at that point (public token issued, webhooks sent).
 *                             Any other E.164 number → onEvent('LAYER_NOT_AVAILABLE').
 *   submit({ date_of_birth }) → onEvent('LAYER_AUTOFILL_NOT_AVAILABLE'): the emulator has no
 *                             Extended Autofill profiles.
 *   open() after LAYER_READY  → onEvent OPEN, VERIFY_PHONE, HANDOFF, then
 *                             onSuccess(public_token, { link_session_id, institution, accounts }).
 *   exit()                    → onExit(null, metadata).
 *   An unknown link_token, a phone number not in E.164 or a date not YYYY-MM-DD → onExit(error)
 *   with Plaid's error fields (INVALID_LINK_TOKEN, INVALID_FIELD).
 *
 * Each submit is a POST to <this script's origin>/emulator/layer/submit; the page therefore needs
 * that origin in its connect-src, as it would need Plaid's.
 */
(function () {
	'use strict';

	var script = document.currentScript;
	var origin = script && script.src ? new URL(script.src).origin : window.location.origin;

	function later(callback) {
		Promise.resolve().then(callback);
	}

	function post(body) {
		return window
			.fetch(origin + '/emulator/layer/submit', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
				credentials: 'omit',
			})
			.then(function (response) {
				return response.json().then(function (answer) {
					return { ok: response.ok, answer: answer };
				});
			});
	}

	function create(config) {
		if (!config || typeof config !== 'object') throw new TypeError('Plaid.create needs a configuration object');
		var token = config.token;
		var state = { sessionId: null, publicToken: null, opened: false, done: false };

		function call(name, a, b) {
			if (state.done && name !== 'onExit' && name !== 'onSuccess') return;
			if (typeof config[name] === 'function') config[name](a, b);
		}
		function emit(eventName, extra) {
			if (state.done) return;
			var metadata = {
				error_type: null,
				error_code: null,
				error_message: null,
				exit_status: null,
				institution_id: null,
				institution_name: null,
				institution_search_query: null,
				mfa_type: null,
				view_name: null,
				request_id: null,
				link_session_id: state.sessionId,
				timestamp: new Date().toISOString(),
				selection: null,
			};
			for (var key in extra || {}) metadata[key] = extra[key];
			call('onEvent', eventName, metadata);
		}
		function finishWithExit(error) {
			if (state.done) return;
			emit('EXIT', error ? { error_type: error.error_type, error_code: error.error_code, error_message: error.error_message } : {});
			state.done = true;
			call('onExit', error, {
				status: null,
				institution: null,
				link_session_id: state.sessionId,
				request_id: error && error.request_id ? error.request_id : null,
			});
		}

		later(function () {
			call('onLoad');
		});

		return {
			submit: function (data) {
				if (state.done) return;
				var body = { link_token: token };
				if (data && data.phone_number !== undefined) body.phone_number = data.phone_number;
				else if (data && data.date_of_birth !== undefined) body.date_of_birth = data.date_of_birth;
				post(body).then(
					function (reply) {
						var answer = reply.answer;
						if (!reply.ok) {
							finishWithExit(answer);
							return;
						}
						if (answer.public_token) {
							state.publicToken = answer.public_token;
							state.sessionId = answer.link_session_id;
						} else if (!state.sessionId) {
							state.sessionId = answer.link_session_id;
						}
						emit(answer.event, {});
					},
					function (error) {
						finishWithExit({
							error_type: 'API_ERROR',
							error_code: 'INTERNAL_SERVER_ERROR',
							error_message: 'the emulator could not be reached: ' + String(error),
							display_message: null,
						});
					},
				);
			},
			open: function () {
				if (state.done || state.opened) return;
				if (!state.publicToken) {
					// Plaid's Layer flow opens only after LAYER_READY.
					window.console.warn('Plaid emulator: open() before LAYER_READY is ignored');
					return;
				}
				state.opened = true;
				emit('OPEN', { view_name: 'LAYER' });
				emit('VERIFY_PHONE', { view_name: 'VERIFY_PHONE' });
				emit('HANDOFF', { view_name: 'CONNECTED' });
				state.done = true;
				later(function () {
					call('onSuccess', state.publicToken, {
						link_session_id: state.sessionId,
						institution: null,
						accounts: [],
						transfer_status: null,
					});
				});
			},
			exit: function () {
				finishWithExit(null);
			},
			destroy: function () {
				state.done = true;
			},
		};
	}

	window.Plaid = { version: 'plaid-emulator', create: create };
})();

/*
 * Link's window in the emulator: the page inside the iframe that link-initialize.js injects,
 * served by the emulator's Link origin (the stand-in for https://cdn.plaid.com). It behaves as
 * Link's window does where a page, a CSP or a sandbox can break it:
 *
 * - It keeps its session in its own origin's storage (sessionStorage, localStorage, a cookie). In
 *   an iframe that inherited a `sandbox` without allow-same-origin (n8n's webhook pages, GUIDE §6b:
 *   measured in chromium, storage and document.cookie throw SecurityError there) that throws at
 *   start and Link never loads, with nothing shown to the page.
 * - It talks to the page only by postMessage, addressed to the origin link-initialize.js named
 *   (the page's location.origin), and accepts only messages from its parent window with that
 *   origin. A page with an opaque origin never receives these messages (GUIDE §6b).
 * - Its API calls go from this window to the emulated Plaid API, which answers (CORS) only this
 *   Link origin, so a window with an opaque origin cannot reach it either.
 * - Layer (Plaid's Layer docs; react-plaid-link examples/layer.tsx): submit(phone_number) →
 *   LAYER_READY or LAYER_NOT_AVAILABLE; submit(date_of_birth) → LAYER_READY or
 *   LAYER_AUTOFILL_NOT_AVAILABLE; open() → the code sent by SMS (Sandbox: 123456) → the profile to
 *   share → onSuccess(public_token, metadata). The × closes Link: onExit(null, metadata).
 * - Standard Link, for a token from /link/token/create: open() → pick a bank → log in (Sandbox:
 *   user_good / pass_good; a wrong login is shown and may be retried) → onSuccess(public_token,
 *   { institution, accounts, link_session_id }) with events SELECT_INSTITUTION,
 *   SUBMIT_CREDENTIALS, HANDOFF (Plaid's onEvent names).
 */
(function () {
	'use strict';

	var params = new URLSearchParams(window.location.search);
	var parentOrigin = params.get('origin') || '';
	var token = params.get('token') || '';
	var uniqueId = params.get('uniqueId') || '';
	var api = document.documentElement.getAttribute('data-api');
	var byId = function (id) { return document.getElementById(id); };

	// Link's device and session memory. Throws SecurityError in an opaque origin: Link stops here.
	var device = window.localStorage.getItem('plaid-link-device') || String(Math.random()).slice(2);
	window.localStorage.setItem('plaid-link-device', device);
	document.cookie = 'plaid-link-device=' + device + '; path=/; SameSite=Lax';
	var memoryKey = 'plaid-link-session:' + token;

	var session = null;
	var done = false;

	function toPage(message) {
		message.source = 'plaid-link';
		message.uniqueId = uniqueId;
		window.parent.postMessage(message, parentOrigin);
	}
	function metadata(extra) {
		var value = {
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
			link_session_id: session ? session.link_session_id : null,
			timestamp: new Date().toISOString(),
			selection: null,
		};
		for (var key in extra || {}) value[key] = extra[key];
		return value;
	}
	function emit(eventName, extra) {
		if (!done) toPage({ action: 'event', eventName: eventName, metadata: metadata(extra) });
	}
	function finishWithExit(error) {
		if (done) return;
		// The user (or the page) closed Link: Plaid ends the session with SESSION_FINISHED EXITED.
		if (!error && session) call('exit', { link_session_id: session.link_session_id }).catch(function () {});
		emit('EXIT', error ? { error_type: error.error_type, error_code: error.error_code, error_message: error.error_message, request_id: error.request_id || null } : {});
		done = true;
		toPage({
			action: 'exit',
			error: error
				? { error_type: error.error_type, error_code: error.error_code, error_message: error.error_message, display_message: error.display_message || null }
				: null,
			metadata: { status: error ? null : 'requires_credentials', institution: null, link_session_id: session ? session.link_session_id : null, request_id: error && error.request_id ? error.request_id : null },
		});
	}

	function call(path, body) {
		return window
			.fetch(api + '/emulator/link/' + path, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
				credentials: 'omit',
			})
			.then(function (response) {
				return response.json().then(function (answer) {
					if (!response.ok) throw answer;
					return answer;
				});
			});
	}
	function remember() {
		window.sessionStorage.setItem(memoryKey, JSON.stringify(session));
	}
	function recall() {
		var stored = window.sessionStorage.getItem(memoryKey);
		if (!stored) throw new Error('Link lost its session');
		return JSON.parse(stored);
	}

	function screen(id) {
		var screens = document.querySelectorAll('[data-screen]');
		for (var i = 0; i < screens.length; i++) screens[i].hidden = screens[i].id !== id;
		var focus = byId(id).querySelector('input, button.primary');
		if (focus) focus.focus();
	}
	function showError(id, error) {
		var box = byId(id);
		box.textContent = error ? error.display_message || error.error_message || 'Something went wrong' : '';
		box.hidden = !error;
	}
	function busy(on) {
		var controls = document.querySelectorAll('button, input');
		for (var i = 0; i < controls.length; i++) controls[i].disabled = on;
	}

	function submit(data) {
		var body = { link_session_id: recall().link_session_id };
		if (data.phone_number !== undefined) body.phone_number = data.phone_number;
		else body.date_of_birth = data.date_of_birth;
		call('layer/submit', body).then(
			function (answer) {
				if (answer.phone_hint) {
					session.phone_hint = answer.phone_hint;
					remember();
				}
				emit(answer.event, {});
			},
			function (error) { finishWithExit(error); }
		);
	}

	function pickBank(institution) {
		emit('SELECT_INSTITUTION', { institution_id: institution.institution_id, institution_name: institution.name, view_name: 'SELECT_INSTITUTION' });
		session.institution = institution;
		remember();
		byId('login-title').textContent = 'Log in to ' + institution.name;
		showError('login-error', null);
		screen('screen-login');
		emit('TRANSITION_VIEW', { view_name: 'CREDENTIAL', institution_id: institution.institution_id, institution_name: institution.name });
	}
	function openBankList() {
		var list = byId('institutions');
		list.textContent = '';
		session.institutions.forEach(function (institution) {
			var button = document.createElement('button');
			button.type = 'button';
			button.textContent = institution.name;
			button.setAttribute('data-institution', institution.institution_id);
			button.addEventListener('click', function () { pickBank(institution); });
			list.appendChild(button);
		});
		screen('screen-institutions');
		emit('TRANSITION_VIEW', { view_name: 'SELECT_INSTITUTION' });
	}
	function logIn(event) {
		event.preventDefault();
		var current = recall();
		var institution = current.institution;
		busy(true);
		showError('login-error', null);
		emit('SUBMIT_CREDENTIALS', { institution_id: institution.institution_id, institution_name: institution.name, view_name: 'CREDENTIAL' });
		call('bank/connect', {
			link_session_id: current.link_session_id,
			institution_id: institution.institution_id,
			username: byId('username').value,
			password: byId('password').value,
		}).then(
			function (answer) {
				emit('HANDOFF', { view_name: 'CONNECTED', institution_id: institution.institution_id, institution_name: institution.name });
				screen('screen-done');
				done = true;
				toPage({ action: 'success', publicToken: answer.public_token, metadata: answer.metadata });
			},
			function (error) {
				busy(false);
				showError('login-error', error);
				emit('ERROR', { error_type: error.error_type, error_code: error.error_code, error_message: error.error_message, view_name: 'CREDENTIAL' });
			}
		);
	}

	function open() {
		emit('OPEN', { view_name: 'CONSENT' });
		session = recall();
		if (session.flow === 'link') {
			openBankList();
			return;
		}
		if (!session.phone_hint) {
			// Opened before Layer found the user: Link has nothing to show for a Layer token.
			finishWithExit({ error_type: 'INVALID_REQUEST', error_code: 'INVALID_FIELD', error_message: 'open() before LAYER_READY: submit a phone number first', display_message: null });
			return;
		}
		byId('otp-phone').textContent = session.phone_hint;
		screen('screen-otp');
		emit('TRANSITION_VIEW', { view_name: 'VERIFY_PHONE' });
	}

	function verifyCode(event) {
		event.preventDefault();
		busy(true);
		showError('otp-error', null);
		call('layer/verify', { link_session_id: recall().link_session_id, code: byId('otp').value.trim() }).then(
			function (answer) {
				busy(false);
				emit('VERIFY_PHONE', { view_name: 'VERIFY_PHONE' });
				byId('profile-name').textContent = answer.profile.name;
				byId('profile-email').textContent = answer.profile.email;
				byId('profile-banks').textContent = answer.profile.institutions.join(', ');
				screen('screen-share');
				emit('TRANSITION_VIEW', { view_name: 'LAYER_CONSENT' });
			},
			function (error) {
				busy(false);
				showError('otp-error', error);
				emit('ERROR', { error_type: error.error_type, error_code: error.error_code, error_message: error.error_message, view_name: 'VERIFY_PHONE' });
			}
		);
	}

	function share() {
		busy(true);
		call('layer/share', { link_session_id: recall().link_session_id }).then(
			function (answer) {
				emit('HANDOFF', { view_name: 'CONNECTED' });
				screen('screen-done');
				done = true;
				toPage({ action: 'success', publicToken: answer.public_token, metadata: answer.metadata });
			},
			function (error) {
				busy(false);
				finishWithExit(error);
			}
		);
	}

	function onPageMessage(event) {
		if (event.source !== window.parent || event.origin !== parentOrigin) return;
		var message = event.data;
		if (!message || message.source !== 'plaid-link-initialize' || message.uniqueId !== uniqueId || done) return;
		if (message.action === 'submit') submit(message.data || {});
		else if (message.action === 'open') open();
		else if (message.action === 'exit') finishWithExit(null);
	}

	byId('otp-form').addEventListener('submit', verifyCode);
	byId('login-form').addEventListener('submit', logIn);
	byId('share').addEventListener('click', share);
	byId('close').addEventListener('click', function () { finishWithExit(null); });
	window.addEventListener('message', onPageMessage);

	if (window.parent === window || !parentOrigin) {
		showError('fatal', { error_message: 'Link must be opened by link-initialize.js in a page' });
		return;
	}
	call('session', { link_token: token }).then(
		function (answer) {
			session = answer;
			remember();
			toPage({ action: 'ready' });
		},
		function (error) { finishWithExit(error); }
	);
})();

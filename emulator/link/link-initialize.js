/*
 * A stand-in for Plaid's Link script (https://cdn.plaid.com/link/v2/stable/link-initialize.js),
 * served by the emulator's Link origin (a stand-in for https://cdn.plaid.com, another origin than
 * the page and than the emulated Plaid API). It breaks where Plaid's script breaks:
 *
 * - Link's window is an iframe on the Link origin that this script injects into the page
 *   (GUIDE §3b; Plaid's Link Web docs: "calling destroy will clean up the iframe"), created hidden
 *   at Plaid.create so Layer can preload (react-plaid-link examples/layer.tsx: "Initialize Link as
 *   soon as the view mounts so Layer can preload"), and carrying a sandbox attribute as Plaid's
 *   has since 2023 (react-plaid-link#297). The page's frame-src must allow the Link origin.
 * - It injects a <style> element (react-plaid-link#118: "link-initialize.js … link-stylesheet-…")
 *   with the nonce of its own <script> tag (react-plaid-link 4.2.0 `cspNonce` sets the nonce on the
 *   script tag only), and shows and hides the iframe through its style attribute (react-plaid-link
 *   README: "Link still requires style-src-attr 'unsafe-inline' today"). A page policy without that
 *   nonce in style-src(-elem), or without style-src-attr 'unsafe-inline', leaves Link's window
 *   unstyled or never shown.
 * - Page and window talk only by postMessage: the iframe is told the page's origin
 *   (location.origin) and addresses every message to it; this script accepts a message only from
 *   the iframe's window and the Link origin, and addresses its own to the Link origin. In a page
 *   with an opaque origin (n8n's webhook sandbox, GUIDE §6b) the iframe inherits the sandbox, its
 *   storage throws, and every message is dropped: Link never loads, with no error.
 *
 *   Plaid.create({ token, onLoad, onEvent, onSuccess, onExit }) → { submit, open, exit, destroy }
 *   onLoad         once Link's window has started its session.
 *   submit(data)   Layer: exactly one of { phone_number } and { date_of_birth } (react-plaid-link
 *                  5.0: "phone number and date of birth must be submitted separately"); ignored,
 *                  with a console warning, before onLoad. Answered by onEvent LAYER_READY,
 *                  LAYER_NOT_AVAILABLE or LAYER_AUTOFILL_NOT_AVAILABLE.
 *   open()         shows Link's window; the user finishes there (the code sent by SMS, the
 *                  confirmation), then onSuccess(public_token, metadata) or onExit(error, metadata).
 *   exit()         closes Link's window: onExit(null, metadata).
 *   destroy()      removes the iframe; no callback fires afterwards.
 */
(function () {
	'use strict';

	var script = document.currentScript;
	// Read while this script runs: currentScript is null afterwards, and browsers hide the nonce
	// attribute's value once the element is connected (only the IDL property keeps it).
	var linkOrigin = script && script.src ? new URL(script.src).origin : window.location.origin;
	var nonce = script ? script.nonce || script.getAttribute('nonce') || '' : '';
	var STYLESHEET =
		'.plaid-link-iframe{position:fixed;top:0;left:0;width:100%;height:100%;border:0;margin:0;padding:0;z-index:2147483647;background:transparent;color-scheme:normal}' +
		'html.plaid-link-open,html.plaid-link-open body{overflow:hidden}';
	var HIDDEN = 'display:none';
	var SHOWN = 'display:block';
	var handlers = 0;

	function injectStylesheet() {
		if (document.querySelector('style[data-plaid-link]')) return;
		var style = document.createElement('style');
		style.id = 'link-stylesheet-' + Math.random().toString(36).slice(2);
		style.setAttribute('data-plaid-link', '');
		if (nonce) style.setAttribute('nonce', nonce);
		style.textContent = STYLESHEET;
		(document.head || document.documentElement).appendChild(style);
	}

	function create(config) {
		if (!config || typeof config !== 'object') throw new TypeError('Plaid.create needs a configuration object');
		if (typeof config.token !== 'string' || config.token === '') throw new TypeError('Plaid.create needs a link token in "token"');
		var uniqueId = String(++handlers);
		var loaded = false;
		var done = false;
		var destroyed = false;

		injectStylesheet();
		var iframe = document.createElement('iframe');
		iframe.id = 'plaid-link-iframe-' + uniqueId;
		iframe.className = 'plaid-link-iframe';
		iframe.title = 'Plaid Link';
		iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation');
		iframe.setAttribute('style', HIDDEN);
		iframe.src =
			linkOrigin +
			'/link/v2/stable/link.html?isLinkInitialize=true' +
			'&origin=' + encodeURIComponent(window.location.origin) +
			'&token=' + encodeURIComponent(config.token) +
			'&uniqueId=' + uniqueId;

		function call(name, a, b) {
			if (destroyed) return;
			if (typeof config[name] === 'function') config[name](a, b);
		}
		function show(visible) {
			iframe.setAttribute('style', visible ? SHOWN : HIDDEN);
			document.documentElement.classList.toggle('plaid-link-open', visible);
		}
		function post(message) {
			message.source = 'plaid-link-initialize';
			message.uniqueId = uniqueId;
			if (iframe.contentWindow) iframe.contentWindow.postMessage(message, linkOrigin);
		}

		function onMessage(event) {
			if (event.origin !== linkOrigin || event.source !== iframe.contentWindow) return;
			var message = event.data;
			if (!message || message.source !== 'plaid-link' || message.uniqueId !== uniqueId) return;
			if (message.action === 'ready') {
				if (loaded) return;
				loaded = true;
				call('onLoad');
			} else if (message.action === 'event') {
				if (!done) call('onEvent', message.eventName, message.metadata);
			} else if (message.action === 'success') {
				if (done) return;
				done = true;
				show(false);
				call('onSuccess', message.publicToken, message.metadata);
			} else if (message.action === 'exit') {
				if (done) return;
				done = true;
				show(false);
				call('onExit', message.error || null, message.metadata);
			}
		}
		window.addEventListener('message', onMessage);
		document.body.appendChild(iframe);

		return {
			submit: function (data) {
				if (destroyed || done) return;
				if (!loaded) {
					window.console.warn('Plaid Link: submit() before onLoad is ignored');
					return;
				}
				var keys = data && typeof data === 'object' ? Object.keys(data) : [];
				if (keys.length !== 1 || (keys[0] !== 'phone_number' && keys[0] !== 'date_of_birth')) {
					throw new TypeError('submit() takes exactly one of { phone_number } and { date_of_birth }');
				}
				post({ action: 'submit', data: data });
			},
			open: function () {
				if (destroyed || done) return;
				show(true);
				post({ action: 'open' });
			},
			exit: function () {
				if (destroyed || done) return;
				post({ action: 'exit' });
			},
			destroy: function () {
				if (destroyed) return;
				destroyed = true;
				window.removeEventListener('message', onMessage);
				document.documentElement.classList.remove('plaid-link-open');
				if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
			},
		};
	}

	window.Plaid = { version: 'plaid-emulator-2', create: create };
})();

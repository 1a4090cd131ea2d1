/**
 * The browser side of the Layer onboarding page, kept as text: the page embeds it inline, allowed
 * by the page's per-render nonce. It reads its settings from the
 * `<script id="layer-config" type="application/json">` block, never from interpolated code, so no
 * field value ever becomes script. Plain ES2017 for every current browser; no template literals
 * and no `${`, so String.raw keeps it byte for byte.
 *
 * Behaviour (the contract the browser tests drive). `body[data-step]` says where the visitor is:
 * loading → phone → checking → link | dob | fallback; link → sending → success | error;
 * `sandboxed` when the page runs in an opaque origin. `#status[data-state]` is idle | busy | error;
 * `main[aria-busy]` follows busy; `#retry` repeats what failed.
 * - `sandboxed`: the page's origin is opaque (`window.origin` is "null" while `location` is a web
 *   address: n8n's webhook sandbox). Plaid Link cannot run there (its window's storage throws and
 *   its messages are dropped), so `#sandboxed` says so at once instead of waiting for Link.
 * - Page type `token` (served by n8n): Plaid.create({ token, … }) runs at once so Link preloads.
 *   Page type `static` (hosted anywhere): the first focus of `#phone`, or Continue, POSTs
 *   `{ user_id }` (the page URL's ?user_id=, else a random id) to the token URL and creates Link
 *   with the `link_token` it answers; a failure shows `#status[data-state=error]` and `#retry`.
 *   Not on load: each token request creates a Plaid user, and a visitor who never touches the form
 *   should not; the first focus still leaves Link the time it takes to type a number to preload.
 * - `phone`: `#phone` is read as E.164 (`+` and country code, or `00` and country code, or a
 *   national number that gets the default calling code after one trunk `0` is dropped; +1 numbers
 *   need 10 digits). A bad number sets `#phone[aria-invalid=true]` and `#phone-error`.
 * - `checking`: handler.submit({ phone_number }) once Link has loaded; `#status[data-state=busy]`.
 * - LAYER_READY → `link`: handler.open(); the visitor finishes in Plaid's window.
 * - LAYER_NOT_AVAILABLE → `dob`: `#dob-form` asks for the date of birth (Extended Autofill),
 *   handler.submit({ date_of_birth: "YYYY-MM-DD" }) → `checking` again.
 * - LAYER_AUTOFILL_NOT_AVAILABLE, or Layer's onExit: Layer cannot help. The Layer handler is
 *   destroyed (Plaid: a fallback needs a new handler and token), then, by the page's fallback:
 *   - `link`: `fallback-token`: POST { phone_number, date_of_birth?, link_token } (what the visitor
 *     typed, and the Layer token, which names the Plaid user) to the fallback token URL; its
 *     `link_token` opens standard Link at once → `bank`; the visitor picks a bank and logs in there.
 *     A failed request, or the visitor closing Link, → `error` with `#retry` (closing reopens Link).
 *   - `url`: `leaving`, and the browser goes to the fallback URL.
 *   - `message`: `fallback`: `#fallback` shows the fallback message (an onExit error also goes to
 *     `#status[data-state=error]`).
 *   Plaid failing to load at all always ends in `fallback`, with an error.
 * - onSuccess(public_token, metadata) of either Link → `sending`: POST { flow: "layer" | "link",
 *   link_token, phone_number (as typed), public_token, link_session_id, metadata } as JSON to the
 *   complete URL → `success`
 *   (`#success` shown and focused) on any 2xx; otherwise `error`: `#status[data-state=error]` and
 *   `#retry`, which sends the same body again.
 */
export const PHONE_SCRIPT = String.raw`function toE164(text, countryCode) {
  var value = String(text).trim();
  if (!/^\+?[0-9\s().\-]+$/.test(value)) return null;
  var international = value.charAt(0) === '+';
  var digits = value.replace(/[^0-9]/g, '');
  if (!international && digits.slice(0, 2) === '00') {
    international = true;
    digits = digits.slice(2);
  }
  if (!international && !(countryCode === '1' && digits.length === 11 && digits.charAt(0) === '1')) {
    if (countryCode !== '39' && digits.charAt(0) === '0') digits = digits.slice(1);
    digits = countryCode + digits;
  }
  if (!/^[1-9][0-9]{7,14}$/.test(digits)) return null;
  if (digits.charAt(0) === '1' && (digits.length !== 11 || digits.charAt(1) < '2')) return null;
  return '+' + digits;
}`;

export const DATE_SCRIPT = String.raw`function toBirthDate(text, today) {
  var value = String(text).trim();
  var match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!match) return null;
  var date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  if (date.getUTCFullYear() !== +match[1] || date.getUTCMonth() !== +match[2] - 1 || date.getUTCDate() !== +match[3]) return null;
  if (+match[1] < 1900 || value > today) return null;
  return value;
}`;

export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  ` + PHONE_SCRIPT + String.raw`
  ` + DATE_SCRIPT + String.raw`
  var byId = function (id) { return document.getElementById(id); };
  var config = JSON.parse(byId('layer-config').textContent);
  var main = byId('onboarding');
  var phoneForm = byId('phone-form');
  var phoneInput = byId('phone');
  var phoneError = byId('phone-error');
  var dobForm = byId('dob-form');
  var dobInput = byId('dob');
  var dobError = byId('dob-error');
  var statusLine = byId('status');
  var retryButton = byId('retry');
  var handler = null;
  var tokenRequest = null;
  var layerToken = config.linkToken || null;
  var typed = {};
  var loaded = false;
  var waiting = null;
  var watchdog = null;
  var result = null;
  var retry = null;
  var over = false;

  function setStep(step) { document.body.setAttribute('data-step', step); }
  function say(text, state) {
    statusLine.textContent = text;
    statusLine.setAttribute('data-state', state);
  }
  function setBusy(busy) {
    main.setAttribute('aria-busy', busy ? 'true' : 'false');
    var controls = document.querySelectorAll('#phone-form input, #phone-form button, #dob-form input, #dob-form button');
    for (var i = 0; i < controls.length; i++) controls[i].disabled = busy;
  }
  function fieldError(input, box, text) {
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
    box.textContent = text || '';
    box.hidden = !text;
    if (text) input.focus();
  }
  function show(box) {
    phoneForm.hidden = true;
    dobForm.hidden = true;
    retryButton.hidden = true;
    box.hidden = false;
    box.focus();
  }
  function offerRetry(text, action) {
    setBusy(false);
    setStep('error');
    say(text, 'error');
    retry = action;
    retryButton.hidden = false;
    retryButton.focus();
  }
  function stopWatchdog() {
    if (watchdog !== null) window.clearTimeout(watchdog);
    watchdog = null;
  }
  function fallBack(errorText) {
    if (over) return;
    over = true;
    stopWatchdog();
    if (handler) handler.destroy();
    setBusy(false);
    setStep('fallback');
    if (errorText) say(errorText, 'error');
    else say('', 'idle');
    show(byId('fallback'));
  }
  function describe(error) {
    return error && error.message ? error.message : 'network error';
  }
  function postJson(url, body) {
    return window.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer'
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response;
    });
  }
  // A link_token from one of our webhooks, of the environment this page was made for.
  function linkTokenOf(answer) {
    var token = answer && answer.link_token;
    if (typeof token !== 'string' || !/^link-[a-z]+-[A-Za-z0-9-]+$/.test(token)) throw new Error('the answer has no link_token');
    var environment = token.split('-')[1];
    if (config.environment && environment !== config.environment) {
      throw new Error('this page was made for Plaid ' + config.environment + ' but got a ' + environment + ' link token; render it again for ' + environment);
    }
    return token;
  }
  function completion(flow, linkToken, publicToken, metadata) {
    return {
      flow: flow,
      link_token: linkToken,
      phone_number: typed.phone_number || null,
      public_token: publicToken,
      link_session_id: metadata && metadata.link_session_id ? metadata.link_session_id : null,
      metadata: metadata || {}
    };
  }

  function send() {
    setStep('sending');
    retryButton.hidden = true;
    setBusy(true);
    say('Saving your details…', 'busy');
    postJson(config.completeUrl, result).then(function () {
      over = true;
      setBusy(false);
      setStep('success');
      say('', 'idle');
      show(byId('success'));
    }).catch(function (error) {
      offerRetry('Your details could not be saved (' + describe(error) + '). Please try again.', send);
    });
  }

  // Standard Link with a new token, for a visitor Layer could not help (Plaid's Layer docs).
  function openBank(linkToken) {
    setStep('bank');
    setBusy(true);
    say('Continue in the Plaid window…', 'busy');
    var opened = false;
    watchdog = window.setTimeout(function () {
      if (handler) handler.destroy();
      handler = null;
      offerRetry('Plaid did not load. Check your connection and try again.', function () { openBank(linkToken); });
    }, 20000);
    handler = window.Plaid.create({
      token: linkToken,
      onLoad: function () {
        stopWatchdog();
        if (opened) return;
        opened = true;
        handler.open();
      },
      onSuccess: function (publicToken, metadata) {
        if (over) return;
        result = completion('link', linkToken, publicToken, metadata);
        send();
      },
      onExit: function (error) {
        if (over || result) return;
        handler.destroy();
        handler = null;
        var text = error ? (error.display_message || error.error_message || 'Plaid could not finish.') : 'You closed the bank connection before it finished.';
        offerRetry(text + ' Try again to connect your bank.', function () { openBank(linkToken); });
      }
    });
  }
  function askForLinkToken() {
    setStep('fallback-token');
    setBusy(true);
    retryButton.hidden = true;
    say('Connecting your bank another way…', 'busy');
    var body = { phone_number: typed.phone_number, link_token: layerToken };
    if (typed.date_of_birth) body.date_of_birth = typed.date_of_birth;
    postJson(config.fallbackTokenUrl, body).then(function (response) {
      return response.json();
    }).then(function (answer) {
      openBank(linkTokenOf(answer));
    }).catch(function (error) {
      offerRetry('We could not continue (' + describe(error) + '). Please try again.', askForLinkToken);
    });
  }
  function layerCannotHelp(errorText) {
    if (over) return;
    stopWatchdog();
    if (handler) handler.destroy();
    handler = null;
    phoneForm.hidden = true;
    dobForm.hidden = true;
    if (config.fallback === 'link') {
      askForLinkToken();
    } else if (config.fallback === 'url') {
      over = true;
      setStep('leaving');
      say('Taking you to the next step…', 'busy');
      window.location.assign(config.fallbackUrl);
    } else {
      fallBack(errorText);
    }
  }

  function onEvent(eventName) {
    if (over) return;
    if (eventName === 'LAYER_READY') {
      setStep('link');
      say('Continue in the Plaid window…', 'busy');
      handler.open();
    } else if (eventName === 'LAYER_NOT_AVAILABLE') {
      setBusy(false);
      setStep('dob');
      say('', 'idle');
      phoneForm.hidden = true;
      dobForm.hidden = false;
      dobInput.focus();
    } else if (eventName === 'LAYER_AUTOFILL_NOT_AVAILABLE') {
      layerCannotHelp('');
    }
  }

  function createLink(linkToken) {
    layerToken = linkToken;
    handler = window.Plaid.create({
      token: linkToken,
      onLoad: function () {
        loaded = true;
        if (waiting) {
          stopWatchdog();
          var values = waiting;
          waiting = null;
          handler.submit(values);
        }
      },
      onEvent: onEvent,
      onSuccess: function (publicToken, metadata) {
        if (over) return;
        stopWatchdog();
        result = completion('layer', linkToken, publicToken, metadata);
        phoneForm.hidden = true;
        dobForm.hidden = true;
        send();
      },
      onExit: function (error) {
        if (over || result) return;
        layerCannotHelp(error ? (error.display_message || error.error_message || 'Plaid could not finish.') : '');
      }
    });
  }

  // Static page: the token comes from the token URL, once, on the visitor's first move.
  function visitorId() {
    var given = new URLSearchParams(window.location.search).get('user_id');
    if (given) return given;
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return 'visitor-' + Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }
  function requestToken() {
    if (handler) return Promise.resolve();
    if (tokenRequest) return tokenRequest;
    tokenRequest = postJson(config.tokenUrl, { user_id: visitorId() }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      createLink(linkTokenOf(answer));
    });
    tokenRequest.catch(function () { tokenRequest = null; });
    return tokenRequest;
  }

  function submitToLink(values) {
    for (var key in values) typed[key] = values[key];
    setBusy(true);
    setStep('checking');
    say('Checking…', 'busy');
    requestToken().then(function () {
      if (loaded) {
        handler.submit(values);
        return;
      }
      waiting = values;
      watchdog = window.setTimeout(function () {
        fallBack('Plaid did not load. Check your connection, or continue below.');
      }, 20000);
    }, function (error) {
      offerRetry('We could not start (' + describe(error) + '). Please try again.', function () {
        retryButton.hidden = true;
        submitToLink(values);
      });
    });
  }

  phoneForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var phone = toE164(phoneInput.value, config.countryCode);
    if (!phone) {
      fieldError(phoneInput, phoneError, 'Enter a valid mobile number.');
      return;
    }
    fieldError(phoneInput, phoneError, '');
    submitToLink({ phone_number: phone });
  });

  dobForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var date = toBirthDate(dobInput.value, new Date().toISOString().slice(0, 10));
    if (!date) {
      fieldError(dobInput, dobError, 'Enter your date of birth.');
      return;
    }
    fieldError(dobInput, dobError, '');
    submitToLink({ date_of_birth: date });
  });

  retryButton.addEventListener('click', function () {
    if (retry) retry();
  });

  // n8n's webhook sandbox: an opaque origin, in which Link's window can neither keep its session
  // nor reach the page. Say so at once rather than let the visitor wait for a Link that never loads.
  if (window.origin === 'null' && /^https?:$/.test(window.location.protocol)) {
    over = true;
    setStep('sandboxed');
    show(byId('sandboxed'));
    return;
  }
  if (!window.Plaid || typeof window.Plaid.create !== 'function') {
    fallBack('Plaid could not be loaded. Check your connection and reload the page, or continue below.');
    return;
  }
  setStep('phone');
  if (config.mode === 'static') {
    phoneInput.addEventListener('focus', function () { requestToken().catch(function () {}); }, { once: true });
  } else {
    createLink(config.linkToken);
  }
})();`;

/* Rapport agent console: plain JS, no dependencies.
 *
 * Talks to the handoff service's JSON API (same origin, session cookie, CSRF header on every
 * state-changing request) and listens to /ws for live ticket events.
 * Customer text is only ever put into the page through textContent / text nodes.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- constants

  var LANGUAGES = { el: 'Greek', ru: 'Russian', lt: 'Lithuanian', en: 'English' };
  var OPEN = { waiting: true, assigned: true, offline: true };
  var KINDS = { customer: true, bot: true, agent: true, note: true, system: true };
  var STATUS_TEXT = {
    waiting: 'Waiting',
    assigned: 'Assigned',
    offline: 'Offline message',
    handed_back: 'Handed back to bot',
    closed: 'Closed',
    cancelled: 'Cancelled by customer'
  };
  var REASONS = {
    customer_request: 'The customer asked for a person',
    repeated_fallback: 'The bot did not understand several times',
    frustration: 'The customer seemed frustrated',
    kb_miss: 'No knowledge-base article answered the question'
  };
  var HEARTBEAT_MS = 10000;
  var REFRESH_MS = 30000;
  var PING_MS = 25000;
  var TOAST_MS = 6000;
  var NOTICE_MS = 4000;
  var TITLE = 'Rapport — Agent console';

  // ---------------------------------------------------------------- state

  var state = {
    me: null,
    csrf: null,
    available: true,
    tickets: new Map(),      // id -> {s: Summary, t0: client time (s) the summary was received}
    removed: new Map(),      // id -> client time it left the queue (so a stale list does not revive it)
    rows: new Map(),         // id -> <li>
    fresh: new Set(),        // ids to highlight as new
    unread: new Set(),       // ids with customer messages not seen yet
    claiming: new Set(),
    responded: new Set(),    // ids where an agent reply is known (SLA met)
    drafts: new Map(),       // id -> unsent reply text
    openId: null,
    detail: null,            // {ticket: Summary, context: Context|null}
    loading: false,
    loadToken: 0,
    pending: [],             // entries pushed while the open ticket was loading
    seen: new Set(),         // signatures of entries shown in the transcript
    noteMode: false,
    sending: false,
    busyAction: false,
    departments: [],
    canned: new Map(),       // language -> [{name, text}] (or null while loading)
    ws: null,
    wsRetry: 0,
    wsEverOpened: false,
    timers: {},
    presenceFailing: false,
    translations: Promise.resolve()  // machine translations run one after another
  };

  // ---------------------------------------------------------------- small helpers

  function $(id) { return document.getElementById(id); }

  /** Build an element. Strings become text nodes, never markup. */
  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'className') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) appendKid(el, arguments[i]);
    return el;
  }

  function appendKid(el, kid) {
    if (kid === null || kid === undefined || kid === false) return;
    if (Array.isArray(kid)) { kid.forEach(function (k) { appendKid(el, k); }); return; }
    el.appendChild(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }

  /** Replace an element's children (null/false kids are skipped, strings become text). */
  function fill(el) {
    el.replaceChildren();
    for (var i = 1; i < arguments.length; i++) appendKid(el, arguments[i]);
    return el;
  }

  function nowS() { return Date.now() / 1000; }
  function pad2(n) { return n < 10 ? '0' + n : String(n); }

  /** Seconds as mm:ss (minutes keep counting past 59). */
  function fmtDuration(sec) {
    sec = Math.max(0, Math.floor(Number(sec) || 0));
    return pad2(Math.floor(sec / 60)) + ':' + pad2(sec % 60);
  }

  function fmtTime(at) {
    var d = new Date(Number(at) * 1000);
    if (!at || isNaN(d.getTime())) return '';
    var today = new Date();
    if (d.toDateString() === today.toDateString()) {
      return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    }
    return d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  function timeEl(at) {
    var d = new Date(Number(at) * 1000);
    if (!at || isNaN(d.getTime())) return null;
    return h('time', { className: 'entry-time', datetime: d.toISOString(), title: d.toLocaleString() }, fmtTime(at));
  }

  function langName(code) {
    if (!code) return 'Unknown';
    return LANGUAGES[code] ? LANGUAGES[code] + ' (' + code + ')' : String(code);
  }

  function humanize(key) {
    var s = String(key).replace(/[_-]+/g, ' ').trim();
    return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
  }

  function isSupervisor() {
    return !!state.me && (state.me.role === 'supervisor' || state.me.role === 'admin');
  }

  function frustrationLevel(f) {
    if (f === null || f === undefined || f === '' || isNaN(Number(f))) return 'unknown';
    f = Number(f);
    if (f < 0.4) return 'low';
    if (f < 0.7) return 'medium';
    return 'high';
  }

  function fmtScore(f) { return Number(f).toFixed(2); }

  function ticketPath(id, action) {
    return '/api/tickets/' + encodeURIComponent(id) + (action ? '/' + action : '');
  }

  function entrySignature(e) {
    return [e.kind, e.at, e.author || '', e.text || ''].join('\u0001');
  }

  // ---------------------------------------------------------------- API

  function ApiError(status, code, message) {
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.message = message;
  }
  ApiError.prototype = Object.create(Error.prototype);

  function defaultMessage(status) {
    if (status === 401) return 'Your session has ended. Please sign in again.';
    if (status === 403) return 'You are not allowed to do that.';
    if (status === 404) return 'That ticket no longer exists.';
    if (status === 409) return 'The ticket changed in the meantime.';
    if (status === 413) return 'That message is too long.';
    if (status === 429) return 'Too many requests. Wait a moment and try again.';
    if (status >= 500) return 'The server had a problem. Try again in a moment.';
    return 'The request failed (HTTP ' + status + ').';
  }

  function api(method, path, body, retried) {
    var headers = { 'Accept': 'application/json' };
    var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;

    return fetch(path, init).then(function (res) {
      return res.text().then(function (raw) {
        var data = null;
        if (raw) { try { data = JSON.parse(raw); } catch (e) { data = null; } }
        if (res.ok) return data || {};
        var code = (data && data.error) || ('http_' + res.status);
        var message = (data && typeof data.message === 'string' && data.message) || defaultMessage(res.status);
        // A stale CSRF token (e.g. after a server-side rotation): fetch a fresh one and retry once.
        if (res.status === 403 && !retried && /csrf/i.test(String(code)) && state.me) {
          return api('GET', '/api/me').then(function (me) {
            if (me && me.csrf_token) state.csrf = me.csrf_token;
            return api(method, path, body, true);
          });
        }
        if (res.status === 401 && path !== '/api/login' && path !== '/api/me' && state.me) sessionEnded();
        throw new ApiError(res.status, code, message);
      });
    }, function () {
      throw new ApiError(0, 'network', 'Cannot reach the server. Check the connection and try again.');
    });
  }

  // ---------------------------------------------------------------- toast & notice

  function toast(message) {
    var el = $('toast');
    el.textContent = String(message || 'Something went wrong.');
    el.hidden = false;
    el.classList.remove('toast-in');
    void el.offsetWidth; // restart the entrance animation
    el.classList.add('toast-in');
    clearTimeout(state.timers.toast);
    state.timers.toast = setTimeout(hideToast, TOAST_MS);
  }

  function hideToast() {
    clearTimeout(state.timers.toast);
    $('toast').hidden = true;
  }

  function notice(message) {
    var el = $('notice');
    el.textContent = message;
    el.hidden = false;
    clearTimeout(state.timers.notice);
    state.timers.notice = setTimeout(function () { el.hidden = true; }, NOTICE_MS);
  }

  // ---------------------------------------------------------------- views & session

  function show(view) {
    $('boot').hidden = true;
    $('login-view').hidden = view !== 'login';
    $('app-view').hidden = view !== 'app';
  }

  function showLogin(message) {
    show('login');
    var err = $('login-error');
    if (message) { err.textContent = message; err.hidden = false; } else { err.textContent = ''; err.hidden = true; }
    $('login-password').value = '';
    var user = $('login-username');
    (user.value ? $('login-password') : user).focus();
  }

  function onLoginSubmit(ev) {
    ev.preventDefault();
    var user = $('login-username').value.trim();
    var pass = $('login-password').value;
    var err = $('login-error');
    if (!user || !pass) {
      err.textContent = 'Enter your username and password.';
      err.hidden = false;
      (user ? $('login-password') : $('login-username')).focus();
      return;
    }
    var submit = $('login-submit');
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    err.hidden = true;
    api('POST', '/api/login', { username: user, password: pass }).then(function (data) {
      $('login-password').value = '';
      startSession(data);
    }, function (e) {
      if (e.status === 401) err.textContent = 'Wrong username or password.';
      else err.textContent = e.message;
      err.hidden = false;
      $('login-password').select();
      $('login-password').focus();
    }).then(function () {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    });
  }

  function startSession(data) {
    if (!data || !data.agent) { showLogin('The server sent an unexpected answer. Try again.'); return; }
    teardown();
    state.me = data.agent;
    state.csrf = data.csrf_token || null;
    state.available = readAvailability();
    renderMe();
    show('app');

    sendPresence(false);
    state.timers.heartbeat = setInterval(function () { sendPresence(false); }, HEARTBEAT_MS);
    state.timers.tick = setInterval(tick, 1000);
    state.timers.refresh = setInterval(function () { refreshTickets().catch(ignore); }, REFRESH_MS);

    loadDepartments();
    refreshTickets().then(function () {
      var wanted = decodeHash();
      if (wanted && !state.openId) openTicket(wanted);
    }, function (e) { if (e.status !== 401) toast(e.message); });
    connectSocket();
  }

  /** Stop everything that belongs to a signed-in session. */
  function teardown() {
    ['heartbeat', 'tick', 'refresh', 'ping'].forEach(function (k) { clearInterval(state.timers[k]); });
    clearTimeout(state.timers.reconnect);
    var ws = state.ws;
    state.ws = null;
    if (ws) { try { ws.close(1000, 'logout'); } catch (e) { /* already closed */ } }
    state.me = null;
    state.csrf = null;
    state.tickets = new Map();
    state.removed = new Map();
    state.rows.forEach(function (li) { li.remove(); });
    state.rows = new Map();
    state.fresh = new Set();
    state.unread = new Set();
    state.claiming = new Set();
    state.responded = new Set();
    state.drafts = new Map();
    state.canned = new Map();
    state.departments = [];
    state.wsRetry = 0;
    state.wsEverOpened = false;
    state.loadToken++;
    closeConversation();
    document.title = TITLE;
  }

  function sessionEnded() {
    if (!state.me) return;
    teardown();
    showLogin('Your session has ended. Please sign in again.');
  }

  function logout() {
    var btn = $('logout');
    btn.disabled = true;
    api('POST', '/api/logout').catch(ignore).then(function () {
      btn.disabled = false;
      teardown();
      if (location.hash) history.replaceState(null, '', location.pathname + location.search);
      showLogin();
    });
  }

  function ignore() { /* deliberately quiet: periodic work retries on its own */ }

  // ---------------------------------------------------------------- header & presence

  function renderMe() {
    var me = state.me;
    $('agent-name').textContent = me.display_name || me.id;
    var role = me.role || 'agent';
    $('agent-role').textContent = humanize(role);
    $('agent-role').setAttribute('data-role', role);
    $('q-others-label').textContent = isSupervisor() ? 'Other agents' : 'Others';
    renderAvailability();
  }

  function availabilityKey() { return 'rapport.console.available.' + (state.me ? state.me.id : ''); }

  function readAvailability() {
    try { return localStorage.getItem(availabilityKey()) !== 'away'; } catch (e) { return true; }
  }

  function renderAvailability() {
    var btn = $('availability');
    btn.setAttribute('aria-checked', state.available ? 'true' : 'false');
    btn.setAttribute('data-state', state.available ? 'available' : 'away');
    $('availability-text').textContent = state.available ? 'Available' : 'Away';
  }

  function toggleAvailability() {
    state.available = !state.available;
    try { localStorage.setItem(availabilityKey(), state.available ? 'available' : 'away'); } catch (e) { /* private mode */ }
    renderAvailability();
    sendPresence(true);
  }

  function sendPresence(loud) {
    if (!state.me) return;
    api('POST', '/api/presence', { available: state.available }).then(function () {
      state.presenceFailing = false;
    }, function (e) {
      if (e.status === 401) return;
      if (loud || !state.presenceFailing) toast('Could not update your availability: ' + e.message);
      state.presenceFailing = true;
    });
  }

  function setConnection(kind) {
    var box = $('conn-status');
    box.setAttribute('data-state', kind);
    $('conn-text').textContent = kind === 'live' ? 'Live' : kind === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  }

  // ---------------------------------------------------------------- tickets: data

  function putTicket(s) {
    state.tickets.set(s.id, { s: s, t0: nowS() });
    state.removed.delete(s.id);
  }

  function isValidSummary(s) { return s && typeof s === 'object' && s.id !== undefined && s.id !== null; }

  function refreshTickets() {
    if (!state.me) return Promise.resolve();
    var started = nowS();
    return api('GET', '/api/tickets').then(function (data) {
      if (!state.me) return;
      var list = (data && Array.isArray(data.tickets)) ? data.tickets : [];
      var next = new Map();
      list.forEach(function (s) {
        if (!isValidSummary(s) || !OPEN[s.status]) return;
        var current = state.tickets.get(s.id);
        // A websocket event newer than this request wins over the list.
        if (current && current.t0 > started) { next.set(s.id, current); return; }
        var gone = state.removed.get(s.id);
        if (gone && gone > started) return;
        next.set(s.id, { s: s, t0: nowS() });
      });
      state.tickets.forEach(function (rec, id) { if (!next.has(id) && rec.t0 > started) next.set(id, rec); });
      state.tickets = next;
      var open = state.openId && next.get(state.openId);
      if (open && state.detail) { state.detail.ticket = open.s; renderConvHeader(); updateControls(); }
      renderQueue();
    });
  }

  /** Apply a Summary from an API answer or a websocket event. */
  function applySummary(s, eventType) {
    if (!isValidSummary(s)) return;
    var prev = state.tickets.get(s.id);
    if (OPEN[s.status]) {
      if (!prev && eventType === 'ticket.created') state.fresh.add(s.id);
      putTicket(s);
    } else {
      state.tickets.delete(s.id);
      state.removed.set(s.id, nowS());
      state.unread.delete(s.id);
    }
    var me = state.me;
    if (me && eventType === 'ticket.assigned' && s.agent_id === me.id && !state.claiming.has(s.id) &&
        !(prev && prev.s.status === 'assigned' && prev.s.agent_id === me.id)) {
      notice(s.id + ' was assigned to you');
    }
    if (s.id === state.openId && state.detail) {
      state.detail.ticket = s;
      renderConvHeader();
      updateControls();
    }
    renderQueue();
  }

  // ---------------------------------------------------------------- tickets: queue rendering

  function sortRecords(a, b) {
    var pa = Number(a.s.priority) || 0, pb = Number(b.s.priority) || 0;
    if (pb !== pa) return pb - pa;
    var ca = Number(a.s.created_at) || 0, cb = Number(b.s.created_at) || 0;
    if (ca !== cb) return ca - cb;
    return String(a.s.id) < String(b.s.id) ? -1 : 1;
  }

  function sectionOf(s) {
    if (s.status === 'waiting') return 'waiting';
    if (s.status === 'offline') return 'offline';
    return state.me && s.agent_id === state.me.id ? 'mine' : 'others';
  }

  function renderQueue() {
    var groups = { waiting: [], mine: [], others: [], offline: [] };
    state.tickets.forEach(function (rec) { groups[sectionOf(rec.s)].push(rec); });

    var focused = document.activeElement;
    var keep = new Set();
    Object.keys(groups).forEach(function (name) {
      var recs = groups[name].sort(sortRecords);
      var list = $('q-' + name);
      var cursor = list.firstChild;
      recs.forEach(function (rec) {
        var li = state.rows.get(rec.s.id);
        if (!li) { li = createRow(rec.s.id); state.rows.set(rec.s.id, li); }
        updateRow(li, rec);
        keep.add(rec.s.id);
        if (cursor === li) cursor = li.nextSibling;
        else list.insertBefore(li, cursor);
      });
      $('q-' + name + '-count').textContent = String(recs.length);
      $('q-' + name + '-empty').hidden = recs.length > 0;
      var section = list.parentNode;
      section.hidden = recs.length === 0 && (name === 'others' || name === 'offline');
    });
    state.rows.forEach(function (li, id) {
      if (!keep.has(id)) { li.remove(); state.rows.delete(id); }
    });
    if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });

    var waiting = groups.waiting.length;
    document.title = (waiting ? '(' + waiting + ') ' : '') + TITLE;
  }

  function createRow(id) {
    var p = {};
    p.id = h('span', { className: 'qrow-id' });
    p.lang = h('span', { className: 'badge badge-lang', 'data-testid': 'language-badge' });
    p.vip = h('span', { className: 'badge badge-vip', 'data-testid': 'vip-badge', title: 'VIP customer' }, 'VIP');
    p.unread = h('span', { className: 'unread-dot', title: 'New customer message' }, h('span', { className: 'sr-only' }, 'New message'));
    p.dept = h('span', { className: 'qrow-dept' });
    p.customer = h('span', { className: 'qrow-customer' });
    p.frus = h('span', { className: 'badge badge-frus', 'data-testid': 'frustration-badge' });
    p.wait = h('span', { className: 'qrow-wait', 'data-testid': 'waiting-time' });
    p.sla = h('span', { className: 'badge badge-sla', 'data-testid': 'sla-badge' });
    p.preview = h('span', { className: 'qrow-preview' });
    p.agent = h('span', { className: 'qrow-agent' });

    p.open = h('button', { type: 'button', className: 'qrow-open' },
      h('span', { className: 'qrow-line qrow-line-top' }, p.id, p.lang, p.vip, p.unread),
      h('span', { className: 'qrow-line qrow-line-who' }, p.dept, p.customer),
      h('span', { className: 'qrow-line qrow-line-stats' }, p.frus, p.wait, p.sla),
      p.agent,
      p.preview);
    p.claim = h('button', { type: 'button', className: 'btn btn-primary btn-sm qrow-claim', 'data-testid': 'claim' }, 'Claim');

    var li = h('li', { className: 'qrow', 'data-testid': 'queue-row', 'data-ticket-id': id }, p.open);
    li._p = p;
    li.addEventListener('click', function (ev) {
      if (ev.target.closest && ev.target.closest('.qrow-claim')) return;
      openTicket(id);
    });
    p.claim.addEventListener('click', function (ev) {
      ev.stopPropagation();
      claimTicket(id);
    });
    return li;
  }

  function updateRow(li, rec) {
    var s = rec.s, p = li._p;
    p.id.textContent = s.id;
    var lang = s.language || '?';
    p.lang.textContent = String(lang).toUpperCase();
    p.lang.title = langName(s.language);
    p.vip.hidden = !s.vip;
    p.unread.hidden = !state.unread.has(s.id);
    p.dept.textContent = s.department || 'no department';
    p.customer.textContent = s.customer_name ? ' · ' + s.customer_name : '';

    var level = frustrationLevel(s.frustration);
    p.frus.setAttribute('data-level', level);
    p.frus.textContent = level === 'unknown' ? '–' : fmtScore(s.frustration);
    p.frus.title = level === 'unknown' ? 'Frustration not measured' : 'Frustration ' + fmtScore(s.frustration) + ' (' + level + ')';

    if (s.status === 'assigned') {
      var mine = state.me && s.agent_id === state.me.id;
      p.agent.textContent = mine ? 'Assigned to you' : 'With ' + (s.agent_id || 'an agent');
      p.agent.hidden = false;
    } else {
      p.agent.hidden = true;
    }
    var last = s.last_message;
    p.preview.textContent = last && last.text ? previewText(last) : '';
    p.preview.hidden = !p.preview.textContent;

    updateLive(p, rec);

    li.classList.toggle('is-selected', s.id === state.openId);
    if (s.id === state.openId) li.setAttribute('aria-current', 'true'); else li.removeAttribute('aria-current');
    if (state.fresh.has(s.id)) {
      state.fresh.delete(s.id);
      li.classList.add('is-new');
      setTimeout(function () { li.classList.remove('is-new'); }, 4000);
    }
    li.setAttribute('data-status', s.status);

    var claimable = s.status === 'waiting';
    if (claimable && !p.claim.parentNode) li.appendChild(p.claim);
    if (!claimable && p.claim.parentNode) p.claim.remove();
    p.claim.disabled = state.claiming.has(s.id);
    p.claim.setAttribute('aria-label', 'Claim ticket ' + s.id);
  }

  function previewText(entry) {
    var who = entry.kind === 'customer' ? '' : entry.kind === 'note' ? 'Note: ' : entry.kind === 'bot' ? 'Bot: ' :
      entry.kind === 'agent' ? 'Agent: ' : '';
    var text = String(entry.text).replace(/\s+/g, ' ').trim();
    return who + (text.length > 90 ? text.slice(0, 89) + '…' : text);
  }

  // ---------------------------------------------------------------- live timers

  function waitingSeconds(rec) {
    var base = Number(rec.s.waiting_seconds) || 0;
    if (rec.s.status === 'waiting' || rec.s.status === 'offline') base += nowS() - rec.t0;
    return base;
  }

  /** What the SLA badge says right now: {text, state}. */
  function slaView(rec) {
    var s = rec.s, sla = s.sla;
    if (!sla || typeof sla !== 'object') return { text: 'SLA –', state: 'none' };
    var met = sla.met === true || sla.responded === true || !!s.first_response_at || state.responded.has(s.id);
    if (sla.breached) return { text: 'SLA breached', state: 'breached' };
    if (met) return { text: 'SLA met', state: 'met' };
    var remaining;
    if (sla.remaining !== null && sla.remaining !== undefined && !isNaN(Number(sla.remaining))) {
      remaining = Number(sla.remaining);
      if (OPEN[s.status]) remaining -= nowS() - rec.t0;
    } else if (sla.due_at) {
      remaining = Number(sla.due_at) - nowS();
    } else {
      return { text: 'SLA –', state: 'none' };
    }
    if (remaining <= 0 && OPEN[s.status]) return { text: 'SLA breached', state: 'breached' };
    return { text: 'SLA ' + fmtDuration(remaining), state: remaining < 60 ? 'soon' : 'ok' };
  }

  function paintSla(el, rec) {
    var v = slaView(rec);
    if (el.textContent !== v.text) el.textContent = v.text;
    el.setAttribute('data-state', v.state);
    el.setAttribute('data-breached', v.state === 'breached' ? 'true' : 'false');
    el.title = v.state === 'breached' ? 'First-response target missed' :
      v.state === 'met' ? 'First response sent' : 'Time left to the first-response target';
  }

  function updateLive(p, rec) {
    var w = fmtDuration(waitingSeconds(rec));
    if (p.wait.textContent !== w) p.wait.textContent = w;
    p.wait.title = 'Waiting time ' + w;
    paintSla(p.sla, rec);
  }

  function tick() {
    state.tickets.forEach(function (rec, id) {
      var li = state.rows.get(id);
      if (li) updateLive(li._p, rec);
    });
    if (state.detail && state.detail.ticket) paintConvLive();
  }

  // ---------------------------------------------------------------- actions on tickets

  function claimTicket(id) {
    if (state.claiming.has(id) || !state.me) return;
    state.claiming.add(id);
    renderQueue();
    updateControls();
    api('POST', ticketPath(id, 'claim')).then(function (data) {
      if (data && data.ticket) applySummary(data.ticket, 'claim');
      state.claiming.delete(id);
      return openTicket(id).then(function () {
        if (state.openId === id && !$('reply-input').disabled) $('reply-input').focus();
      });
    }, function (e) {
      state.claiming.delete(id);
      if (e.status === 409) {
        toast(e.code === 'at_capacity'
          ? 'You are at capacity. Close or hand back a conversation before claiming another.'
          : 'Someone else claimed this ticket');
        refreshTickets().catch(ignore);
        if (state.openId === id) syncOpen();
      } else if (e.status !== 401) {
        toast(e.message);
      }
      renderQueue();
      updateControls();
    });
  }

  function ticketAction(action, body, done) {
    var d = state.detail;
    if (!d || !d.ticket || state.busyAction) return;
    var id = d.ticket.id;
    state.busyAction = true;
    updateControls();
    api('POST', ticketPath(id, action), body).then(function (data) {
      if (data && data.ticket) applySummary(data.ticket, action);
      if (done) done(data);
    }, function (e) {
      if (e.status !== 401) toast(e.message);
      if (e.status === 409 || e.status === 404) refreshTickets().catch(ignore);
    }).then(function () {
      state.busyAction = false;
      updateControls();
    });
  }

  function transfer() {
    var select = $('transfer-select');
    var department = select.value;
    if (!department) {
      toast('Choose a department to transfer to.');
      select.focus();
      return;
    }
    ticketAction('transfer', { department: department }, function () {
      select.value = '';
      notice('Transferred to ' + department);
      refreshTickets().catch(ignore);
    });
  }

  function handback() {
    ticketAction('handback', undefined, function () { notice('The bot has the conversation again'); });
  }

  function closeTicket() {
    ticketAction('close', undefined, function () { notice('Closed — the customer was asked for a rating'); });
  }

  // ---------------------------------------------------------------- conversation

  function decodeHash() {
    var raw = location.hash.replace(/^#/, '');
    if (!raw) return null;
    try { return decodeURIComponent(raw); } catch (e) { return null; }
  }

  function closeConversation() {
    state.openId = null;
    state.detail = null;
    state.loading = false;
    state.pending = [];
    state.seen = new Set();
    state.noteMode = false;
    $('transcript').replaceChildren();
    $('context-panel').replaceChildren();
    $('reply-input').value = '';
    $('conv').hidden = true;
    $('conv-empty').hidden = false;
  }

  function openTicket(id) {
    if (!state.me) return Promise.resolve();
    var switching = state.openId !== id;
    if (switching) {
      if (state.openId) {
        var draft = $('reply-input').value;
        if (draft) state.drafts.set(state.openId, draft); else state.drafts.delete(state.openId);
      }
      state.noteMode = false;
      $('reply-input').value = state.drafts.get(id) || '';
      hidePreview();
      $('translation-note').hidden = true;
      $('transfer-select').value = '';
    }
    state.openId = id;
    state.unread.delete(id);
    var token = ++state.loadToken;
    state.loading = true;
    state.pending = [];
    var known = state.tickets.get(id);
    state.detail = { ticket: known ? known.s : { id: id, status: 'unknown' }, context: null };
    if (decodeHash() !== id) history.replaceState(null, '', '#' + encodeURIComponent(id));

    $('conv-empty').hidden = true;
    $('conv').hidden = false;
    var transcript = $('transcript');
    transcript.setAttribute('aria-busy', 'true');
    transcript.replaceChildren(h('p', { className: 'transcript-loading' }, 'Loading conversation…'));
    state.seen = new Set();
    $('new-pill').hidden = true;
    $('context-panel').replaceChildren();
    renderConvHeader();
    updateControls();
    renderQueue();

    return api('GET', ticketPath(id)).then(function (data) {
      if (token !== state.loadToken) return;
      var ticket = isValidSummary(data.ticket) ? data.ticket : state.detail.ticket;
      state.detail = { ticket: ticket, context: data.context || {} };
      if (OPEN[ticket.status]) putTicket(ticket);
      transcript.replaceChildren();
      (Array.isArray(data.transcript) ? data.transcript : []).forEach(function (e) { appendEntry(e, { silent: true }); });
      var pending = state.pending;
      state.pending = [];
      pending.forEach(function (e) { appendEntry(e, { silent: true }); });
      if (!transcript.firstChild) transcript.appendChild(h('p', { className: 'transcript-empty' }, 'No messages yet.'));
      state.loading = false;
      transcript.removeAttribute('aria-busy');
      scrollToBottom();
      renderContext();
      renderConvHeader();
      renderTransferOptions();
      loadCanned(ticket.language);
      updateControls();
      renderQueue();
    }, function (e) {
      if (token !== state.loadToken) return;
      state.loading = false;
      transcript.removeAttribute('aria-busy');
      var text = e.status === 404 ? 'This ticket does not exist any more.' :
        e.status === 403 ? 'You do not have access to this ticket.' : e.message;
      transcript.replaceChildren(h('p', { className: 'transcript-error' }, text));
      if (e.status !== 401) toast(text);
      updateControls();
    });
  }

  /** Re-read the open ticket (after a reconnect or a conflict) without resetting the view. */
  function syncOpen() {
    var id = state.openId;
    if (!id || state.loading) return;
    api('GET', ticketPath(id)).then(function (data) {
      if (state.openId !== id || state.loading || !state.detail) return;
      if (isValidSummary(data.ticket)) state.detail.ticket = data.ticket;
      if (data.context && !state.detail.context) { state.detail.context = data.context; renderContext(); }
      (Array.isArray(data.transcript) ? data.transcript : []).forEach(function (e) { appendEntry(e); });
      renderConvHeader();
      updateControls();
    }, ignore);
  }

  function customerName() {
    var d = state.detail || {};
    return (d.context && d.context.customer_name) || (d.ticket && d.ticket.customer_name) || null;
  }

  function authorName(author) {
    if (!author) return 'Agent';
    if (state.me && (author === state.me.id || author === state.me.display_name)) return (state.me.display_name || author) + ' (you)';
    return String(author);
  }

  function renderEntry(e) {
    var kind = KINDS[e.kind] ? e.kind : 'system';
    var art = h('article', { className: 'entry entry-' + kind, 'data-testid': 'entry', 'data-kind': kind });
    var who;
    if (kind === 'customer') who = customerName() || 'Customer';
    else if (kind === 'bot') who = 'Bot';
    else if (kind === 'agent' || kind === 'note') who = authorName(e.author);
    else who = null;

    if (kind === 'note') art.appendChild(h('p', { className: 'note-label' }, 'Internal note'));
    var meta = h('p', { className: 'entry-meta' });
    if (who) meta.appendChild(h('span', { className: 'entry-author' }, who));
    var t = timeEl(e.at);
    if (t) meta.appendChild(t);
    if (kind === 'customer' && e.intent) {
      var conf = e.confidence !== null && e.confidence !== undefined && !isNaN(Number(e.confidence))
        ? ' · ' + Math.round(Number(e.confidence) * 100) + '%' : '';
      meta.appendChild(h('span', { className: 'entry-intent', title: 'Intent the bot recognised' }, e.intent + conf));
    }
    if (meta.firstChild) art.appendChild(meta);

    var text = h('p', { className: 'entry-text' }, String(e.text === null || e.text === undefined ? '' : e.text));
    var lang = kind === 'customer' ? (e.language || (state.detail && state.detail.ticket && state.detail.ticket.language)) : e.language;
    if (lang && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang)) text.setAttribute('lang', lang);
    art.appendChild(text);

    if (e.translation) {
      art.appendChild(h('p', { className: 'entry-translation' },
        h('span', { className: 'translation-label' }, 'Translation'), ' ',
        h('span', { className: 'translation-text' }, String(e.translation))));
    } else if (kind === 'customer' && needsTranslation(lang) && e.text) {
      art.appendChild(translationOf(String(e.text), lang, agentLanguage()));
    }
    return art;
  }

  // ---------------------------------------------------------------- machine translation

  function agentLanguage() {
    var langs = state.me && Array.isArray(state.me.languages) ? state.me.languages : [];
    return langs[0] || 'en';
  }

  function needsTranslation(lang) {
    if (!lang || !/^[a-z]{2,3}$/.test(lang)) return false;
    var langs = state.me && Array.isArray(state.me.languages) ? state.me.languages : [];
    return langs.indexOf(lang) < 0;
  }

  function requestTranslation(text, source, target) {
    // One at a time: translation is heavy on the server, and the order is the transcript's.
    var run = state.translations.then(function () {
      return api('POST', '/api/translate', { text: text, source: source, target: target });
    });
    state.translations = run.catch(ignore);
    return run;
  }

  function showTranslationNote(message) {
    var el = $('translation-note');
    el.textContent = message;
    el.hidden = false;
  }

  function translationOf(text, source, target) {
    var el = h('p', { className: 'entry-translation is-pending', 'data-testid': 'entry-translation' },
      h('span', { className: 'translation-label' }, 'Translation (' + target.toUpperCase() + ')'), ' ',
      h('span', { className: 'translation-text' }, 'Translating…'));
    var ticketId = state.openId;
    requestTranslation(text, source, target).then(function (data) {
      if (data && data.available && data.translation) {
        el.classList.remove('is-pending');
        el.querySelector('.translation-text').textContent = String(data.translation.text);
        if (data.translation.via && data.translation.via.length > 2) el.title = 'Translated through English';
      } else {
        el.remove();
        if (state.openId === ticketId && data && data.message) showTranslationNote(data.message);
      }
    }, function (e) {
      el.remove();
      if (e.status !== 401 && state.openId === ticketId) showTranslationNote('Translation failed; showing the original.');
    });
    return el;
  }

  function hidePreview() {
    $('reply-preview-wrap').hidden = true;
    $('reply-preview').value = '';
  }

  function previewTranslation() {
    var d = state.detail;
    if (!d || !d.ticket || $('reply-translate').disabled) return;
    var input = $('reply-input');
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    var id = d.ticket.id;
    var target = d.ticket.language;
    var button = $('reply-translate');
    button.disabled = true;
    button.textContent = 'Translating…';
    requestTranslation(text, agentLanguage(), target).then(function (data) {
      if (state.openId !== id) return;
      if (data && data.available && data.translation) {
        $('reply-preview-label').textContent = 'Machine translation into ' + langName(target) +
          ' — the customer receives this; edit it if needed, then Send';
        $('reply-preview').value = String(data.translation.text);
        $('reply-preview').setAttribute('lang', target);
        $('reply-preview-wrap').hidden = false;
        $('reply-preview').focus();
      } else if (data && data.message) {
        showTranslationNote(data.message);
      }
    }, function (e) {
      if (e.status !== 401) toast(e.message);
    }).then(function () {
      button.textContent = 'Translate';
      updateControls();
    });
  }

  function isNearBottom() {
    var t = $('transcript');
    return t.scrollHeight - t.scrollTop - t.clientHeight < 80;
  }

  function scrollToBottom() {
    var t = $('transcript');
    t.scrollTop = t.scrollHeight;
    $('new-pill').hidden = true;
  }

  function appendEntry(e, opts) {
    opts = opts || {};
    if (!e || typeof e !== 'object') return;
    var sig = entrySignature(e);
    if (state.seen.has(sig)) return;
    state.seen.add(sig);
    if (e.kind === 'agent' && state.openId) state.responded.add(state.openId);
    var t = $('transcript');
    var placeholder = t.querySelector('.transcript-empty');
    if (placeholder) placeholder.remove();
    var stick = opts.silent || opts.force || isNearBottom();
    t.appendChild(renderEntry(e));
    if (opts.silent) return;
    if (stick) scrollToBottom();
    else $('new-pill').hidden = false;
  }

  function renderConvHeader() {
    var d = state.detail;
    if (!d || !d.ticket) return;
    var s = d.ticket;
    var title = $('conv-title');
    var name = customerName();
    fill(title,
      h('span', { className: 'conv-id' }, s.id),
      name ? h('span', { className: 'conv-customer' }, name) : null,
      s.vip ? h('span', { className: 'badge badge-vip' }, 'VIP') : null);

    var chip = $('conv-status');
    var mine = state.me && s.status === 'assigned' && s.agent_id === state.me.id;
    chip.textContent = s.status === 'assigned'
      ? (mine ? 'Assigned to you' : 'With ' + (s.agent_id || 'another agent'))
      : (STATUS_TEXT[s.status] || 'Loading…');
    chip.setAttribute('data-status', mine ? 'mine' : (s.status || 'unknown'));

    var meta = $('conv-meta');
    var rec = { s: s, t0: (state.tickets.get(s.id) || { t0: nowS() }).t0 };
    var level = frustrationLevel(s.frustration);
    fill(meta,
      h('span', { className: 'badge badge-lang', title: langName(s.language) }, String(s.language || '?').toUpperCase()),
      h('span', { className: 'meta-item' }, s.department || 'no department'),
      s.channel ? h('span', { className: 'meta-item' }, 'via ' + s.channel) : null,
      h('span', { className: 'meta-item' }, 'waited ',
        h('span', { className: 'conv-wait', 'data-testid': 'conversation-waiting-time' }, fmtDuration(waitingSeconds(rec)))),
      h('span', { className: 'badge badge-frus', 'data-level': level, 'data-testid': 'conversation-frustration',
        title: 'Frustration' }, level === 'unknown' ? 'Frustration –' : 'Frustration ' + fmtScore(s.frustration)),
      OPEN[s.status] ? h('span', { className: 'badge badge-sla', 'data-testid': 'conversation-sla' }) : null);
    paintConvLive();
  }

  function paintConvLive() {
    var s = state.detail.ticket;
    var known = state.tickets.get(s.id);
    var rec = known && known.s === s ? known : { s: s, t0: known ? known.t0 : nowS() };
    var wait = document.querySelector('#conv-meta .conv-wait');
    if (wait) wait.textContent = fmtDuration(waitingSeconds(rec));
    var sla = document.querySelector('#conv-meta .badge-sla');
    if (sla) paintSla(sla, rec);
  }

  function permissions() {
    var none = { claim: false, reply: false, note: false, transfer: false, handback: false, close: false };
    var d = state.detail;
    if (!d || !d.ticket || !state.me || state.loading || !d.context) return none;
    var s = d.ticket;
    var open = !!OPEN[s.status];
    var mine = s.status === 'assigned' && s.agent_id === state.me.id;
    var sup = isSupervisor();
    return {
      claim: s.status === 'waiting',
      reply: mine,
      note: open,
      transfer: open && (mine || sup),
      handback: s.status === 'assigned' && (mine || sup),
      close: mine || (open && (sup || s.status === 'offline'))
    };
  }

  function updateControls() {
    var p = permissions();
    var d = state.detail;
    var s = d && d.ticket;
    var busy = state.busyAction;

    var claim = $('conv-claim');
    claim.hidden = !p.claim;
    claim.disabled = !p.claim || (s && state.claiming.has(s.id));
    $('transfer-select').disabled = !p.transfer || busy;
    $('transfer-submit').disabled = !p.transfer || busy;
    $('handback').disabled = !p.handback || busy;
    $('close').disabled = !p.close || busy;

    if (state.noteMode && !p.note) state.noteMode = false;
    var toggle = $('note-toggle');
    toggle.disabled = !p.note;
    toggle.setAttribute('aria-checked', state.noteMode ? 'true' : 'false');

    var canWrite = state.noteMode ? p.note : p.reply;
    var input = $('reply-input');
    var hadFocus = document.activeElement === input;
    input.disabled = !canWrite;
    $('reply-send').disabled = !canWrite || state.sending;
    $('reply-send').textContent = state.noteMode ? 'Add note' : 'Send';
    $('composer').classList.toggle('is-note', state.noteMode);
    $('reply-label').textContent = state.noteMode ? 'Internal note (the customer will not see it)' : 'Reply to the customer';
    input.placeholder = composerPlaceholder(p, s);
    if (hadFocus && input.disabled) $('conversation').focus({ preventScroll: true });

    var translateButton = $('reply-translate');
    var translatable = !!(p.reply && !state.noteMode && s && needsTranslation(s.language));
    translateButton.hidden = !translatable;
    translateButton.disabled = !translatable || state.sending || translateButton.textContent !== 'Translate';
    if (!translatable) hidePreview();

    var canned = $('canned-select');
    var list = s ? state.canned.get(s.language || '') : null;
    canned.disabled = !p.reply || !list || list.length === 0;
  }

  function composerPlaceholder(p, s) {
    if (state.noteMode) return p.note ? 'Write an internal note — only agents see it' : '';
    if (p.reply) return 'Reply to the customer…';
    if (!s || state.loading) return '';
    if (s.status === 'waiting') return 'Claim this ticket to reply';
    if (s.status === 'assigned') return 'Another agent has this conversation — you can add an internal note';
    if (s.status === 'offline') return 'Offline message — the customer is not in the chat';
    return 'This conversation is over';
  }

  function toggleNoteMode() {
    if ($('note-toggle').disabled) return;
    state.noteMode = !state.noteMode;
    updateControls();
    var input = $('reply-input');
    if (!input.disabled) input.focus();
  }

  function sendReply() {
    if (state.sending) return;
    var d = state.detail;
    if (!d || !d.ticket) return;
    var p = permissions();
    var note = state.noteMode;
    if (note ? !p.note : !p.reply) return;
    var input = $('reply-input');
    var preview = !note && !$('reply-preview-wrap').hidden ? $('reply-preview').value.trim() : '';
    var text = preview || input.value.trim();
    if (!text) { input.focus(); return; }
    var id = d.ticket.id;
    state.sending = true;
    updateControls();
    api('POST', ticketPath(id, note ? 'notes' : 'messages'), { text: text }).then(function (data) {
      state.drafts.delete(id);
      if (!note) state.responded.add(id);
      if (state.openId === id) {
        if (preview) { input.value = ''; hidePreview(); } else if (input.value.trim() === text) input.value = '';
        if (data && data.entry) appendEntry(data.entry, { force: true });
      }
    }, function (e) {
      if (e.status !== 401) toast(e.message);
    }).then(function () {
      state.sending = false;
      updateControls();
      if (state.openId === id && !input.disabled) input.focus();
    });
  }

  function onReplyKeydown(ev) {
    if (ev.key !== 'Enter' || ev.shiftKey || ev.altKey || ev.isComposing || ev.keyCode === 229) return;
    ev.preventDefault();
    sendReply();
  }

  // ---------------------------------------------------------------- context panel

  function section(title, body) {
    return h('section', { className: 'ctx-section' }, h('h3', { className: 'ctx-title' }, title), body);
  }

  function muted(text) { return h('p', { className: 'ctx-muted' }, text); }

  function valueNode(v, depth) {
    if (v === null || v === undefined || v === '') return h('span', { className: 'ctx-muted' }, '—');
    if (typeof v === 'boolean') return document.createTextNode(v ? 'Yes' : 'No');
    if (typeof v === 'number' || typeof v === 'string') return document.createTextNode(String(v));
    if (Array.isArray(v)) {
      if (v.every(function (x) { return x === null || typeof x !== 'object'; })) {
        return document.createTextNode(v.length ? v.join(', ') : '—');
      }
      return document.createTextNode(JSON.stringify(v));
    }
    if (typeof v === 'object' && depth < 3) return dl(Object.keys(v).map(function (k) { return [humanize(k), v[k]]; }), depth + 1);
    return document.createTextNode(JSON.stringify(v));
  }

  function dl(pairs, depth) {
    var list = h('dl', { className: 'ctx-dl' });
    pairs.forEach(function (pair) {
      list.appendChild(h('div', { className: 'ctx-pair' }, h('dt', null, pair[0]), h('dd', null, valueNode(pair[1], depth || 0))));
    });
    return list;
  }

  function renderContext() {
    var panel = $('context-panel');
    var d = state.detail;
    if (!d) { panel.replaceChildren(); return; }
    var c = d.context || {};
    var s = d.ticket || {};

    var customer = [
      ['Name', c.customer_name || s.customer_name || 'Not given'],
      ['Email', c.contact_email || s.contact_email || null],
      ['Channel', c.channel || s.channel],
      ['Sender', c.sender_id],
      ['Language', langName(c.language || s.language)]
    ];
    if (c.vip || s.vip) customer.push(['VIP', true]);

    var culture = c.culture && typeof c.culture === 'object' ? Object.keys(c.culture) : [];
    var cultureBody = culture.length
      ? dl(culture.map(function (k) { return [humanize(k), c.culture[k]]; }))
      : muted('No culture hints.');

    var intents = Array.isArray(c.intents) ? c.intents : [];
    var intentsBody = intents.length ? h('ul', { className: 'ctx-intents' }, intents.map(function (it) {
      var name = it && typeof it === 'object' ? it.name : it;
      var conf = it && typeof it === 'object' ? Number(it.confidence) : NaN;
      var pct = isNaN(conf) ? null : Math.max(0, Math.min(100, Math.round(conf * 100)));
      var bar = h('span', { className: 'ctx-bar', 'aria-hidden': 'true' }, h('span', { className: 'ctx-bar-fill' }));
      if (pct !== null) bar.firstChild.style.width = pct + '%';
      return h('li', { className: 'ctx-intent' },
        h('span', { className: 'ctx-intent-name' }, String(name)),
        pct !== null ? bar : null,
        h('span', { className: 'ctx-intent-conf' }, pct !== null ? pct + '%' : '–'));
    })) : muted('No intents recorded.');

    var kb = Array.isArray(c.kb_offered) ? c.kb_offered : [];
    var kbBody = kb.length
      ? h('ul', { className: 'ctx-list' }, kb.map(function (a) { return h('li', null, String(a)); }))
      : muted('None offered.');

    var fr = Array.isArray(c.frustration) ? c.frustration : [];
    var frBody = fr.length ? h('ol', { className: 'ctx-frus', 'aria-label': 'Frustration per message, oldest first' },
      fr.map(function (f) {
        var level = frustrationLevel(f);
        return h('li', { className: 'ctx-frus-item', 'data-level': level }, level === 'unknown' ? '–' : fmtScore(f));
      })) : muted('Not measured.');

    var slots = c.slots && typeof c.slots === 'object' ? Object.keys(c.slots).filter(function (k) {
      var v = c.slots[k];
      return v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
    }) : [];
    var slotsBody = slots.length
      ? dl(slots.map(function (k) { return [k, c.slots[k]]; }))
      : muted('No slots set.');

    fill(panel,
      h('h2', { className: 'ctx-heading' }, 'Context'),
      section('Customer', dl(customer)),
      section('Why it was escalated', h('p', { className: 'ctx-reason' }, c.reason ? (REASONS[c.reason] || humanize(c.reason)) : 'Not recorded')),
      section('Culture hints', cultureBody),
      section('Intents', intentsBody),
      section('Knowledge-base articles offered', kbBody),
      section('Frustration history', frBody),
      section('Slots', slotsBody),
      c.conversation_id ? h('p', { className: 'ctx-foot' }, 'Conversation ', h('code', null, String(c.conversation_id))) : null);
  }

  // ---------------------------------------------------------------- canned responses & departments

  function loadCanned(language) {
    var key = language || '';
    if (state.canned.has(key)) { renderCanned(); return; }
    state.canned.set(key, null);
    renderCanned();
    api('GET', '/api/canned?language=' + encodeURIComponent(key)).then(function (data) {
      var list = data && Array.isArray(data.canned) ? data.canned.filter(function (c) { return c && c.name; }) : [];
      state.canned.set(key, list);
    }, function () {
      state.canned.delete(key); // try again next time
    }).then(function () { renderCanned(); updateControls(); });
  }

  function renderCanned() {
    var select = $('canned-select');
    var s = state.detail && state.detail.ticket;
    var lang = s ? s.language || '' : '';
    var list = state.canned.has(lang) ? state.canned.get(lang) : undefined;
    var head;
    if (list === null) head = 'Loading canned responses…';
    else if (list === undefined) head = 'Canned responses unavailable';
    else if (list.length === 0) head = 'No canned responses (' + String(lang || '?').toUpperCase() + ')';
    else head = 'Canned responses (' + String(lang).toUpperCase() + ')…';
    var options = [h('option', { value: '' }, head)];
    (list || []).forEach(function (c) {
      options.push(h('option', { value: String(c.name), title: String(c.text || '') }, String(c.name)));
    });
    select.replaceChildren.apply(select, options);
    select.value = '';
  }

  function onCannedChange() {
    var select = $('canned-select');
    var name = select.value;
    if (!name) return;
    var s = state.detail && state.detail.ticket;
    var list = (s && state.canned.get(s.language || '')) || [];
    var item = list.filter(function (c) { return String(c.name) === name; })[0];
    select.value = '';
    if (!item) return;
    insertIntoReply(String(item.text || ''));
  }

  function insertIntoReply(text) {
    var input = $('reply-input');
    if (input.disabled) return;
    var start = input.selectionStart, end = input.selectionEnd, value = input.value;
    if (typeof start !== 'number' || document.activeElement !== input && start === 0 && end === 0 && value) {
      start = end = value.length;
    }
    var before = value.slice(0, start), after = value.slice(end);
    var glue = before && !/\s$/.test(before) ? ' ' : '';
    input.value = before + glue + text + after;
    var caret = (before + glue + text).length;
    input.focus();
    input.setSelectionRange(caret, caret);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function loadDepartments() {
    api('GET', '/api/departments').then(function (data) {
      state.departments = data && Array.isArray(data.departments) ? data.departments.filter(function (d) { return d && d.name; }) : [];
      renderTransferOptions();
    }, function (e) {
      if (e.status !== 401) toast('Could not load departments: ' + e.message);
    });
  }

  function renderTransferOptions() {
    var select = $('transfer-select');
    var current = state.detail && state.detail.ticket ? state.detail.ticket.department : null;
    var chosen = select.value;
    var options = [h('option', { value: '' }, 'Transfer to…')];
    state.departments.forEach(function (d) {
      var name = String(d.name);
      options.push(h('option', { value: name, title: d.timezone ? 'Time zone ' + d.timezone : null },
        name === current ? name + ' (current)' : name));
    });
    select.replaceChildren.apply(select, options);
    select.value = chosen && state.departments.some(function (d) { return String(d.name) === chosen; }) ? chosen : '';
  }

  // ---------------------------------------------------------------- websocket

  function connectSocket() {
    if (!state.me) return;
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    var ws;
    try { ws = new WebSocket(url); } catch (e) { scheduleReconnect(); return; }
    state.ws = ws;
    var opened = false;
    setConnection(state.wsEverOpened ? 'reconnecting' : 'connecting');

    ws.onopen = function () {
      if (state.ws !== ws) return;
      opened = true;
      state.wsRetry = 0;
      setConnection('live');
      clearInterval(state.timers.ping);
      state.timers.ping = setInterval(function () {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping' }));
      }, PING_MS);
      // Catch up on whatever happened before (or while) the socket was down.
      refreshTickets().catch(ignore);
      if (state.wsEverOpened) syncOpen();
      state.wsEverOpened = true;
    };
    ws.onmessage = function (ev) {
      if (state.ws !== ws) return;
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      handleSocketMessage(msg);
    };
    ws.onclose = function (ev) {
      if (state.ws !== ws) return;
      state.ws = null;
      clearInterval(state.timers.ping);
      if (!state.me) return;
      setConnection('reconnecting');
      if (!opened || ev.code === 4401 || ev.code === 4403 || ev.code === 1008) {
        // Maybe the session is gone: ask before hammering the socket.
        api('GET', '/api/me').then(function (me) {
          if (me && me.csrf_token) state.csrf = me.csrf_token;
          scheduleReconnect();
        }, function (e) {
          if (e.status === 401) sessionEnded(); else scheduleReconnect();
        });
      } else {
        scheduleReconnect();
      }
    };
    ws.onerror = function () { /* onclose follows and handles it */ };
  }

  function scheduleReconnect() {
    if (!state.me) return;
    clearTimeout(state.timers.reconnect);
    var base = Math.min(30000, 1000 * Math.pow(2, state.wsRetry));
    state.wsRetry = Math.min(state.wsRetry + 1, 10);
    var delay = base / 2 + Math.random() * base / 2;
    state.timers.reconnect = setTimeout(connectSocket, delay);
  }

  function handleSocketMessage(msg) {
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    if (msg.type === 'pong' || msg.type === 'ping') return;
    if (msg.type.indexOf('ticket.') !== 0 || !isValidSummary(msg.ticket)) return;
    var s = msg.ticket;
    var entry = msg.type === 'ticket.message' && msg.entry && typeof msg.entry === 'object' ? msg.entry : null;
    if (entry && !s.last_message) s.last_message = entry;
    if (entry && entry.kind === 'agent') state.responded.add(s.id);
    if (entry && entry.kind === 'customer' && s.id !== state.openId && OPEN[s.status]) state.unread.add(s.id);
    applySummary(s, msg.type);
    if (entry && s.id === state.openId) {
      if (state.loading) state.pending.push(entry);
      else appendEntry(entry);
    }
  }

  // ---------------------------------------------------------------- wiring

  function bind() {
    $('login-form').addEventListener('submit', onLoginSubmit);
    $('logout').addEventListener('click', logout);
    $('availability').addEventListener('click', toggleAvailability);
    $('toast').addEventListener('click', hideToast);
    $('conv-claim').addEventListener('click', function () {
      if (state.detail && state.detail.ticket) claimTicket(state.detail.ticket.id);
    });
    $('transfer-submit').addEventListener('click', transfer);
    $('handback').addEventListener('click', handback);
    $('close').addEventListener('click', closeTicket);
    $('note-toggle').addEventListener('click', toggleNoteMode);
    $('canned-select').addEventListener('change', onCannedChange);
    $('composer').addEventListener('submit', function (ev) { ev.preventDefault(); sendReply(); });
    $('reply-input').addEventListener('keydown', onReplyKeydown);
    $('reply-translate').addEventListener('click', previewTranslation);
    $('reply-preview-discard').addEventListener('click', function () { hidePreview(); $('reply-input').focus(); });
    $('transcript').addEventListener('scroll', function () { if (isNearBottom()) $('new-pill').hidden = true; });
    $('new-pill').addEventListener('click', function () { scrollToBottom(); $('transcript').focus({ preventScroll: true }); });
    document.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape' && !$('toast').hidden) hideToast();
    });
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && state.me) {
        sendPresence(false);
        refreshTickets().catch(ignore);
      }
    });
    window.addEventListener('hashchange', function () {
      var id = decodeHash();
      if (id && state.me && id !== state.openId) openTicket(id);
    });
  }

  function boot() {
    bind();
    api('GET', '/api/me').then(startSession, function (e) {
      if (e.status === 401) showLogin();
      else showLogin(e.message);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();

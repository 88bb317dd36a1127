/*
 * app.js - the dyad dashboard: plain JavaScript, no framework, no build step.
 *
 * It talks only to the /v1 API of the server that served it (docs/api.md):
 *   - a dyad's series (GET /v1/series) drawn as an SVG bar chart: cooperation
 *     (quad 1-2) above the axis, conflict (quad 3-4) below, per period;
 *   - clicking a period lists its events (GET /v1/events with the period's
 *     dates and the series' modalities, so the table matches the bar);
 *   - alerts for the dyad (GET /v1/alerts);
 *   - a pasted text coded on the server (POST /v1/code, nothing stored);
 *   - actor search (GET /v1/actors?q=).
 * Untrusted strings (sentences, codes, errors) only ever reach the page as
 * text nodes (textContent / createTextNode), never as HTML.
 *
 * Spans are byte offsets into the document's text, while an event carries its
 * sentence: the sentence's offset is found by locating the trigger's bytes in
 * the sentence's UTF-8 bytes and checking the source and target spans fall on
 * their words too; the highlighting then slices the UTF-8 bytes.
 */
'use strict';

const $ = (id) => document.getElementById(id);
const SVGNS = 'http://www.w3.org/2000/svg';
const enc = new TextEncoder();
const dec = new TextDecoder();
const PAGE = 100;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

async function api(path, opts) {
  const r = await fetch(path, opts);
  let body;
  try {
    body = await r.json();
  } catch (e) {
    throw new Error(`HTTP ${r.status}: the answer is not JSON`);
  }
  if (!r.ok && r.status !== 422) throw new Error(body.error || `HTTP ${r.status}`);
  return body;
}

function status(id, text, isError) {
  const s = $(id);
  s.textContent = text;
  s.classList.toggle('error', !!isError);
}

/* Dates of a period --------------------------------------------------------- */

function pad(n) { return String(n).padStart(2, '0'); }
function iso(d) { return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; }

function periodRange(period, by) {
  if (by === 'month') {
    const [y, m] = period.split('-').map(Number);
    return [`${period}-01`, iso(new Date(Date.UTC(y, m, 0)))];
  }
  if (by === 'week') {
    const d = new Date(period + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + 6);
    return [period, iso(d)];
  }
  return [period, period];
}

/* Highlighting ------------------------------------------------------------------ */

function indexOfBytes(hay, needle, from) {
  if (!needle.length) return -1;
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function spanFits(bytes, base, span) {
  const a = span.start - base, b = span.end - base;
  if (a < 0 || b > bytes.length || b <= a) return false;
  const want = enc.encode(span.text);
  if (want.length !== b - a) return false;
  for (let i = 0; i < want.length; i++) if (bytes[a + i] !== want[i]) return false;
  return true;
}

/* The sentence as a fragment with <mark>s on source, trigger and target. */
function highlighted(ev) {
  const sentence = ev.sentence || '';
  const bytes = enc.encode(sentence);
  const frag = document.createDocumentFragment();
  const kinds = [['trg', ev.trigger], ['src', ev.source_span], ['tgt', ev.target_span]]
    .filter(([, s]) => s && s.text && s.end > s.start);
  let base = null;
  const trig = kinds.find(([k]) => k === 'trg');
  if (trig) {
    const tb = enc.encode(trig[1].text);
    let best = null;
    for (let p = indexOfBytes(bytes, tb, 0); p >= 0; p = indexOfBytes(bytes, tb, p + 1)) {
      const b = trig[1].start - p;
      const fits = kinds.filter(([, s]) => spanFits(bytes, b, s)).length;
      if (!best || fits > best.fits) best = { b, fits };
    }
    if (best) base = best.b;
  }
  const marks = base === null ? [] : kinds
    .filter(([, s]) => spanFits(bytes, base, s))
    .map(([k, s]) => ({ k, a: s.start - base, b: s.end - base }))
    .sort((x, y) => x.a - y.a);
  let at = 0;
  for (const m of marks) {
    if (m.a < at) continue; /* overlapping spans: keep the first */
    if (m.a > at) frag.append(document.createTextNode(dec.decode(bytes.subarray(at, m.a))));
    const title = { trg: 'trigger', src: 'source', tgt: 'target' }[m.k];
    frag.append(el('mark', { class: m.k, title }, dec.decode(bytes.subarray(m.a, m.b))));
    at = m.b;
  }
  if (at < bytes.length) frag.append(document.createTextNode(dec.decode(bytes.subarray(at))));
  return frag;
}

/* Event tables --------------------------------------------------------------------- */

function eventTable(events) {
  const tbody = el('tbody');
  for (const ev of events) {
    tbody.append(el('tr', { class: 'event' },
      el('td', { class: 'nowrap' }, ev.event_date || ev.date),
      el('td', { class: 'nowrap' }, `${ev.source || '?'} → ${ev.target || '?'}`),
      el('td', { class: 'nowrap', title: ev.plover || '' }, ev.code),
      el('td', {}, el('span', { class: `quad q${ev.quad}`, title: 'quad class' }, ev.quad)),
      el('td', { class: 'num' }, Number(ev.goldstein).toFixed(1)),
      el('td', {}, el('span', { class: `modality ${ev.modality}` }, ev.modality)),
      el('td', { class: 'sentence' }, highlighted(ev)),
      el('td', { class: 'nowrap' }, `${ev.doc} #${ev.sent}`)));
  }
  return el('table', { class: 'grid events' },
    el('thead', {}, el('tr', {}, ...['date', 'dyad', 'CAMEO', 'quad', 'Goldstein', 'modality',
      'sentence', 'document'].map((h) => el('th', {}, h)))),
    tbody);
}

/* The chart ---------------------------------------------------------------------------- */

let current = null; /* {a, b, directed, by, from, to} of the chart shown */
let listing = null; /* {query, offset} of the event list shown */

function drawChart(data, q) {
  const box = $('chart');
  box.replaceChildren();
  const pts = data.periods;
  if (!pts.length) {
    box.append(el('p', { class: 'status' }, 'No events for this dyad.'));
    return;
  }
  const W = 900, H = 320, L = 46, R = 16, T = 34, B = 46;
  const coop = pts.map((p) => p.verbal_coop + p.material_coop);
  const conf = pts.map((p) => p.verbal_conflict + p.material_conflict);
  const max = Math.max(1, ...coop, ...conf);
  const mid = T + (H - T - B) / 2, half = (H - T - B) / 2;
  const y = (v) => (v / max) * half;
  const step = (W - L - R) / pts.length, bw = Math.max(2, Math.min(40, step * 0.6));
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': `${data.dyad}: cooperation and conflict per ${data.by}` });
  s.append(svg('title', {}, `${data.dyad}: cooperation and conflict per ${data.by}`));
  /* grid and y axis: counts above (cooperation) and below (conflict) */
  const ticks = [0, Math.ceil(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);
  for (const t of ticks) {
    for (const sign of t ? [-1, 1] : [1]) {
      const yy = mid + sign * y(t);
      s.append(svg('line', { class: t ? 'grid' : 'axis', x1: L, x2: W - R, y1: yy, y2: yy }));
      s.append(svg('text', { x: L - 6, y: yy + 4, 'text-anchor': 'end' }, t));
    }
  }
  s.append(svg('text', { x: 12, y: mid - half / 2, transform: `rotate(-90 12 ${mid - half / 2})`,
    'text-anchor': 'middle' }, 'cooperation'));
  s.append(svg('text', { x: 12, y: mid + half / 2, transform: `rotate(-90 12 ${mid + half / 2})`,
    'text-anchor': 'middle' }, 'conflict'));
  const every = Math.max(1, Math.ceil(pts.length / 12));
  pts.forEach((p, i) => {
    const x = L + i * step + step / 2;
    const g = svg('g', { class: 'period', tabindex: 0, 'data-period': p.period,
      'data-events': p.events });
    g.append(svg('rect', { class: 'hit', x: L + i * step, y: T, width: step, height: H - T - B }));
    g.append(svg('rect', { class: 'bar coop', x: x - bw / 2, y: mid - y(coop[i]), width: bw,
      height: y(coop[i]) }));
    g.append(svg('rect', { class: 'bar conflict', x: x - bw / 2, y: mid, width: bw,
      height: y(conf[i]) }));
    const gm = p.goldstein_mean === null ? 'none' : p.goldstein_mean.toFixed(2);
    g.append(svg('title', {}, `${p.period}: ${p.events} events, ${coop[i]} cooperation, ` +
      `${conf[i]} conflict, Goldstein mean ${gm}`));
    const pick = () => selectPeriod(p.period, q, g);
    g.addEventListener('click', pick);
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
    s.append(g);
    if (i % every === 0)
      s.append(svg('text', { x, y: H - B + 16, 'text-anchor': 'middle' }, p.period));
  });
  s.append(svg('text', { x: (L + W - R) / 2, y: H - 8, 'text-anchor': 'middle' },
    `period (${data.by}); click a period to list its events`));
  const lg = svg('g', { class: 'legend' });
  lg.append(svg('rect', { class: 'coop', x: L, y: 10, width: 12, height: 12 }));
  lg.append(svg('text', { x: L + 18, y: 20 }, 'cooperation (quad 1–2)'));
  lg.append(svg('rect', { class: 'conflict', x: L + 190, y: 10, width: 12, height: 12 }));
  lg.append(svg('text', { x: L + 208, y: 20 }, 'conflict (quad 3–4)'));
  s.append(lg);
  box.append(s);
}

async function selectPeriod(period, q, g) {
  document.querySelectorAll('#chart .period.selected').forEach((n) => n.classList.remove('selected'));
  if (g) g.classList.add('selected');
  const [from, to] = periodRange(period, q.by);
  const params = new URLSearchParams({ dyad: `${q.a},${q.b}`, from, to,
    modality: 'asserted,reported', limit: PAGE });
  if (q.directed) params.set('directed', 'true');
  listing = { params, offset: 0, period };
  $('events').replaceChildren();
  await loadEvents();
}

async function loadEvents() {
  const p = new URLSearchParams(listing.params);
  p.set('offset', listing.offset);
  status('events-caption', 'Loading…');
  try {
    const data = await api(`/v1/events?${p}`);
    const shown = listing.offset + data.count;
    status('events-caption', `${listing.params.get('dyad')}, ${listing.period}: ` +
      `${shown} event${shown === 1 ? '' : 's'}${data.next_offset !== null ? ' (more below)' : ''}`);
    $('events').append(eventTable(data.events));
    listing.offset = data.next_offset === null ? null : data.next_offset;
    $('more').hidden = data.next_offset === null;
  } catch (e) {
    status('events-caption', e.message, true);
  }
}

async function showDyad(ev) {
  if (ev) ev.preventDefault();
  const q = {
    a: $('dyad-a').value.trim().toUpperCase(),
    b: $('dyad-b').value.trim().toUpperCase(),
    directed: $('directed').checked,
    by: $('by').value,
    from: $('from').value,
    to: $('to').value,
  };
  const params = new URLSearchParams({ dyad: `${q.a},${q.b}`, by: q.by });
  if (q.directed) params.set('directed', 'true');
  if (q.from) params.set('from', q.from);
  if (q.to) params.set('to', q.to);
  status('dyad-status', 'Loading…');
  try {
    const data = await api(`/v1/series?${params}`);
    current = q;
    const total = data.periods.reduce((n, p) => n + p.events, 0);
    status('dyad-status', `${q.a} ${q.directed ? '→' : '–'} ${q.b}: ${total} events in ` +
      `${data.periods.length} period${data.periods.length === 1 ? '' : 's'}`);
    drawChart(data, q);
    history.replaceState(null, '', `#${params}`);
    loadAlerts(q);
  } catch (e) {
    status('dyad-status', e.message, true);
    $('chart').replaceChildren();
  }
}

async function loadAlerts(q) {
  const box = $('alerts');
  box.replaceChildren();
  const params = new URLSearchParams({ dyad: `${q.a},${q.b}`, by: q.by, max_events: 0 });
  if (q.directed) params.set('directed', 'true');
  try {
    const data = await api(`/v1/alerts?${params}`);
    if (!data.alerts.length) {
      box.append(el('p', { class: 'status' }, 'No alerts: no period turned sharply toward conflict.'));
      return;
    }
    const ul = el('ul');
    for (const a of data.alerts)
      ul.append(el('li', {}, `${a.period}: ${a.events} events, Goldstein mean ` +
        `${a.goldstein_mean.toFixed(2)} (baseline ${a.baseline_mean.toFixed(2)}), conflict share ` +
        `${a.conflict_share.toFixed(2)} (baseline ${a.baseline_share.toFixed(2)})`));
    box.append(el('p', {}, 'Alerts:'), ul);
  } catch (e) {
    box.append(el('p', { class: 'status error' }, e.message));
  }
}

/* Code a text -------------------------------------------------------------------------- */

async function codeText(ev) {
  ev.preventDefault();
  const params = new URLSearchParams({ date: $('code-date').value });
  if ($('code-all').checked) params.set('all_modalities', 'true');
  status('code-status', 'Coding…');
  $('code-events').replaceChildren();
  $('code-quotes').replaceChildren();
  try {
    const data = await api(`/v1/code?${params}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: $('code-text').value,
    });
    status('code-status', `${data.sentences} sentence${data.sentences === 1 ? '' : 's'}, ` +
      `${data.events.length} event${data.events.length === 1 ? '' : 's'}` +
      `${data.parsed ? '' : ' (coded without parsing)'}`);
    if (data.events.length) $('code-events').append(eventTable(data.events));
    if (data.quotes.length) {
      const ul = el('ul', { class: 'quotes' });
      for (const q of data.quotes) {
        const who = q.speaker_span && q.speaker_span.text ? ` (${q.speaker_span.text})` : '';
        ul.append(el('li', { class: 'quote' }, el('strong', {}, q.speaker || 'unattributed'),
          `${who}: “${q.text.text}”`));
      }
      $('code-quotes').append(el('p', {}, 'Quotations:'), ul);
    }
  } catch (e) {
    status('code-status', e.message, true);
  }
}

/* Actors -------------------------------------------------------------------------------- */

async function searchActors(ev) {
  if (ev) ev.preventDefault();
  const q = $('actor-q').value.trim();
  const params = new URLSearchParams({ limit: 50 });
  if (q) params.set('q', q);
  status('actor-status', 'Searching…');
  try {
    const data = await api(`/v1/actors?${params}`);
    const tbody = $('actors').querySelector('tbody');
    tbody.replaceChildren();
    const list = $('actor-list');
    list.replaceChildren();
    for (const a of data.actors) {
      const use = (input) => () => { $(input).value = a.code; showDyad(); };
      tbody.append(el('tr', {},
        el('td', {}, a.code), el('td', { class: 'num' }, a.events),
        el('td', { class: 'nowrap' }, a.first), el('td', { class: 'nowrap' }, a.last),
        el('td', { class: 'nowrap' },
          el('button', { type: 'button', class: 'link', onclick: use('dyad-a') }, 'A'),
          el('button', { type: 'button', class: 'link', onclick: use('dyad-b') }, 'B'))));
      list.append(el('option', { value: a.code }));
    }
    $('actors').hidden = !data.actors.length;
    status('actor-status', data.actors.length ? `${data.count} actor${data.count === 1 ? '' : 's'}`
      : 'No actor code starts with that.');
  } catch (e) {
    status('actor-status', e.message, true);
  }
}

/* Start ----------------------------------------------------------------------------------- */

async function health() {
  try {
    const h = await api('/healthz');
    $('health').textContent = `dyad ${h.version} · ${h.parse ? 'parsing' : 'no parsing'}`;
  } catch (e) {
    $('health').textContent = 'server unreachable';
    $('health').classList.add('down');
  }
}

function fromHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const d = (p.get('dyad') || '').split(',');
  if (d.length === 2) { $('dyad-a').value = d[0]; $('dyad-b').value = d[1]; }
  if (['day', 'week', 'month'].includes(p.get('by'))) $('by').value = p.get('by');
  $('directed').checked = p.get('directed') === 'true';
  if (p.get('from')) $('from').value = p.get('from');
  if (p.get('to')) $('to').value = p.get('to');
  return d.length === 2;
}

$('dyad-form').addEventListener('submit', showDyad);
$('code-form').addEventListener('submit', codeText);
$('actor-form').addEventListener('submit', searchActors);
$('more').addEventListener('click', () => { if (listing && listing.offset !== null) loadEvents(); });
$('code-date').value = iso(new Date());
health();
if (fromHash()) showDyad();

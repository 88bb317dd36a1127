#!/usr/bin/env node
/*
 * dashboard.test.js - the dyad dashboard in headless Chromium (Debian's chromium, driven by
 * playwright-core; no browser download). Run by tests/e2e/serve_browser.sh, which starts
 * `dyad serve` on 127.0.0.1 and passes: BASE_URL TOKEN OUT_DIR.
 *
 * Steps: ingest examples/us-mexico-sovereignty.jsonl through POST /v1/documents; open the
 * dashboard; select USA–MEX per day; check the chart has one bar group per period with the
 * API's counts; click the busiest period and check the event table lists exactly the API's
 * events for it, with source, trigger and target highlighted in each sentence and the
 * modality shown; code a pasted text; search actors. Any request leaving the server's origin
 * fails the test (and is blocked), as does a console error. Screenshots go to OUT_DIR.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [BASE, TOKEN, OUT] = process.argv.slice(2);
if (!BASE || !TOKEN || !OUT) {
  console.error('usage: dashboard.test.js BASE_URL TOKEN OUT_DIR');
  process.exit(2);
}
const ARTICLE = path.join(__dirname, '..', '..', 'examples', 'us-mexico-sovereignty.jsonl');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let failures = 0, checks = 0;
function check(cond, what) {
  checks++;
  if (!cond) {
    failures++;
    console.error(`  FAIL: ${what}`);
  }
}

async function getJSON(p, opts) {
  const r = await fetch(BASE + p, opts);
  return { status: r.status, body: await r.json() };
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });

  /* 1. ingest the example article */
  const ing = await getJSON('/v1/documents', {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-ndjson' },
    body: fs.readFileSync(ARTICLE),
  });
  check(ing.status === 200 && ing.body.documents === 1 && ing.body.rejected === 0,
    `ingest: HTTP ${ing.status} ${JSON.stringify(ing.body)}`);
  const series = (await getJSON('/v1/series?dyad=USA,MEX&by=day')).body;
  check(series.periods.length >= 1, 'the API has a USA-MEX series');

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dyad-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const foreign = [], consoleErrors = [];
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(BASE + '/') || u.startsWith('data:')) return route.continue();
    foreign.push(u);
    return route.abort();
  });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    /* 2. the dashboard, USA-MEX per day */
    await page.goto(BASE + '/', { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('health').textContent.startsWith('dyad'));
    await page.fill('#dyad-a', 'USA');
    await page.fill('#dyad-b', 'MEX');
    await page.selectOption('#by', 'day');
    await page.click('#show');
    await page.waitForSelector('#chart svg .period');
    const groups = await page.$$eval('#chart svg .period', (gs) => gs.map((g) => ({
      period: g.getAttribute('data-period'),
      events: Number(g.getAttribute('data-events')),
      coop: Number(g.querySelector('.bar.coop').getAttribute('height')),
      conflict: Number(g.querySelector('.bar.conflict').getAttribute('height')),
    })));
    check(groups.length === series.periods.length,
      `chart: ${groups.length} periods, the API has ${series.periods.length}`);
    for (const p of series.periods) {
      const g = groups.find((x) => x.period === p.period);
      check(g && g.events === p.events, `chart period ${p.period}: ${g && g.events} events, API ${p.events}`);
      const coop = p.verbal_coop + p.material_coop, conf = p.verbal_conflict + p.material_conflict;
      check(g && (coop > 0) === (g.coop > 0) && (conf > 0) === (g.conflict > 0),
        `chart period ${p.period}: bars drawn for cooperation ${coop} and conflict ${conf}`);
    }
    const status = await page.textContent('#dyad-status');
    const total = series.periods.reduce((n, p) => n + p.events, 0);
    check(status.includes(`${total} events`), `status line: "${status}" (wanted ${total} events)`);
    await page.screenshot({ path: path.join(OUT, 'chart.png'), fullPage: false });
    await (await page.$('#chart')).screenshot({ path: path.join(OUT, 'chart-only.png') });

    /* 3. click the busiest period: its events, highlighted */
    const busiest = series.periods.reduce((a, b) => (b.events > a.events ? b : a));
    await page.click(`#chart svg .period[data-period="${busiest.period}"]`);
    await page.waitForSelector('#events table tbody tr');
    const want = (await getJSON(`/v1/events?dyad=USA,MEX&from=${busiest.period}&to=${busiest.period}` +
      '&modality=asserted,reported&limit=1000')).body.events;
    const rows = await page.$$eval('#events table tbody tr', (trs) => trs.map((tr) => {
      const td = tr.querySelectorAll('td');
      const mark = (c) => { const m = td[6].querySelector(`mark.${c}`); return m ? m.textContent : null; };
      return { date: td[0].textContent, dyad: td[1].textContent, code: td[2].textContent,
        modality: td[5].textContent, sentence: td[6].textContent,
        trg: mark('trg'), src: mark('src'), tgt: mark('tgt') };
    }));
    check(rows.length === busiest.events && rows.length === want.length,
      `event table: ${rows.length} rows, chart ${busiest.events}, API ${want.length}`);
    want.forEach((e, i) => {
      const r = rows[i] || {};
      check(r.dyad === `${e.source || '?'} → ${e.target || '?'}` && r.code === e.code &&
        r.modality === e.modality && r.sentence === e.sentence,
        `row ${i}: ${JSON.stringify(r)} vs ${e.source}>${e.target} ${e.code} ${e.modality}`);
      check(r.trg === e.trigger.text, `row ${i}: trigger highlighted "${r.trg}", wanted "${e.trigger.text}"`);
      check(r.src === null || r.src === e.source_span.text, `row ${i}: source highlight "${r.src}"`);
      check(r.tgt === null || r.tgt === e.target_span.text, `row ${i}: target highlight "${r.tgt}"`);
    });
    const firm = rows.find((r) => r.trg === 'stood firm against');
    check(firm && firm.src === 'Mexico' && firm.tgt === 'United States' && firm.dyad === 'MEX → USA' &&
      firm.code === '12', `the MEX → USA rejection is listed with its spans: ${JSON.stringify(firm)}`);
    check(rows.every((r) => r.modality === 'asserted' || r.modality === 'reported'), 'modalities shown');
    const caption = await page.textContent('#events-caption');
    check(caption.includes(busiest.period), `events caption: "${caption}"`);
    await (await page.$('#events-panel')).screenshot({ path: path.join(OUT, 'events.png') });

    /* 4. paste a text and code it */
    await page.fill('#code-text', 'Russian forces attacked Ukraine on Monday. Kyiv condemned Moscow.');
    await page.fill('#code-date', '2025-08-13');
    await page.click('#code-run');
    await page.waitForSelector('#code-events table tbody tr');
    const coded = await page.$$eval('#code-events table tbody tr', (trs) =>
      trs.map((tr) => tr.querySelectorAll('td')[1].textContent));
    check(coded.some((d) => d.startsWith('RUS') && d.endsWith('UKR')), `coded text: ${JSON.stringify(coded)}`);
    const codedDate = await page.$eval('#code-events table tbody tr td', (td) => td.textContent);
    check(codedDate === '2025-08-11', `"on Monday" dated 2025-08-11: ${codedDate}`);
    await (await page.$('#code-panel')).screenshot({ path: path.join(OUT, 'code.png') });

    /* 5. actor search */
    await page.fill('#actor-q', 'mex');
    await page.click('#actor-search');
    await page.waitForSelector('#actors:not([hidden]) tbody tr');
    const codes = await page.$$eval('#actors tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
    check(codes.includes('MEXGOV') && codes.every((c) => c.startsWith('MEX')), `actors: ${codes}`);
    await page.screenshot({ path: path.join(OUT, 'dashboard.png'), fullPage: true });

    check(foreign.length === 0, `requests outside the server: ${foreign.join(' ')}`);
    check(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`  ${checks} checks, ${failures} failed; screenshots in ${OUT}`);
  process.exit(failures ? 1 : 0);
}

const timer = setTimeout(() => { console.error('  FAIL: browser test timed out (120 s)'); process.exit(1); }, 120000);
timer.unref();
main().catch((e) => { console.error(`  FAIL: ${e && e.stack || e}`); process.exit(1); });

// Drives Debian's chromium through the whole remote-work journey and checks
// every page with axe-core for WCAG 2.1 AA violations: the employee asks,
// the manager assesses, the employee answers the risk questions, the
// manager reviews, approves and completes the written agreement
// (commenting on the pack's warnings), both sign with their password, the
// PDF downloads and reads back with pdftotext, a follow-up is recorded and
// the employee ends the agreement.
//
//   node agreements.mjs http://127.0.0.1:PORT
//
// Accounts come from the environment (DISTANS_EMPLOYEE_EMAIL,
// DISTANS_EMPLOYEE_NAME, DISTANS_MANAGER_EMAIL, DISTANS_PASSWORD), which
// e2e/agreements_test.go sets from the demo organisations. Exit status 1 on
// any violation or failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start } from './lib.mjs';

const base = process.argv[2];
const employee = process.env.DISTANS_EMPLOYEE_EMAIL;
const employeeName = process.env.DISTANS_EMPLOYEE_NAME;
const manager = process.env.DISTANS_MANAGER_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !employee || !employeeName || !manager || !password) {
  console.error('usage: DISTANS_EMPLOYEE_EMAIL=… DISTANS_EMPLOYEE_NAME=… DISTANS_MANAGER_EMAIL=… DISTANS_PASSWORD=… node agreements.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, finish } = await start(base, password);

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

// submit clicks a button and waits for the page that answers.
async function submit(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
}

// flash returns the page's message after an action.
async function expectFlash(page, re, label) {
  const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  if (!re.test(text)) {
    const err = await page.locator('.error-summary, .flash.error').allInnerTexts();
    fail(`${label}: expected ${re} on ${page.url()}; errors: ${err.join(' | ') || '(none)'}`);
    return false;
  }
  return true;
}

try {
  const empCtx = await browser.newContext({ locale: 'sv-SE' });
  const emp = await empCtx.newPage();
  const mgrCtx = await browser.newContext({ locale: 'sv-SE' });
  const mgr = await mgrCtx.newPage();

  // 1. The employee requests remote work.
  await signIn(emp, employee);
  await visit(emp, '/agreements', 'Distansarbete, medarbetare');
  await Promise.all([emp.waitForURL(base + '/agreements/new'), emp.getByRole('link', { name: /^Ansök om distansarbete$/ }).click()]);
  await check(emp, 'Ansökan');
  // A period whose last day comes first: refused with the Swedish message.
  await emp.locator('#f-weekdays-mon').check();
  await emp.locator('#f-weekdays-wed').check();
  await emp.locator('#f-place').fill('Storgatan 12, 916 31 Bjurholm');
  await emp.locator('#f-start').fill(day(14));
  await emp.locator('#f-end').fill(day(10));
  await emp.locator('#f-tasks').fill('Utredningar, skrivande och digitala möten.');
  await emp.locator('#f-reasons').fill('Lugn miljö för koncentrerat arbete och kortare restid.');
  await submit(emp, /^Skicka ansökan$/);
  await expectFlash(emp, /Sista dagen ligger före den första\./, 'dates out of order');
  await check(emp, 'Ansökan, fel datum');
  await emp.locator('#f-place').fill('Storgatan 12, 916 31 Bjurholm');
  await emp.locator('#f-end').fill(day(14 + 180));
  await submit(emp, /^Skicka ansökan$/);
  await expectFlash(emp, /Din ansökan är skickad/, 'request');
  const caseURL = emp.url().replace(/[#?].*$/, '');
  const casePath = caseURL.slice(base.length);
  if (!/^\/agreements\/[^/]+$/.test(casePath)) throw new Error(`the request did not open a case: ${emp.url()}`);
  await check(emp, 'Ärendet, ansökt');

  // 2. The manager assesses from the queue.
  await signIn(mgr, manager);
  await visit(mgr, '/agreements', 'Att göra, chef');
  if (!(await mgr.locator(`a[href="${casePath}"]`).count())) fail('the request is not in the manager\'s queue');
  await visit(mgr, casePath, 'Ärendet, chefens vy');
  for (const [field, text] of [['operation', 'Verksamheten påverkas inte; kollegorna informeras.'],
    ['individual', 'Erfaren och van vid digitala verktyg.'], ['extent', 'Två dagar i veckan.'],
    ['availability', 'Nås på telefon och Teams under arbetstid.'], ['meetings', 'Arbetsplatsträffar på plats.'],
    ['common_days', 'Tisdagar är gemensamma dagar.']]) {
    await mgr.locator('#f-' + field.replace('_', '-')).fill(text);
  }
  await submit(mgr, /^Spara bedömningen$/);
  await expectFlash(mgr, /Bedömningen är sparad/, 'assessment');
  await check(mgr, 'Ärendet, bedömt');

  // 3. The employee answers the risk questions.
  await emp.goto(caseURL);
  for (const item of ['ergonomics', 'light', 'outlet', 'privacy', 'network', 'recovery']) {
    await emp.locator(`#f-answers-${item}-ok`).check();
  }
  await check(emp, 'Riskbedömning, medarbetare');
  await submit(emp, /^Spara svaren$/);
  await expectFlash(emp, /Svaren på riskbedömningen är sparade/, 'risk answers');

  // 4. The manager reviews and approves.
  await mgr.goto(caseURL);
  await check(mgr, 'Riskgenomgång');
  await mgr.locator('#f-outcome-acceptable').check();
  await submit(mgr, /^Spara genomgången$/);
  await expectFlash(mgr, /Genomgången av riskbedömningen är sparad/, 'risk review');
  await mgr.locator('#f-decision-approve').check();
  await mgr.locator('#f-reasons').fill('Uppgifterna passar för distansarbete och verksamheten påverkas inte.');
  await submit(mgr, /^Spara beslutet$/);
  await expectFlash(mgr, /Distansarbetet är beviljat/, 'decision');
  await check(mgr, 'Överenskommelsen, förifylld');

  // 5. The manager completes the terms: the place is revealed (audited)
  // into the form, every part filled, every warning commented.
  await submit(mgr, /^Visa adress$/);
  await check(mgr, 'Överenskommelsen, adress visad');
  for (let round = 0; round < 3; round++) {
    const fillIfEmpty = async (sel, value) => {
      const el = mgr.locator(sel);
      if ((await el.count()) && !(await el.inputValue())) await el.fill(value);
    };
    await fillIfEmpty('#f-remote-place', 'Storgatan 12, 916 31 Bjurholm');
    await fillIfEmpty('#f-main-workplace', 'Kommunhuset, Bjurholm');
    await fillIfEmpty('#f-working-hours', '08.00–16.30 med flextid');
    await fillIfEmpty('#f-evaluation', 'Uppföljning varje kvartal, utvärdering vid årlig genomgång.');
    await fillIfEmpty('#f-conditions', 'Arbetet kräver ingen närvaro för brukarmöten; tisdagar på kontoret.');
    await fillIfEmpty('#f-physical-meetings', 'Inga fysiska möten med brukare på distansarbetsplatsen.');
    await fillIfEmpty('#f-tasks', 'Utredningar, skrivande och digitala möten.');
    await fillIfEmpty('#f-return-minutes', '60');
    if (!(await mgr.locator('#f-tax-workplace').inputValue())) await mgr.locator('#f-tax-workplace').selectOption('main');
    for (const c of ['phone', 'email', 'teams']) await mgr.locator('#f-availability-' + c).check();
    await mgr.locator('#f-equipment-computer').check();
    for (const ta of await mgr.locator('textarea[name^="comments."]').all()) {
      if (!(await ta.inputValue())) await ta.fill('Diskuterat med medarbetaren; rimligt för uppdraget.');
    }
    await submit(mgr, /^Spara överenskommelsen$/);
    await check(mgr, `Överenskommelsen, sparad (${round + 1})`);
    const empty = [];
    for (const ta of await mgr.locator('textarea[name^="comments."]').all()) {
      if (!(await ta.inputValue())) empty.push(ta);
    }
    if (empty.length === 0 && (await mgr.locator('.error-summary').count()) === 0) break;
  }
  const blocks = await mgr.locator('#findings-heading ~ ul .severity-block').count();
  if (blocks) fail(`the terms still have ${blocks} blocking finding(s): ${(await mgr.locator('#findings-heading ~ ul').innerText()).replace(/\s+/g, ' ')}`);

  // 6. Both sign with their password.
  await mgr.locator('#f-password').fill(password);
  await submit(mgr, /^Underteckna överenskommelsen$/);
  await expectFlash(mgr, /Du har undertecknat överenskommelsen/, 'manager signs');
  await check(mgr, 'Undertecknad av chef');
  await emp.goto(caseURL);
  await check(emp, 'Underskrift, medarbetare');
  await emp.locator('#f-password').fill('fel-lösenord');
  await submit(emp, /^Underteckna överenskommelsen$/);
  if (!(await emp.locator('.error-summary').count())) fail('a wrong password did not refuse the signature');
  await check(emp, 'Underskrift, fel lösenord');
  await emp.locator('#f-password').fill(password);
  await submit(emp, /^Underteckna överenskommelsen$/);
  await expectFlash(emp, /Du har undertecknat överenskommelsen/, 'employee signs');
  await expectFlash(emp, /Gäller/, 'active after both signatures');
  await check(emp, 'Överenskommelsen gäller');

  // 7. The PDF downloads and has the text.
  const res = await empCtx.request.get(caseURL + '/pdf');
  if (res.status() !== 200) fail(`PDF: status ${res.status()}`);
  if (!/application\/pdf/.test(res.headers()['content-type'] || '')) fail(`PDF: content type ${res.headers()['content-type']}`);
  if (!/attachment/.test(res.headers()['content-disposition'] || '')) fail('PDF: not an attachment');
  const dir = mkdtempSync(join(tmpdir(), 'distans-pdf-'));
  try {
    const file = join(dir, 'overenskommelse.pdf');
    writeFileSync(file, await res.body());
    const out = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (out.error || out.status !== 0) {
      fail(`pdftotext: ${out.error || out.stderr}`);
    } else {
      const txt = out.stdout.replace(/\s+/g, ' ');
      const missing = ['Överenskommelse om distansarbete', employeeName].filter((w) => !txt.includes(w));
      if (missing.length) fail(`the PDF lacks ${missing.map((w) => `"${w}"`).join(', ')}`);
      else console.log('ok   PDF read back with pdftotext');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 8. The manager records a follow-up.
  await mgr.goto(caseURL);
  await check(mgr, 'Uppföljning, formulär');
  for (const [field, text] of [['goals', 'Målen nås.'], ['quality', 'God kvalitet.'], ['availability', 'Nås som överenskommet.'],
    ['work-situation', 'Hanterbar arbetsbelastning.'], ['digital-env', 'VPN och Teams fungerar.'],
    ['spill-over', 'Ingen påverkan på kollegorna.'], ['measures', 'Inga.']]) {
    await mgr.locator('#f-' + field).fill(text);
  }
  await submit(mgr, /^Spara uppföljningen$/);
  await expectFlash(mgr, /Uppföljningen är sparad/, 'follow-up');
  await check(mgr, 'Uppföljning sparad');

  // 9. The employee ends the agreement.
  await emp.goto(caseURL);
  await submit(emp, /^Avsluta överenskommelsen$/);
  await expectFlash(emp, /Överenskommelsen är avslutad/, 'end');
  await expectFlash(emp, /Avslutad av medarbetaren/, 'end reason');
  await check(emp, 'Avslutad');
  await visit(emp, '/agreements', 'Distansarbete, historik');
  await visit(emp, '/notifications', 'Notiser, medarbetare');
  await visit(mgr, '/notifications', 'Notiser, chef');
  if (await mgr.getByRole('button', { name: /^Markera alla som lästa$/ }).count()) {
    await submit(mgr, /^Markera alla som lästa$/);
    await check(mgr, 'Notiser, lästa');
  }
  await empCtx.close();
  await mgrCtx.close();
} catch (err) {
  fail(`${err.stack || err}`);
}
await finish();

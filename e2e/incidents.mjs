// Drives Debian's chromium through an incident from report to close and
// checks every page with axe-core for WCAG 2.1 AA violations: the employee
// reports a personal-data incident (a discovery in the future is refused
// first), the information-security coordinator triages it and marks the
// description secret, the manager sees it with "Sekretessmarkerat", the
// data protection officer assesses the risk, fills in the notification to
// IMY (the PDF downloads), adds a supplement and records the clocks, a
// close with an open measure is refused in Swedish, the measure is done
// and the incident closes; the employee sees it closed among their reports.
//
//   node incidents.mjs http://127.0.0.1:PORT
//
// Accounts come from the environment (DISTANS_EMPLOYEE_EMAIL,
// DISTANS_MANAGER_EMAIL, DISTANS_COORDINATOR_EMAIL, DISTANS_DPO_EMAIL,
// DISTANS_PASSWORD), which e2e/incidents_test.go sets from the demo
// organisations. Exit status 1 on any violation or failure.
import { start } from './lib.mjs';

const base = process.argv[2];
const employee = process.env.DISTANS_EMPLOYEE_EMAIL;
const manager = process.env.DISTANS_MANAGER_EMAIL;
const coordinator = process.env.DISTANS_COORDINATOR_EMAIL;
const dpo = process.env.DISTANS_DPO_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !employee || !manager || !coordinator || !dpo || !password) {
  console.error('usage: DISTANS_EMPLOYEE_EMAIL=… DISTANS_MANAGER_EMAIL=… DISTANS_COORDINATOR_EMAIL=… DISTANS_DPO_EMAIL=… DISTANS_PASSWORD=… node incidents.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, finish } = await start(base, password);

// local is an instant as the forms take it, in Stockholm: 2026-11-22 14:05.
const local = (offsetMinutes) => new Date(Date.now() + offsetMinutes * 60000)
  .toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', hour12: false }).slice(0, 16);
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

async function submit(page, form, name) {
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name }).click()]);
}

async function expectText(page, re, label) {
  const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  if (!re.test(text)) {
    const err = await page.locator('.error-summary, .flash.error').allInnerTexts();
    fail(`${label}: expected ${re} on ${page.url()}; errors: ${err.join(' | ') || '(none)'}`);
    return false;
  }
  return true;
}

// form is the form a heading names (aria-labelledby).
const form = (page, headingId) => page.locator(`form[aria-labelledby="${headingId}"]`);

try {
  const ctx = async () => (await browser.newContext({ locale: 'sv-SE', acceptDownloads: true })).newPage();
  const emp = await ctx();
  const sec = await ctx();
  const mgr = await ctx();
  const dp = await ctx();

  // 1. The employee reports: a discovery in the future first, refused.
  await signIn(emp, employee);
  await visit(emp, '/incidents', 'Incidenter, medarbetare');
  await Promise.all([emp.waitForURL(base + '/incidents/new'), emp.getByRole('link', { name: /^Rapportera incident$/ }).first().click()]);
  await check(emp, 'Rapportera incident');
  if (await emp.locator('details.guidance').count() !== 8) fail('the report form does not show guidance for the eight kinds');
  await emp.locator('#f-kind-personal_data').check();
  if (!(await emp.locator('details.guidance[data-kind="personal_data"]').evaluate((d) => d.open))) {
    fail('choosing the kind does not open its guidance');
  }
  await emp.locator('#f-title').fill('Mejl med elevuppgifter till fel mottagare');
  await emp.locator('#f-description').fill('Ett mejl med betyg för tolv elever gick till fel vårdnadshavare.');
  await emp.locator('#f-occurred-at').fill(local(-120));
  await emp.locator('#f-discovered-at').fill(local(24 * 60));
  await emp.locator('#f-systems').fill('E-post, betygsunderlag');
  await emp.getByRole('button', { name: /^Skicka rapporten$/ }).click();
  await emp.waitForLoadState();
  await expectText(emp, /Upptäcktstiden kan inte ligga i framtiden\./, 'future discovery refused');
  await check(emp, 'Rapportera incident, fel');
  await emp.locator('#f-discovered-at').fill(local(-60));
  await submit(emp, emp.locator('form[method="post"][action="/incidents"]'), /^Skicka rapporten$/);
  await expectText(emp, /Incidenten är rapporterad som INC \d{4}\/\d{4}/, 'report');
  const incURL = emp.url().replace(/[#?].*$/, '');
  const incPath = incURL.slice(base.length);
  if (!/^\/incidents\/[^/]+$/.test(incPath)) throw new Error(`the report did not open the incident: ${emp.url()}`);
  await check(emp, 'Incidenten, rapportören');

  // 2. The coordinator sees it in the queue with a countdown, and triages.
  await signIn(sec, coordinator);
  await visit(sec, '/incidents', 'Incidenter, samordnarens kö');
  await expectText(sec, /Mejl med elevuppgifter till fel mottagare/, 'queue lists the incident');
  await expectText(sec, /kvar|Passerad/, 'queue countdown in words');
  await visit(sec, incPath, 'Incidenten, samordnaren');
  await sec.locator('#f-severity').selectOption('high');
  await sec.locator('#f-secret-fields-description').check();
  await submit(sec, form(sec, 'triage-heading'), /^Spara bedömningen$/);
  await expectText(sec, /Bedömningen är sparad/, 'triage');
  await check(sec, 'Incidenten, bedömd');

  // 3. The manager sees the incident without the secret description.
  await signIn(mgr, manager);
  await visit(mgr, incPath, 'Incidenten, chefen');
  await expectText(mgr, /Sekretessmarkerat/, 'secret description withheld from the manager');
  if ((await mgr.locator('main').innerText()).includes('betyg för tolv elever')) fail('the manager sees the secret description');

  // 4. The DPO assesses the risk.
  await signIn(dp, dpo);
  await visit(dp, incPath, 'Incidenten, dataskyddsombudet');
  const risk = form(dp, 'risk-heading');
  await risk.locator('#f-data-categories-ordinary').check();
  await risk.locator('#f-data-categories-secrecy').check();
  await risk.locator('#f-data-subjects').fill('Elever i årskurs 9 och deras vårdnadshavare');
  await risk.locator('#f-subject-count').fill('12');
  await risk.locator('#f-record-count').fill('12');
  await risk.locator('#f-consequences-breach_of_secrecy').check();
  await risk.locator('#f-consequences-loss_of_control').check();
  await risk.locator('#f-risk-level-risk').check();
  await risk.locator('#f-reasoning').fill('Betyg är sekretessbelagda; mottagaren har bekräftat att mejlet raderats.');
  await submit(dp, risk, /^Spara riskbedömningen$/);
  await expectText(dp, /Riskbedömningen är sparad/, 'risk assessment');
  await check(dp, 'Incidenten, riskbedömd');

  // 5. The notification to IMY, and its PDF.
  const imy = form(dp, 'imy-heading');
  await imy.locator('#f-imy-org-number').fill('212000-2551');
  await imy.locator('#f-imy-contact').fill('Dataskyddsombudet, 0935-141 00, dataskyddsombud@bjurholm.example');
  await imy.locator('#f-imy-category-confidentiality').check();
  await imy.locator('#f-imy-data-subjects').fill('Elever och vårdnadshavare');
  await imy.locator('#f-imy-subject-count').fill('12');
  await imy.locator('#f-imy-data-kinds').fill('Namn och betyg');
  await imy.locator('#f-imy-consequences').fill('Röjd sekretess för betyg.');
  await imy.locator('#f-imy-measures').fill('Mottagaren har raderat mejlet; rutin för kontroll av mottagare.');
  await imy.locator('#f-imy-subjects-informed').fill('Nej, låg risk för de enskilda.');
  await imy.locator('#f-imy-secret-parts-data_subjects').check();
  await imy.locator('#f-imy-filed-at').fill(local(-5));
  await imy.locator('#f-imy-imy-reference').fill('IMY-2026-4711');
  await submit(dp, imy, /^Spara anmälan$/);
  await expectText(dp, /Anmälan till IMY är sparad/, 'IMY notification');
  await check(dp, 'Incidenten, anmäld till IMY');
  const pdf = await dp.context().request.get(incURL + '/imy/pdf');
  if (pdf.status() !== 200) fail(`IMY PDF: status ${pdf.status()}`);
  else if (!/application\/pdf/.test(pdf.headers()['content-type'] || '')) fail(`IMY PDF: content type ${pdf.headers()['content-type']}`);
  else if (!(await pdf.body()).subarray(0, 5).toString().startsWith('%PDF')) fail('IMY PDF: not a PDF');
  else console.log('ok   IMY notification PDF');

  // 6. A supplement to IMY.
  const sup = form(dp, 'supplements-heading');
  await sup.locator('#f-supplement-text').fill('Antalet berörda elever är tolv, inte fjorton.');
  await submit(dp, sup, /^Spara kompletteringen$/);
  await expectText(dp, /Kompletteringen är sparad/, 'supplement');
  await expectText(dp, /Antalet berörda elever är tolv/, 'supplement kept');
  await check(dp, 'Incidenten, komplettering');

  // 7. Every clock recorded: done with a reference, the data subjects not
  // informed with the documented reasons.
  for (let i = 0; i < 12; i++) {
    const forms = dp.locator('form[action$="/duties"]');
    if (await forms.count() === 0) break;
    const f = forms.first();
    const duty = await f.locator('input[name="duty"]').inputValue();
    if (duty === 'data_subjects') {
      await f.locator('input[type="radio"][value="not_required"]').check();
      await f.locator('textarea').fill('Låg risk för de registrerades rättigheter (art. 34.1); mejlet är raderat.');
    } else {
      await f.locator('input[type="radio"][value="done"]').check();
      await f.locator(`input[name="duty.${duty}.reference"]`).fill('IMY-2026-4711');
      await f.locator('textarea').fill('Registrerat i Distans.');
    }
    await submit(dp, f, /^Spara$/);
    if (!(await expectText(dp, /Tidsfristen är registrerad/, `duty ${duty}`))) break;
  }
  await check(dp, 'Incidenten, tidsfrister klara');

  // 8. A measure; closing with it open is refused in Swedish.
  const measure = form(sec, 'measures-heading');
  await sec.goto(incURL);
  await measure.locator('#f-measure-text').fill('Påminn personalen om att kontrollera mottagare före skick.');
  await measure.locator('#f-measure-due-on').fill(day(14));
  await submit(sec, measure, /^Lägg till åtgärden$/);
  await expectText(sec, /Åtgärden är tillagd/, 'measure');
  await check(sec, 'Incidenten, åtgärd');
  await submit(sec, form(sec, 'close-heading'), /^Avsluta incidenten$/);
  const refusal = (await sec.locator('.flash.error').allInnerTexts()).join(' ');
  if (!/åtgärd/i.test(refusal)) fail(`closing with an open measure: expected a Swedish refusal, got "${refusal}"`);
  else console.log(`ok   close refused: ${refusal.trim()}`);
  await check(sec, 'Incidenten, avslut nekat');
  await submit(sec, sec.locator('form[action$="/complete"]').first(), /^Markera som klar/);
  await expectText(sec, /Åtgärden är klar/, 'measure done');
  await submit(sec, form(sec, 'close-heading'), /^Avsluta incidenten$/);
  await expectText(sec, /Incidenten är avslutad/, 'close');
  await expectText(sec, /Avslutad/, 'closed state');
  await check(sec, 'Incidenten, avslutad');

  // 9. The employee sees it closed among their reports.
  await visit(emp, '/incidents', 'Incidenter, mina rapporter');
  await expectText(emp, /Mejl med elevuppgifter till fel mottagare Personuppgiftsincident Avslutad/, 'closed among my reports');
  await visit(emp, incPath, 'Incidenten, rapportören efteråt');
} catch (err) {
  fail(`journey: ${err.stack || err}`);
}
await finish();

// Drives Debian's chromium through one equipment journey and checks every
// page visited with axe-core for WCAG 2.1 AA violations: IT issues a
// computer and a phone to the employee, who accepts with their password
// again (the acceptance PDF is fetched and read back with pdftotext), then
// reports the phone lost; IT blocks the SIM, the employee attaches the
// police report, the incident the report opened links back to it, and the
// manager assesses negligence.
//
//   node equipment.mjs http://127.0.0.1:PORT
//
// Accounts come from the environment (DISTANS_EMPLOYEE_EMAIL,
// DISTANS_MANAGER_EMAIL, DISTANS_IT_EMAIL, DISTANS_PASSWORD), which
// e2e/equipment_test.go sets from Sorsele's demo accounts. Exit status 1 on
// any violation or failure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start } from './lib.mjs';

const base = process.argv[2];
const employee = process.env.DISTANS_EMPLOYEE_EMAIL;
const manager = process.env.DISTANS_MANAGER_EMAIL;
const itEmail = process.env.DISTANS_IT_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !employee || !manager || !itEmail || !password) {
  console.error('usage: DISTANS_EMPLOYEE_EMAIL=… DISTANS_MANAGER_EMAIL=… DISTANS_IT_EMAIL=… DISTANS_PASSWORD=… node equipment.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, finish } = await start(base, password);

const today = new Date().toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' }).slice(0, 10);

async function submit(page, form, name) {
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name }).click()]);
}

async function expectText(page, re, label) {
  const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  if (!re.test(text)) {
    const err = await page.locator('.error-summary, .flash.error').allInnerTexts();
    throw new Error(`${label}: expected ${re} on ${page.url()}; errors: ${err.join(' | ') || '(none)'}`);
  }
  console.log(`ok   ${label}`);
}

const form = (page, headingId) => page.locator(`form[aria-labelledby="${headingId}"]`);

try {
  const ctx = async () => (await browser.newContext({ locale: 'sv-SE' })).newPage();
  const it = await ctx();
  const emp = await ctx();
  const mgr = await ctx();

  // 1. IT issues a computer and a phone from stock to the employee.
  await signIn(it, itEmail);
  await visit(it, '/equipment', 'Utrustning, översikt');
  await visit(it, '/equipment/issue?q=' + encodeURIComponent(employee), 'Lämna ut, sök person');
  await Promise.all([it.waitForNavigation(), it.locator('a[href^="/equipment/issue?person="]').first().click()]);
  await check(it, 'Lämna ut, välj utrustning');
  await it.getByLabel(/ – Dator/).first().check();
  await it.getByLabel(/ – Mobiltelefon/).first().check();
  await submit(it, it.locator('form[action="/equipment/handovers"]'), /^Lämna ut$/);
  await expectText(it, /Utrustningen är utlämnad till .* och väntar på kvittens/, 'issue');
  await check(it, 'Utlämningen, IT');
  const handover = it.url().replace(/[#?].*$/, '');

  // 2. The employee reads the terms and accepts with the password again.
  await signIn(emp, employee);
  await visit(emp, '/equipment/mine', 'Min utrustning');
  await Promise.all([emp.waitForNavigation(), emp.getByRole('link', { name: /^Kvittera / }).first().click()]);
  await expectText(emp, /Villkor: Villkor för utlämnad IT- och mobil utrustning, version \d+/, 'terms and version shown');
  await check(emp, 'Kvittera utrustning');
  await emp.locator('#f-password').fill(password);
  await submit(emp, form(emp, 'accept-heading'), /^Skriv under och kvittera$/);
  await expectText(emp, /Utrustningen är kvitterad/, 'acceptance');
  await check(emp, 'Utlämningen, kvitterad');

  // The acceptance PDF, read back with pdftotext.
  const pdf = await emp.context().request.get(handover + '/pdf');
  if (pdf.status() !== 200) throw new Error(`acceptance PDF: status ${pdf.status()}`);
  const dir = mkdtempSync(join(tmpdir(), 'distans-equipment-'));
  writeFileSync(join(dir, 'kvittens.pdf'), await pdf.body());
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'kvittens.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const want of [/Villkor för utlämnad IT- och mobil utrustning/, /[Vv]ersion 1/, /Galaxy A55/, /ThinkPad/, /[0-9a-f]{64}/]) {
    if (!want.test(text)) fail(`acceptance PDF lacks ${want}: ${text.slice(0, 400)}`);
  }
  console.log('ok   acceptance PDF read back with pdftotext');

  // 3. The employee reports the phone lost.
  await visit(emp, '/equipment/losses/new', 'Anmäl förlust');
  await emp.locator('#f-kind-lost').check();
  await emp.getByLabel(/Galaxy A55 .* – Mobiltelefon/).check();
  await emp.locator('#f-place').fill('Bussen mellan Sorsele och Lycksele');
  await emp.locator('#f-outside-premises').check();
  await emp.locator('#f-description').fill('Telefonen låg kvar på sätet när jag klev av. Den var låst med pinkod.');
  await submit(emp, emp.locator('form[action="/equipment/losses"]'), /^Skicka anmälan$/);
  await expectText(emp, /Anmälan är registrerad som FÖR \d{4}\/\d{4}, och incident INC \d{4}\/\d{4} är öppnad/, 'loss report');
  await check(emp, 'Förlustärendet, medarbetaren');
  const loss = emp.url().replace(/[#?].*$/, '');

  // 4. IT blocks the SIM.
  await visit(it, loss.slice(base.length), 'Förlustärendet, IT');
  const block = form(it, 'step-block_sim-heading');
  await block.locator('#f-step-block-sim-evidence').fill('Telia ärende 2026-4471, nytt SIM beställt');
  await submit(it, block, /^Spara steget$/);
  await expectText(it, /Steget är registrerat/, 'SIM blocked');
  await check(it, 'Förlustärendet, SIM spärrat');

  // 5. The employee attaches the police report.
  await emp.goto(loss);
  const police = form(emp, 'step-police_report-heading');
  await police.locator('#f-step-police-report-evidence').fill('5000-K123456-26');
  await police.locator('#f-step-police-report-reported-on').fill(today);
  await police.locator('#f-step-police-report-attachment').setInputFiles({ name: 'polisanmalan.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
  await submit(emp, police, /^Spara steget$/);
  await expectText(emp, /Steget är registrerat.*5000-K123456-26/, 'police report attached');
  await check(emp, 'Förlustärendet, polisanmälan');

  // 6. The incident exists and links back to the loss report.
  await Promise.all([it.waitForNavigation(), it.goto(loss)]);
  await Promise.all([it.waitForNavigation(), it.getByRole('link', { name: /^Incidenten INC / }).click()]);
  await expectText(it, /Förlustanmälan/, 'incident links back');
  if (await it.locator(`a[href="${loss.slice(base.length)}"]`).count() === 0) fail('the incident has no link to the loss report');
  await check(it, 'Incidenten, IT');

  // 7. The manager assesses negligence.
  await signIn(mgr, manager);
  await visit(mgr, '/equipment/team', 'Mina medarbetares utrustning');
  await visit(mgr, loss.slice(base.length), 'Förlustärendet, chefen');
  const assess = form(mgr, 'assessment-heading');
  await assess.locator('#f-gross-negligence-no').check();
  await assess.locator('#f-reasons').fill('Telefonen glömdes i en stressad situation och var låst; inte grov vårdslöshet.');
  await submit(mgr, assess, /^Spara bedömningen$/);
  await expectText(mgr, /Bedömningen är sparad/, 'assessment');
  await check(mgr, 'Förlustärendet, bedömt');
} catch (err) {
  fail(`journey: ${err.stack || err}`);
}
await finish();

// Drives Debian's chromium through training and the first day and checks
// every page visited with axe-core for WCAG 2.1 AA violations: the
// manager's coverage of DISA in their unit, and a completion they record
// for someone there; the employee's Utbildning, a date in the future
// refused in Swedish, their own completion with a certificate; their
// first-day checklist, on which they tick their own task with a note; HR's
// overview of checklists and the import page.
//
//   node training.mjs http://127.0.0.1:PORT
//
// Accounts come from the environment (DISTANS_EMPLOYEE_EMAIL,
// DISTANS_MANAGER_EMAIL, DISTANS_HR_EMAIL, DISTANS_PASSWORD), the
// checklist and the employee's own task from DISTANS_CHECKLIST and
// DISTANS_TASK, which e2e/training_test.go sets. Exit status 1 on any
// violation or failure.
import { start } from './lib.mjs';

const base = process.argv[2];
const employee = process.env.DISTANS_EMPLOYEE_EMAIL;
const manager = process.env.DISTANS_MANAGER_EMAIL;
const hrEmail = process.env.DISTANS_HR_EMAIL;
const password = process.env.DISTANS_PASSWORD;
const checklist = process.env.DISTANS_CHECKLIST;
const task = process.env.DISTANS_TASK;
if (!base || !employee || !manager || !hrEmail || !password || !checklist || !task) {
  console.error('usage: DISTANS_EMPLOYEE_EMAIL=… DISTANS_MANAGER_EMAIL=… DISTANS_HR_EMAIL=… DISTANS_PASSWORD=… DISTANS_CHECKLIST=… DISTANS_TASK=… node training.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, finish } = await start(base, password);

const day = (offset) => {
  const d = new Date(Date.now() + offset * 86400000);
  return d.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' }).slice(0, 10);
};

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
  const mgr = await ctx();
  const emp = await ctx();
  const hr = await ctx();

  // 1. The manager's coverage of DISA: who in the unit is missing it.
  await signIn(mgr, manager);
  await visit(mgr, '/training', 'Utbildning, chefen');
  await visit(mgr, '/training/coverage?course=disa', 'Utbildning per enhet, chefen');
  await expectText(mgr, /HR-stöd.*Saknar utbildningen.*dagar sen/, 'coverage of the unit');
  const record = form(mgr, 'record-for-heading');
  const options = await record.locator('#f-person-id option').allInnerTexts();
  if (options.length < 2) throw new Error('no one to record for');
  await record.locator('#f-person-id').selectOption({ index: 1 });
  await record.locator('#f-completed-on').fill(day(0));
  await submit(mgr, record, /^Registrera$/);
  await expectText(mgr, /Utbildningen är registrerad/, 'the manager records a completion');
  await check(mgr, 'Utbildning per enhet, efter registrering');

  // 2. The employee's own completion: a date in the future refused first.
  await signIn(emp, employee);
  await visit(emp, '/training', 'Utbildning, medarbetaren');
  let own = form(emp, 'record-heading');
  await own.locator('#f-course-id').selectOption('disa');
  await own.locator('#f-completed-on').fill(day(2));
  await submit(emp, own, /^Registrera$/);
  await expectText(emp, /Datumet kan inte ligga i framtiden/, 'a completion in the future refused');
  await check(emp, 'Utbildning, fel datum');
  own = form(emp, 'record-heading');
  await own.locator('#f-completed-on').fill(day(0));
  await own.locator('#f-certificate').setInputFiles({ name: 'disa-intyg.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
  await submit(emp, own, /^Registrera$/);
  await expectText(emp, /Utbildningen är registrerad.*Genomförd/, 'the employee records DISA');
  await check(emp, 'Utbildning, genomförd');
  if (await emp.locator('a[href$="/certificate"]').count() === 0) fail('no link to the certificate');

  // 3. The first-day checklist: the employee ticks their own task.
  await visit(emp, '/checklists', 'Checklistor, medarbetaren');
  await visit(emp, checklist, 'Checklistan, medarbetaren');
  const tick = form(emp, `tick-${task}-heading`);
  await tick.locator(`#f-note-${task}`).fill('Gjort första dagen.');
  await submit(emp, tick, /^Markera som klar$/);
  await expectText(emp, /Uppgiften är markerad som klar.*Gjort första dagen/, 'the employee ticks their task');
  await check(emp, 'Checklistan, efter bocken');

  // 4. HR's overview and the import page.
  await signIn(hr, hrEmail);
  await visit(hr, '/checklists/overview', 'Checklistor i organisationen, HR');
  await visit(hr, '/training/coverage?course=disa', 'Utbildning per enhet, HR');
  await visit(hr, '/training/import', 'Importera genomförd utbildning, HR');
} catch (err) {
  fail(`journey: ${err.stack || err}`);
}
await finish();

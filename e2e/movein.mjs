// The first day of a municipality that moves in, in Debian's chromium with
// axe-core on every page: the installation's administrator sets a password
// from the link the console printed and creates the organisation with a
// pack copied from a template; its first administrator chooses a password
// from the invitation, imports the sample HR export (examples/) with the
// dry run first and confirms it; an imported person is invited, chooses a
// password from that link and is signed in as themselves.
//
//   DISTANS_OPERATOR_LINK=/drift/link/… DISTANS_IMPORT_DIR=…/examples node movein.mjs http://127.0.0.1:PORT
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { start } from './lib.mjs';

const base = process.argv[2];
const operatorLink = process.env.DISTANS_OPERATOR_LINK;
const dir = process.env.DISTANS_IMPORT_DIR;
if (!base || !operatorLink || !dir) {
  console.error('usage: DISTANS_OPERATOR_LINK=… DISTANS_IMPORT_DIR=… node movein.mjs BASE_URL');
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => join(dir, f));

const { browser, fail, check, visit, signOut, finish } = await start(base, '');

// choosePassword fills the form of an account link and waits for the
// start page: the person is signed in.
async function choosePassword(page, password, label) {
  await check(page, label);
  await page.getByLabel(/^Lösenord/).fill(password);
  await page.getByLabel(/^Upprepa lösenordet/).fill(password);
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: /^Välj lösenord$/ }).click()]);
  await page.waitForURL(base + '/', { timeout: 10000 }).catch(async () => {
    throw new Error(`${label}: still on ${page.url()}: ${await page.locator('main').innerText()}`);
  });
}

try {
  // The installation's administrator creates the organisation.
  const drift = await browser.newContext({ bypassCSP: true, locale: 'sv-SE' });
  const op = await drift.newPage();
  await visit(op, operatorLink, 'operator link');
  await op.getByLabel(/^Nytt lösenord$/).fill('ett långt lösenord för Dag');
  await op.getByLabel(/^Nytt lösenord igen$/).fill('ett långt lösenord för Dag');
  await Promise.all([op.waitForURL(base + '/drift'), op.getByRole('button', { name: /^Spara lösenordet/ }).click()]);
  await check(op, 'organisations');
  await visit(op, '/drift/organisations/new', 'new organisation');
  await op.getByLabel(/^Namn$/).fill('Exempelby kommun');
  await op.getByLabel(/^Kortnamn/).fill('exempelby');
  await op.getByLabel(/^Regelpaket att utgå från/).selectOption('kristianstad');
  await op.getByLabel(/^Administratörens e-postadress/).fill('admin@exempelby.se');
  await op.getByLabel(/^Administratörens namn/).fill('Ada Administratör');
  await Promise.all([op.waitForLoadState(), op.getByRole('button', { name: /^Skapa organisationen$/ }).click()]);
  await check(op, 'organisation created');
  const invitation = (await op.locator('.secret').textContent() || '').trim();
  if (!invitation.includes('/link/')) throw new Error(`no invitation link for the administrator (${invitation})`);
  await drift.close();

  // Its administrator chooses a password and imports the staff.
  const adminContext = await browser.newContext({ bypassCSP: true, locale: 'sv-SE' });
  const admin = await adminContext.newPage();
  await admin.goto(new URL(invitation, base).href);
  await choosePassword(admin, 'Solros-i-trädgården-2026', 'administrator: choose a password');
  await check(admin, 'administrator signed in');
  if ((await admin.getByText('Ada Administratör').count()) < 1) fail('administrator: not signed in as Ada Administratör');

  await visit(admin, '/imports', 'imports');
  await admin.locator('#f-files').setInputFiles(files);
  await Promise.all([admin.waitForURL(/\/imports\/[^/]+$/), admin.locator('form[action="/imports"] button[type=submit]').click()]);
  const importURL = admin.url();
  // The dry run: what would be created, and nothing saved yet.
  await admin.waitForSelector('form[action$="/confirm"]', { timeout: 60000 });
  await check(admin, 'dry run');
  const before = await admin.request.get(base + '/people?q=' + encodeURIComponent('Märta Öberg'));
  if ((await before.text()).includes('marta.oberg@exempelby.se')) fail('the dry run saved people');
  await Promise.all([admin.waitForURL(importURL), admin.locator('form[action$="/confirm"] button').click()]);
  await admin.waitForFunction(() => !document.querySelector('progress'), null, { timeout: 120000 });
  await admin.waitForLoadState('load');
  await check(admin, 'import done');

  // An imported person is invited.
  await admin.goto(base + '/people?q=' + encodeURIComponent('marta.oberg@exempelby.se'));
  await check(admin, 'people search');
  if ((await admin.locator('tbody a').count()) !== 1) throw new Error('the imported person is not found');
  await admin.locator('tbody a').first().click();
  await admin.waitForURL(/\/people\/[^/]+$/);
  await check(admin, 'imported person');
  await admin.getByRole('button', { name: /^Skicka inbjudan$/ }).click();
  await admin.waitForURL(/\/invitation$/);
  await check(admin, 'invitation to hand over');
  const personLink = await admin.getByLabel(/^Länk för att välja lösenord/).inputValue();
  if (!personLink.includes('/link/')) throw new Error(`no invitation link for the person (${personLink})`);
  await signOut(admin);
  await adminContext.close();

  // The person chooses a password from the link and is signed in.
  const personContext = await browser.newContext({ bypassCSP: true, locale: 'sv-SE' });
  const person = await personContext.newPage();
  await person.goto(new URL(personLink, base).href);
  await choosePassword(person, 'Blåbär-och-lingon-2026', 'person: choose a password');
  await check(person, 'person signed in');
  if ((await person.getByText('Märta Öberg').count()) < 1) fail('person: not signed in as Märta Öberg');
  await visit(person, '/profile', 'own profile');
  await personContext.close();
} catch (err) {
  fail(`move-in: ${err.stack || err}`);
}
await finish();

// Drives Debian's chromium through the Distans pages with playwright-core
// and checks every page with axe-core for WCAG 2.1 AA violations.
//
//   node browser.mjs http://127.0.0.1:PORT
//
// The accounts come from the environment (DISTANS_HR_EMAIL,
// DISTANS_ADMIN_EMAIL, DISTANS_REGISTRAR_EMAIL, DISTANS_PASSWORD), which e2e/browser_test.go sets
// from the demo organisations. Exit status 1 on any violation or failure.
import { start } from './lib.mjs';

const base = process.argv[2];
const hrEmail = process.env.DISTANS_HR_EMAIL;
const adminEmail = process.env.DISTANS_ADMIN_EMAIL;
const registrarEmail = process.env.DISTANS_REGISTRAR_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !hrEmail || !adminEmail || !registrarEmail || !password) {
  console.error('usage: DISTANS_HR_EMAIL=… DISTANS_ADMIN_EMAIL=… DISTANS_REGISTRAR_EMAIL=… DISTANS_PASSWORD=… node browser.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, signOut, finish } = await start(base, password);

try {
  const context = await browser.newContext({ bypassCSP: true, locale: 'sv-SE' });
  const page = await context.newPage();

  await visit(page, '/signin', 'sign-in page');
  // A failed sign-in shows the message in place.
  await page.getByLabel(/E-postadress/).fill(hrEmail);
  await page.getByLabel(/^Lösenord/).fill('wrong-password');
  await page.getByRole('button', { name: /^Logga in$/ }).click();
  await check(page, 'sign-in with a wrong password');

  // HR: start page, people, a person, units, sites, a form with errors.
  await signIn(page, hrEmail);
  await check(page, 'start page (HR)');
  await visit(page, '/people', 'people list');
  await page.locator('tbody a').first().click();
  await page.waitForURL(/\/people\/[^/]+$/);
  await check(page, 'person page');
  // One's own data: HR asks for the person's, then for their own.
  await Promise.all([page.waitForURL(/\/people\/[^/]+\/data$/), page.getByRole('link', { name: /Registerutdrag/ }).click()]);
  await check(page, "a person's data requests (HR)");
  await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/data"] button[type=submit]').click()]);
  await check(page, "a person's data, asked for");
  await visit(page, '/profile/data', 'my data (Mina uppgifter)');
  await Promise.all([page.waitForLoadState('load'), page.locator('form[action="/profile/data"] button[type=submit]').click()]);
  await check(page, 'my data, asked for');
  if ((await page.locator('a[href$="/download/pdf"]').count()) < 1) fail('no PDF to download after asking for my data');
  await visit(page, '/people/new', 'new person form');
  await page.getByRole('button', { name: /^Spara$/ }).click();
  await check(page, 'new person form with errors');
  await visit(page, '/units', 'units');
  await visit(page, '/sites', 'sites');
  await visit(page, '/no-such-page', 'not found page', 404);

  // The policy pack: the rules, a check tried once (and once with bad
  // input), the history, and HR's two editors.
  await visit(page, '/policy', 'policy (Regelverk)');
  await page.locator('details summary').first().click();
  await check(page, 'policy with a condition opened');
  await visit(page, '/policy/check', 'try a check');
  await Promise.all([page.waitForURL(/\/policy\/check$/), page.getByRole('button', { name: /^Kontrollera$/ }).click()]);
  if ((await page.getByRole('heading', { name: /^Resultat$/ }).count()) !== 1) {
    fail('try a check: no result shown');
  }
  await check(page, 'try a check, result');
  await page.getByLabel(/^Uppgifter i JSON/).fill('{"start": 5}');
  await page.getByRole('button', { name: /^Kontrollera$/ }).click();
  await check(page, 'try a check with bad input');
  await visit(page, '/policy/check?kind=incident', 'try a check, incident');
  await visit(page, '/policy/versions', 'policy versions');
  await visit(page, '/policy/versions/1', 'policy version 1');
  await visit(page, '/policy/parameters', 'policy parameters form');
  await page.getByRole('button', { name: /^Spara som ny version$/ }).click();
  await check(page, 'policy parameters form with errors');
  await visit(page, '/policy/edit', 'policy editor');

  // Documents: the list, one document, who has not acknowledged, and the
  // publish form.
  await visit(page, '/documents', 'documents');
  await page.locator('tbody a').first().click();
  await page.waitForURL(/\/documents\/[^/]+$/);
  await check(page, 'a document');
  await visit(page, '/documents/outstanding', 'documents not acknowledged');
  await visit(page, '/documents/new', 'new document form');
  await page.getByRole('button', { name: /^Publicera$/ }).click();
  await check(page, 'new document form with errors');
  await signOut(page);
  await check(page, 'signed out');

  // The registrator: the register (Diarium), searched, and with a bad date.
  await signIn(page, registrarEmail);
  await visit(page, '/records/register', 'register (Diarium)');
  await visit(page, '/records/register?kind=incident&q=INC', 'register searched');
  await visit(page, '/records/register?from=2026-13-40', 'register with a bad date', 422);
  // Disposal (Gallring): the plan, then disposal now and the log.
  await visit(page, '/records/disposal', 'disposal plan (Gallring)');
  await page.getByRole('button', { name: /^Gallra nu$/ }).click();
  await page.waitForURL(/\/records\/disposal$/);
  await check(page, 'disposal done, with the log');
  // Begäran om allmän handling: the review of an agreement from the
  // register, a form with an error, the decision with maskings, the list.
  await visit(page, '/records/register?kind=agreement', 'register, agreements');
  await Promise.all([page.waitForURL(/\/records\/releases\/new\?/), page.locator('a[href^="/records/releases/new?"]').first().click()]);
  await check(page, 'secrecy review of a request');
  await page.getByLabel(/^Begäran kom in/).fill('2999-01-01');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /^Fatta beslut$/ }).click()]);
  await check(page, 'secrecy review with errors');
  await page.getByLabel(/^Begäran kom in/).fill('2026-01-05');
  await Promise.all([page.waitForURL(/\/records\/releases\/[^/?]+$/), page.getByRole('button', { name: /^Fatta beslut$/ }).click()]);
  await check(page, 'release decision');
  if ((await page.locator('a[href$="/copy.pdf"]').count()) !== 1) fail('release decision: no masked copy to download');
  await visit(page, '/records/releases', 'release decisions');
  await signOut(page);

  // Administrator: audit trail, unit form, profile; then English once.
  await signIn(page, adminEmail);
  await visit(page, '/audit', 'audit trail');
  await visit(page, '/audit/signins', 'sign-in log');
  if ((await page.locator('tbody tr').count()) < 1) fail('sign-in log: the administrator\'s own sign-in is not in it');
  await visit(page, '/units/new', 'new unit form');
  await page.getByRole('button', { name: /^Spara$/ }).click();
  await check(page, 'new unit form with errors');
  await visit(page, '/sites/new', 'new site form');
  await visit(page, '/scim-settings', 'SCIM provisioning');
  await page.getByLabel('Namn på nyckeln').fill('Entra ID');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Skapa nyckel' }).click()]);
  await check(page, 'SCIM provisioning with a new token shown once');
  await visit(page, '/profile', 'profile');
  await Promise.all([page.waitForURL(/\/profile$/), page.getByRole('button', { name: 'English' }).click()]);
  if ((await page.getAttribute('html', 'lang')) !== 'en') {
    fail('language switch: the page is not in English');
  }
  await check(page, 'profile in English');
  await visit(page, '/', 'start page in English');
  await signOut(page);
  await check(page, 'signed out in English');
} catch (err) {
  fail(`${err.stack || err}`);
}
await finish();

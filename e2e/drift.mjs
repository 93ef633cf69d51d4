// Drives the installation's pages (/drift) through Debian's chromium with
// axe-core on each: the first operator sets a password from the one-time
// link the console printed (a relative URL: the test server has no base
// URL), sees the organisations, creates one with the form, hands over the
// invitation, and suspends and resumes it.
//
//   DISTANS_OPERATOR_LINK=/drift/link/… node drift.mjs http://127.0.0.1:PORT
import { start } from './lib.mjs';

const base = process.argv[2];
const link = process.env.DISTANS_OPERATOR_LINK;
if (!base || !link) {
  console.error('usage: DISTANS_OPERATOR_LINK=… node drift.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, finish } = await start(base, '');

try {
  const context = await browser.newContext({ bypassCSP: true, locale: 'sv-SE', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();

  await visit(page, '/drift/signin', 'operator sign-in');
  await visit(page, link, 'operator link');
  await page.getByLabel(/^Nytt lösenord$/).fill('ett långt drift-lösenord');
  await page.getByLabel(/^Nytt lösenord igen$/).fill('ett långt drift-lösenord');
  await Promise.all([page.waitForURL(base + '/drift'), page.getByRole('button', { name: /^Spara lösenordet/ }).click()]);
  await check(page, 'organisations');
  if ((await page.getByRole('row', { name: /Vara kommun/ }).count()) !== 1) fail('organisations: Vara kommun is not listed');

  await visit(page, '/drift/organisations/new', 'new organisation');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: /^Skapa organisationen$/ }).click()]);
  await check(page, 'new organisation with errors');
  await page.getByLabel(/^Namn$/).fill('Nyköpings kommun');
  await page.getByLabel(/^Kortnamn/).fill('nykoping');
  await page.getByLabel(/^Regelpaket att utgå från/).selectOption('kristianstad');
  await page.getByLabel(/^Administratörens e-postadress/).fill('anna@nykoping.se');
  await page.getByLabel(/^Administratörens namn/).fill('Anna Admin');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: /^Skapa organisationen$/ }).click()]);
  await check(page, 'organisation created');
  if ((await page.locator('.secret').count()) !== 1) fail('organisation created: no invitation link to hand over');

  await page.getByRole('link', { name: /^Till organisationen$/ }).click();
  await check(page, 'organisation');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: /^Stäng av organisationen$/ }).click()]);
  await check(page, 'organisation suspended');
  if ((await page.getByRole('status').filter({ hasText: /avstängd/ }).count()) !== 1) fail('suspended: no message');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: /^Öppna organisationen igen$/ }).click()]);
  await check(page, 'organisation resumed');

  // In English too.
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: /^English$/ }).click()]);
  await check(page, 'organisation (English)');
  await visit(page, '/drift', 'organisations (English)');
  await Promise.all([page.waitForURL(/\/drift\/signin$/), page.getByRole('button', { name: /^Sign out$/ }).click()]);
  await check(page, 'signed out');
} catch (err) {
  fail(`drift: ${err.stack || err}`);
}
await finish();

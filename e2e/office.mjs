// Drives Debian's chromium through the hybrid-office pages with
// playwright-core and checks every page with axe-core for WCAG 2.1 AA
// violations (the same tags as browser.mjs).
//
//   node office.mjs http://127.0.0.1:PORT
//
// The accounts come from the environment (DISTANS_ADMIN_EMAIL,
// DISTANS_EMPLOYEE_EMAIL, DISTANS_MANAGER_EMAIL, DISTANS_PASSWORD), which e2e/office_test.go sets
// from the demo organisations. When the first site has no desks yet the
// administrator adds a zone and a desk through the pages. Exit status 1 on
// any violation or failure.
import { start } from './lib.mjs';

const base = process.argv[2];
const adminEmail = process.env.DISTANS_ADMIN_EMAIL;
const employeeEmail = process.env.DISTANS_EMPLOYEE_EMAIL;
const managerEmail = process.env.DISTANS_MANAGER_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !adminEmail || !employeeEmail || !managerEmail || !password) {
  console.error('usage: DISTANS_ADMIN_EMAIL=… DISTANS_EMPLOYEE_EMAIL=… DISTANS_MANAGER_EMAIL=… DISTANS_PASSWORD=… node office.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, signOut, finish } = await start(base, password);

// tomorrow in Sweden, as YYYY-MM-DD.
function tomorrow() {
  const d = new Date(Date.now() + 24 * 3600 * 1000);
  return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

try {
  const context = await browser.newContext({ bypassCSP: true, locale: 'sv-SE' });
  const page = await context.newPage();

  // The administrator: the sites, and a zone and desk where there are none.
  await signIn(page, adminEmail);
  await visit(page, '/office', 'office: sites today');
  const siteHref = await page.locator('tbody th a').first().getAttribute('href');
  const siteID = siteHref.match(/\/office\/sites\/([^?]+)/)[1];
  await visit(page, `/office/sites/${siteID}/zones`, 'office admin: zones, desks, rules');
  if ((await page.locator('form[action$="/desks"]').count()) === 0) {
    await page.getByLabel(/^Zonens namn/).fill('Plan 1');
    await Promise.all([page.waitForURL(/\/zones$/), page.getByRole('button', { name: /^Lägg till zonen$/ }).click()]);
    await check(page, 'office admin: zone added');
  }
  // A form with errors, then a desk.
  await page.getByLabel(/^Platsens beteckning/).fill('');
  await page.getByRole('button', { name: /^Lägg till platsen$/ }).click();
  await check(page, 'office admin: desk form with errors');
  await page.getByLabel(/^Platsens beteckning/).fill('E2E-1');
  await page.getByLabel(/^Antal skärmar/).fill('2');
  await page.getByLabel(/^tyst zon/).check();
  await Promise.all([page.waitForURL(/\/zones$/), page.getByRole('button', { name: /^Lägg till platsen$/ }).click()]);
  await check(page, 'office admin: desk added');
  await page.locator('a[href^="/office/desks/"]').first().click();
  await page.waitForURL(/\/office\/desks\/[^/]+\/edit$/);
  await check(page, 'office admin: edit a desk');

  // Availability and a booking.
  const day = tomorrow();
  await visit(page, `/office/sites/${siteID}?date=${day}`, 'office: a site\'s desks');
  await Promise.all([page.waitForURL(/\/office\/sites\//), page.getByRole('button', { name: /^Boka heldag/ }).first().click()]);
  // The demo may already have booked the administrator a desk that day:
  // then the refusal is the message. Either way one is shown.
  if ((await page.locator('.flash').count()) === 0) fail('booking: no message shown');
  await check(page, 'office: after booking');
  await visit(page, '/bookings', 'my bookings');
  await visit(page, '/bookings/recurring', 'recurring booking form');
  await page.getByRole('button', { name: /^Boka$/ }).click();
  await check(page, 'recurring booking form with errors');
  await visit(page, '/team-days', 'team days');
  await visit(page, `/office/utilisation`, 'utilisation');
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  await visit(page, `/office/utilisation?from=${today}&to=${day}`, 'utilisation with a booking');
  if ((await page.locator('svg[role="img"] g title').count()) === 0) fail('utilisation: no heat-map cells');
  await visit(page, `/office/utilisation?from=nej&to=${day}`, 'utilisation with a bad date', 422);
  await signOut(page);

  // A manager: the team-day form, with errors and saved; and a recurring
  // booking whose result lists every date.
  await signIn(page, managerEmail);
  await visit(page, '/team-days', 'team days (manager)');
  await page.getByRole('button', { name: /^Spara$/ }).click();
  await check(page, 'team day form with errors');
  await page.getByLabel(/^Datum/).fill(day);
  await Promise.all([page.waitForURL(/\/team-days$/), page.getByRole('button', { name: /^Spara$/ }).click()]);
  await check(page, 'team day saved');
  await visit(page, '/bookings/recurring', 'recurring booking form (manager)');
  await page.getByLabel(/^Plats/).selectOption({ index: 1 });
  for (const d of ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag']) {
    await page.getByLabel(d, { exact: true }).check();
  }
  await page.getByLabel(/^Från och med/).fill(day);
  await page.getByLabel(/^Till och med/).fill(day);
  await page.getByRole('button', { name: /^Boka$/ }).click();
  if ((await page.getByText(/gick inte att boka/).count()) === 0) fail('recurring: no result shown');
  await check(page, 'recurring booking result');
  await signOut(page);

  // An employee: the pages everyone sees, and a manager's form they do not.
  await signIn(page, employeeEmail);
  await visit(page, '/office', 'office (employee)');
  await visit(page, `/office/sites/${siteID}?date=${day}`, 'a site\'s desks (employee)');
  await visit(page, '/bookings', 'my bookings (employee)');
  await visit(page, '/team-days', 'team days (employee)');
  await visit(page, '/office/utilisation', 'utilisation refused (employee)', 403);
  await signOut(page);
  await context.close();
} catch (err) {
  fail(`the script stopped: ${err.stack || err}`);
}
await finish();

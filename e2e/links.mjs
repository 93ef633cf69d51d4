// Invitations and password reset in the browser, every page checked with
// axe-core: HR invites the employee from the person page and gets the link
// to hand over; signed out, the employee asks for a reset link (the answer
// page), opens the invitation, is refused a mismatched password, chooses
// one and lands signed in; the used link then says so.
//
//   DISTANS_HR_EMAIL=… DISTANS_EMPLOYEE_EMAIL=… DISTANS_PASSWORD=… node links.mjs BASE_URL
import { start } from './lib.mjs';

const base = process.argv[2];
const hrEmail = process.env.DISTANS_HR_EMAIL;
const employeeEmail = process.env.DISTANS_EMPLOYEE_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !hrEmail || !employeeEmail || !password) {
  console.error('usage: DISTANS_HR_EMAIL=… DISTANS_EMPLOYEE_EMAIL=… DISTANS_PASSWORD=… node links.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, signOut, finish } = await start(base, password);

try {
  const hrContext = await browser.newContext({ bypassCSP: true, locale: 'sv-SE' });
  const hr = await hrContext.newPage();
  await signIn(hr, hrEmail);
  await hr.goto(base + '/people?q=' + encodeURIComponent(employeeEmail));
  await hr.locator('tbody a').first().click();
  await hr.waitForURL(/\/people\/[^/]+$/);
  await check(hr, 'person page with the invitation button');
  await hr.getByRole('button', { name: /^Skicka inbjudan$/ }).click();
  await hr.waitForURL(/\/invitation$/);
  await check(hr, 'invitation to hand over');
  const link = await hr.getByLabel(/^Länk för att välja lösenord/).inputValue();
  if (!link.includes('/link/')) fail(`invitation: no link on the page (${link})`);
  await signOut(hr);
  await hrContext.close();

  const context = await browser.newContext({ bypassCSP: true, locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + '/signin');
  await Promise.all([page.waitForURL(/\/password\/forgot$/), page.getByRole('link', { name: /^Glömt lösenordet\?$/ }).click()]);
  await check(page, 'forgot password form');
  await page.getByRole('button', { name: /^Skicka länk$/ }).click();
  await check(page, 'forgot password form with errors');
  await page.getByLabel(/^E-postadress/).fill(employeeEmail);
  await page.getByRole('button', { name: /^Skicka länk$/ }).click();
  if ((await page.getByText(/Om adressen finns hos oss/).count()) !== 1) fail('forgot password: no answer shown');
  await check(page, 'forgot password, answered');

  const res = await page.goto(link);
  if (res.headers()['referrer-policy'] !== 'no-referrer') fail('link page: Referrer-Policy is not no-referrer');
  await check(page, 'choose a password');
  await page.getByLabel(/^Lösenord/).fill('ett-nytt-långt-lösenord-2026');
  await page.getByLabel(/^Upprepa lösenordet/).fill('ett-annat-långt-lösenord');
  await page.getByRole('button', { name: /^Välj lösenord$/ }).click();
  await check(page, 'choose a password, mismatched');
  await page.getByLabel(/^Lösenord/).fill('ett-nytt-långt-lösenord-2026');
  await page.getByLabel(/^Upprepa lösenordet/).fill('ett-nytt-långt-lösenord-2026');
  await Promise.all([page.waitForURL(base + '/'), page.getByRole('button', { name: /^Välj lösenord$/ }).click()]);
  await check(page, 'signed in after choosing a password');
  await signOut(page);
  await visit(page, new URL(link).pathname, 'a used link', 404);
} catch (err) {
  fail(`${err.stack || err}`);
}
await finish();

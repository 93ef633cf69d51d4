// Drives Debian's chromium through the presence pages (Min dag, the
// directory, phone hours, on-call phones, keywords) and checks each with
// axe-core for WCAG 2.1 AA violations, a refused form included.
//
//   node presence.mjs http://127.0.0.1:PORT
//
// Accounts come from the environment (DISTANS_EMPLOYEE_EMAIL,
// DISTANS_SWITCHBOARD_EMAIL, DISTANS_PASSWORD), which e2e/presence_test.go
// sets from the demo organisations. Exit status 1 on any violation or failure.
import { start } from './lib.mjs';

const base = process.argv[2];
const employee = process.env.DISTANS_EMPLOYEE_EMAIL;
const switchboard = process.env.DISTANS_SWITCHBOARD_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !employee || !switchboard || !password) {
  console.error('usage: DISTANS_EMPLOYEE_EMAIL=… DISTANS_SWITCHBOARD_EMAIL=… DISTANS_PASSWORD=… node presence.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, signOut, finish } = await start(base, password);

try {
  const context = await browser.newContext();
  const page = await context.newPage();

  await signIn(page, employee);
  await visit(page, '/status', 'Min dag');
  // A redirect to a private phone: refused, with the clause beside the field.
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  await page.getByLabel(/^(Hänvisningstext|Redirection text)/).fill('I möte');
  await page.locator('#f-until-date').fill(tomorrow);
  await page.locator('#f-until-time').fill('13:00');
  await page.getByLabel(/^(Samtalen går till|Calls go to)/).selectOption('private');
  await Promise.all([page.waitForURL(base + '/status/redirect'),
    page.getByRole('button', { name: /^(Spara hänvisning|Save redirection)$/ }).click()]);
  if (!/4\. När du inte kan vara tillgänglig/.test(await page.content())) {
    fail('the refused redirect does not cite Sorsele 004 §4');
  }
  await check(page, 'Min dag, refused redirect');
  await visit(page, '/directory?q=a', 'Telefonkatalog');
  await visit(page, '/phone-hours', 'Telefontider');
  await visit(page, '/on-call', 'Jourtelefoner');
  await visit(page, '/profile/keywords', 'Mina sökord');
  await context.close();

  const vx = await browser.newContext();
  const vxPage = await vx.newPage();
  await signIn(vxPage, switchboard);
  await visit(vxPage, '/directory?q=a', 'Telefonkatalog, växeln');
  await vx.close();
} catch (err) {
  fail(`${err.stack || err}`);
}
await finish();

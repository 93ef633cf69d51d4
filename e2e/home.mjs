// Drives the sign-in page and the start page of the employee, the manager
// and the switchboard through Debian's chromium, on a desktop and on a
// 375 px wide phone: axe-core finds no WCAG 2.1 AA violation (the same tags
// as browser.mjs), each role finds the sections it needs and not another
// role's, and no page is wider than the phone (a wide table scrolls by
// itself and is still a table).
//
//   node home.mjs http://127.0.0.1:PORT
//
// The accounts come from the environment (DISTANS_EMPLOYEE_EMAIL,
// DISTANS_MANAGER_EMAIL, DISTANS_SWITCHBOARD_EMAIL, DISTANS_PASSWORD),
// which e2e/home_test.go sets from the demo organisations. Exit status 1 on
// any violation or failure.
import { start } from './lib.mjs';

const base = process.argv[2];
const employeeEmail = process.env.DISTANS_EMPLOYEE_EMAIL;
const managerEmail = process.env.DISTANS_MANAGER_EMAIL;
const switchboardEmail = process.env.DISTANS_SWITCHBOARD_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !employeeEmail || !managerEmail || !switchboardEmail || !password) {
  console.error('usage: DISTANS_EMPLOYEE_EMAIL=… DISTANS_MANAGER_EMAIL=… DISTANS_SWITCHBOARD_EMAIL=… DISTANS_PASSWORD=… node home.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, signOut, finish } = await start(base, password);

// The start page's sections by their headings, and which role has them.
const sections = {
  today: /^I dag \(/,
  agreement: /^Mitt distansarbete$/,
  bookings: /^Mina bokningar$/,
  queue: /^Att göra \(/,
  search: /^Sök person$/,
};
const roles = [
  { name: 'employee', email: employeeEmail, has: ['today', 'agreement', 'bookings'], hasNot: ['queue', 'search'],
    more: ['/status', '/bookings'] },
  { name: 'manager', email: managerEmail, has: ['today', 'agreement', 'bookings', 'queue'], hasNot: ['search'],
    more: ['/agreements'] },
  { name: 'switchboard', email: switchboardEmail, has: ['search', 'today'], hasNot: ['queue'],
    more: ['/directory?q=a'] },
];

// fits fails when the page is wider than the viewport.
async function fits(page, width, label) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scroll > width) fail(`${label}: the page is ${scroll} px wide on a ${width} px screen`);
}

try {
  for (const [width, device] of [[1280, 'desktop'], [375, 'phone']]) {
    const context = await browser.newContext({ bypassCSP: true, locale: 'sv-SE', viewport: { width, height: 800 } });
    const page = await context.newPage();

    await visit(page, '/signin', `sign-in (${device})`);
    await fits(page, width, `sign-in (${device})`);
    if ((await page.getByText(/^Distans är kommunens system/).count()) !== 1) fail(`sign-in (${device}): it does not say what Distans is`);
    if ((await page.getByRole('heading', { name: /^Demokonton$/ }).count()) !== 1) fail(`sign-in (${device}): no demo accounts`);
    await page.locator('details summary').click();
    await check(page, `sign-in with the demo accounts open (${device})`);
    await fits(page, width, `sign-in with the demo accounts open (${device})`);

    for (const role of roles) {
      const label = `start page, ${role.name} (${device})`;
      await signIn(page, role.email);
      await check(page, label);
      await fits(page, width, label);
      for (const s of role.has) {
        if ((await page.getByRole('heading', { name: sections[s] }).count()) !== 1) fail(`${label}: no section ${s}`);
      }
      for (const s of role.hasNot) {
        if ((await page.getByRole('heading', { name: sections[s] }).count()) !== 0) fail(`${label}: shows the section ${s}`);
      }
      if (role.name === 'switchboard' && (await page.getByRole('searchbox', { name: /^Sök på namn/ }).count()) !== 1) {
        fail(`${label}: no directory search box`);
      }
      for (const path of role.more) {
        await visit(page, path, `${path}, ${role.name} (${device})`);
        await fits(page, width, `${path}, ${role.name} (${device})`);
        // Scrolling by itself keeps a table a table for assistive technology.
        const tables = await page.locator('main table').count();
        if (tables > 0 && (await page.getByRole('table').count()) !== tables) {
          fail(`${path}, ${role.name} (${device}): a table lost its table role`);
        }
      }
      await signOut(page);
    }
    await context.close();
  }
} catch (err) {
  fail(`${err.stack || err}`);
}
await finish();

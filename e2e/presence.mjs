// Drives Debian's chromium through the presence pages (Min dag, the
// directory, phone hours, on-call phones, keywords) and checks each with
// axe-core for WCAG 2.1 AA violations, a refused form included.
//
//   node presence.mjs http://127.0.0.1:PORT
//
// Accounts come from the environment (DISTANS_EMPLOYEE_EMAIL,
// DISTANS_SWITCHBOARD_EMAIL, DISTANS_PASSWORD), which e2e/presence_test.go
// sets from the demo organisations. Exit status 1 on any violation or failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const base = process.argv[2];
const employee = process.env.DISTANS_EMPLOYEE_EMAIL;
const switchboard = process.env.DISTANS_SWITCHBOARD_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !employee || !switchboard || !password) {
  console.error('usage: DISTANS_EMPLOYEE_EMAIL=… DISTANS_SWITCHBOARD_EMAIL=… DISTANS_PASSWORD=… node presence.mjs BASE_URL');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});

let failures = 0;

async function check(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const h1 = await page.locator('h1').count();
  if (h1 !== 1) {
    failures++;
    console.log(`FAIL ${label}: ${h1} h1 elements`);
  }
  if (result.violations.length === 0) {
    console.log(`ok   ${label} (${page.url()})`);
    return;
  }
  failures++;
  console.log(`FAIL ${label} (${page.url()}): ${result.violations.length} violation(s)`);
  for (const v of result.violations) {
    console.log(`  - ${v.id} [${v.impact}] ${v.help}`);
    for (const n of v.nodes.slice(0, 5)) {
      console.log(`      ${n.target.join(' ')}: ${n.failureSummary.replaceAll('\n', ' ')}`);
    }
  }
}

async function visit(page, path, label, status = 200) {
  const res = await page.goto(base + path);
  if (res.status() !== status) {
    failures++;
    console.log(`FAIL ${label}: ${path} answered ${res.status()}, want ${status}`);
  }
  await check(page, label);
}

async function signIn(page, email) {
  await page.goto(base + '/signin');
  await page.getByLabel(/E-postadress|E-mail address/).fill(email);
  await page.getByLabel(/^Lösenord|^Password/).fill(password);
  await Promise.all([page.waitForURL(base + '/'), page.getByRole('button', { name: /^(Logga in|Sign in)$/ }).click()]);
}

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
    failures++;
    console.log('FAIL the refused redirect does not cite Sorsele 004 §4');
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
  failures++;
  console.log(`FAIL ${err.stack || err}`);
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'presence pages: no failures' : `presence pages: ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);

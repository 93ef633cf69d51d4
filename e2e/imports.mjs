// Drives an import through Debian's chromium as the administrator: the
// upload form, the import page while it is checked, the dry run's result,
// the confirmation and the result, with axe-core on each. With JavaScript
// the progress bar follows the import without reloading the page; without
// it, the page of a running import reloads itself.
//
//   node imports.mjs http://127.0.0.1:PORT
//
// DISTANS_ADMIN_EMAIL, DISTANS_PASSWORD and DISTANS_IMPORT_DIR (an HR
// export's CSV files) come from e2e/imports_test.go. Exit status 1 on any violation
// or failure.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { start } from './lib.mjs';

const base = process.argv[2];
const adminEmail = process.env.DISTANS_ADMIN_EMAIL;
const password = process.env.DISTANS_PASSWORD;
const dir = process.env.DISTANS_IMPORT_DIR;
if (!base || !adminEmail || !password || !dir) {
  console.error('usage: DISTANS_ADMIN_EMAIL=… DISTANS_PASSWORD=… DISTANS_IMPORT_DIR=… node imports.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, checkReloading, visit, signIn, finish } = await start(base, password);
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => join(dir, f));

const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
await signIn(page, adminEmail);
await visit(page, '/imports', 'imports');
await page.locator('#f-files').setInputFiles(files);
await Promise.all([page.waitForURL(/\/imports\/[^/]+$/), page.locator('form[action="/imports"] button[type=submit]').click()]);
const url = page.url();
if (await page.locator('progress').count()) {
  // The page reloads itself when the check is done, maybe during axe's run.
  await checkReloading(page, 'import being checked');
}
// The page reloads once, by itself, when the check is done.
await page.waitForSelector('form[action$="/confirm"]', { timeout: 60000 });
await check(page, 'import checked');
if ((await page.locator('table caption').count()) < 1) fail('the checked import shows no counts');

await Promise.all([page.waitForURL(url), page.locator('form[action$="/confirm"] button').click()]);
let loads = 0;
page.on('load', () => loads++);
// Done when the page no longer shows a progress bar (the counts show
// while it waits too).
await page.waitForFunction(() => !document.querySelector('progress'), null, { timeout: 120000 });
await page.waitForLoadState('load');
if (await page.locator('form[action$="/confirm"]').count()) fail('a done import offers the confirmation');
await check(page, 'import done');
// It reloads once for each change of status (queued, applying, done).
if (loads > 3) fail(`the page of a running import reloaded ${loads} times with JavaScript on`);

// Between changes of status the bar follows the API without reloading.
// An import of the sample size is over too soon to watch, so the API's
// answers are played here: two while it is applied, then done.
let polls = 0;
await page.route('**/api/v1/imports/watched', (route) => {
  polls++;
  const status = polls < 3 ? 'applying' : 'done';
  route.fulfill({ contentType: 'application/json', body: JSON.stringify({ id: 'watched', status, rows: 2000, done: polls * 500 }) });
});
await page.evaluate(() => {
  document.querySelector('main').insertAdjacentHTML('beforeend',
    '<progress data-import="watched" data-status="applying" data-text="{done} / {total} ({percent} %)" aria-describedby="watched-text" max="2000" value="0"></progress><span id="watched-text"></span>');
  // eslint-disable-next-line no-undef
  followImport();
});
await page.waitForFunction(() => document.querySelector('progress[data-import="watched"]')?.value === 1000, null, { timeout: 10000 })
  .catch(() => fail('the progress bar did not follow the API'));
const shown = await page.locator('#watched-text').textContent().catch(() => '');
if (!/1.000 \/ 2.000 \(50 %\)/.test(shown)) fail(`the progress text says ${JSON.stringify(shown)}`);
await page.waitForEvent('load', { timeout: 10000 }).catch(() => fail('the page did not reload when the import was done'));

// Without JavaScript, the page of a running import carries the refresh.
const plain = await browser.newContext({ javaScriptEnabled: false });
const p2 = await plain.newPage();
await signIn(p2, adminEmail);
await p2.goto(base + '/imports');
await p2.locator('#f-files').setInputFiles(files);
await Promise.all([p2.waitForURL(/\/imports\/[^/]+$/), p2.locator('form[action="/imports"] button[type=submit]').click()]);
const refresh = await p2.locator('meta[http-equiv="refresh"]').count();
const confirm = await p2.locator('form[action$="/confirm"]').count();
if (refresh === 0 && confirm === 0) fail('without JavaScript, the page of a running import does not refresh itself');
await p2.waitForSelector('form[action$="/confirm"]', { timeout: 60000 });
console.log('without JavaScript the page reached the checked import by refreshing');

if (errors.length) fail(`script errors: ${errors.join('; ')}`);
await finish();

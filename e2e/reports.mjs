// Drives Debian's chromium through Rapporter and checks every page
// visited with axe-core for WCAG 2.1 AA violations: HR opens the list and
// the remote-work report (charts as SVG images beside their tables),
// drills into a unit, downloads the report as XLSX and PDF and subscribes
// to it by e-mail; the union representative sees the suppressed view,
// with "–" in place of small counts and no records to download.
//
//   node reports.mjs http://127.0.0.1:PORT
//
// Accounts come from the environment (DISTANS_HR_EMAIL,
// DISTANS_UNION_EMAIL, DISTANS_PASSWORD), which e2e/reports_test.go sets.
// Exit status 1 on any violation or failure.
import { start } from './lib.mjs';

const base = process.argv[2];
const hrEmail = process.env.DISTANS_HR_EMAIL;
const unionEmail = process.env.DISTANS_UNION_EMAIL;
const password = process.env.DISTANS_PASSWORD;
if (!base || !hrEmail || !unionEmail || !password) {
  console.error('usage: DISTANS_HR_EMAIL=… DISTANS_UNION_EMAIL=… DISTANS_PASSWORD=… node reports.mjs BASE_URL');
  process.exit(2);
}

const { browser, fail, check, visit, signIn, finish } = await start(base, password);

async function download(page, name, magic) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const stream = await dl.createReadStream();
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  const head = Buffer.concat(chunks).subarray(0, magic.length).toString('latin1');
  if (head !== magic) fail(`${name}: the download starts ${JSON.stringify(head)}, want ${magic}`);
  else console.log(`ok   download ${dl.suggestedFilename()}`);
}

try {
  const ctx = async () => (await browser.newContext({ locale: 'sv-SE', acceptDownloads: true })).newPage();
  const hr = await ctx();
  const union = await ctx();

  // 1. HR: the list, the report, its charts beside their tables.
  await signIn(hr, hrEmail);
  await visit(hr, '/reports', 'Rapporter, HR');
  await Promise.all([hr.waitForNavigation(), hr.locator('main').getByRole('link', { name: 'Distansarbete' }).first().click()]);
  await check(hr, 'Rapport: distansarbete, HR');
  if (await hr.locator('svg[role="img"] title').count() === 0) fail('no chart with a title');
  if (await hr.locator('table caption').count() === 0) fail('no table beside the charts');

  // 2. Drill into a unit from a table.
  const drill = hr.locator('table a[href*="unit="]').first();
  const unitName = (await drill.innerText()).trim();
  await Promise.all([hr.waitForNavigation(), drill.click()]);
  await check(hr, `Rapport: distansarbete, ${unitName}`);
  const scope = (await hr.locator('dl.facts').innerText()).replace(/\s+/g, ' ');
  if (!scope.includes(unitName)) fail(`the drill-down covers ${scope}, not ${unitName}`);

  // 3. Downloads.
  await download(hr, 'Excel (XLSX)', 'PK');
  await download(hr, 'PDF', '%PDF-');

  // 4. The monthly report by e-mail.
  await Promise.all([hr.waitForNavigation(), hr.getByRole('button', { name: 'Beställ månadsrapport' }).click()]);
  await check(hr, 'Rapport efter beställning');
  if (await hr.getByText('Månadsrapporten är beställd.').count() === 0) fail('no confirmation of the subscription');
  await visit(hr, '/reports', 'Rapporter med månadsrapport, HR');

  // 5. The union's view: suppressed, no records.
  await signIn(union, unionEmail);
  await visit(union, '/reports/agreements', 'Rapport: distansarbete, facklig företrädare');
  if (await union.getByText(/Facklig vy/).count() === 0) fail('the union view does not say it is suppressed');
  if (await union.locator('td.suppressed').count() === 0) fail('no suppressed cell in the union view');
  if (await union.locator('a[href*="/details"]').count() > 0) fail('the union is offered the records');
  await visit(union, '/reports/training', 'Rapport: utbildning, facklig företrädare');
} catch (err) {
  fail(`journey: ${err.stack || err}`);
}
await finish();

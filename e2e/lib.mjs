// What every browser script shares: Debian's chromium launched with the
// flags this closed network needs, axe-core's WCAG 2.1 AA check of a page,
// sign-in and sign-out, and the failure count that sets the exit status.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// start launches the browser for a script run against base.
export async function start(base, password) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  let failures = 0;
  let checked = 0;

  function fail(msg) {
    failures++;
    console.log(`FAIL ${msg}`);
  }

  // check runs axe on the page as it is and records every violation; each
  // page has exactly one h1.
  async function check(page, label) {
    const { result, h1 } = await inspect(page);
    report(page, label, result, h1);
  }

  // inspect injects axe, runs it and counts the h1s in one evaluation, so
  // that all three see the same document: a page that reloads itself
  // makes the evaluation fail instead of mixing two documents.
  const inspection = `${axeSource}
;(async () => {
  const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  return { result, h1: document.querySelectorAll('h1').length, complete: document.readyState === 'complete' };
})()`;

  async function inspect(page) {
    return page.evaluate(inspection);
  }

  // checkReloading is check for a page that reloads itself (a running
  // import's): a check that a reload cut short, or that saw the next
  // document before it was parsed, is no finding, so it is made again on
  // the page that loaded.
  async function checkReloading(page, label) {
    for (let attempt = 0; attempt < 4; attempt++) {
      let seen;
      try {
        await page.waitForFunction(() => document.readyState === 'complete', null, { timeout: 30000 });
        seen = await inspect(page);
      } catch (e) {
        if (!/context was destroyed|navigat/i.test(String(e))) throw e;
        continue;
      }
      if (!seen.complete) continue;
      report(page, label, seen.result, seen.h1);
      return;
    }
    fail(`${label}: the page reloaded during every check`);
  }

  function report(page, label, result, h1) {
    checked++;
    if (h1 !== 1) fail(`${label}: ${h1} h1 elements`);
    if (result.violations.length === 0) {
      console.log(`ok   ${label} (${page.url()})`);
      return;
    }
    fail(`${label} (${page.url()}): ${result.violations.length} violation(s)`);
    for (const v of result.violations) {
      console.log(`  - ${v.id} [${v.impact}] ${v.help}`);
      for (const n of v.nodes.slice(0, 5)) {
        console.log(`      ${n.target.join(' ')}: ${n.failureSummary.replaceAll('\n', ' ')}`);
      }
    }
  }

  // visit loads a path, expects the status and checks the page.
  async function visit(page, path, label, status = 200) {
    const res = await page.goto(base + path);
    if (res.status() !== status) fail(`${label}: ${path} answered ${res.status()}, want ${status}`);
    await check(page, label);
  }

  async function signIn(page, email) {
    await page.goto(base + '/signin');
    await page.getByLabel(/E-postadress|E-mail address/).fill(email);
    await page.getByLabel(/^Lösenord|^Password/).fill(password);
    await Promise.all([page.waitForURL(base + '/'), page.getByRole('button', { name: /^(Logga in|Sign in)$/ }).click()]);
  }

  async function signOut(page) {
    await Promise.all([page.waitForURL(/\/signin$/), page.getByRole('button', { name: /^(Logga ut|Sign out)$/ }).click()]);
  }

  // finish closes the browser, prints the tally and exits: 0 when nothing failed.
  async function finish() {
    await browser.close();
    console.log(`${Math.max(checked - failures, 0)} passed, ${failures} failed`);
    process.exit(failures === 0 ? 0 : 1);
  }

  return { browser, fail, check, checkReloading, visit, signIn, signOut, finish };
}

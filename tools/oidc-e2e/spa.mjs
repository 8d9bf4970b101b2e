// A) oidc-client-ts in headless Chromium (playwright-core): sign-in with
// the auth service's real login page, the access token at the book service
// (CORS), silent renew with the refresh token, revocation, RP-initiated
// logout, and the login form again afterwards.

import { chromium } from 'playwright-core';
import { step, expect, expectEqual } from './util.mjs';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT_MS = 15_000;

// Waits until the page's URL satisfies `ok`; on timeout says where the
// browser is, what the page shows, and what the SPA and console reported.
async function waitForUrl(page, ok, what, logs) {
  try {
    await page.waitForURL((u) => ok(u.href), { timeout: WAIT_MS, waitUntil: 'load' });
  } catch (e) {
    const spaError = await page.evaluate(() => window.__error).catch(() => undefined);
    const text = await page.evaluate(() => document.body && document.body.innerText).catch(() => '');
    throw new Error(`the browser did not reach ${what}: it is at ${page.url()}`
      + (spaError ? `; the SPA reported: ${spaError}` : '')
      + (text ? `; the page says: ${JSON.stringify(text.slice(0, 300))}` : '')
      + (logs.length ? `; console: ${logs.slice(-5).join(' | ')}` : '')
      + `; (${e.message.split('\n')[0]})`);
  }
}

// The auth service's login page: one POST form with username and password.
async function expectLoginForm(page, what) {
  const forms = page.locator('form[method="post" i]');
  const n = await forms.count();
  expectEqual(n, 1, `${what}: <form method="post"> count on ${page.url()}`);
  for (const name of ['username', 'password']) {
    expectEqual(await forms.locator(`input[name="${name}"]`).count(), 1, `${what}: input ${name}`);
  }
  return forms;
}

export async function runSpa({ issuer, book, spa, username, password }) {
  const logs = [];
  const browser = await step('A0 launch headless Chromium', () => chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, timeout: 20_000,
  }));
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') logs.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    const isAuthorize = (u) => u.startsWith(`${issuer}/authorize`);
    const isCallback = (u) => u.startsWith(`${spa.origin}/callback`);

    await step('A1a signinRedirect() shows the auth service login page', async () => {
      await page.goto(`${spa.origin}/`, { timeout: WAIT_MS });
      expect(await page.evaluate(() => typeof window.oidc === 'object' && !!window.mgr),
        'the SPA did not load oidc-client-ts (global oidc)');
      await page.evaluate(() => window.startRedirect('signinRedirect'));
      await waitForUrl(page, (u) => isAuthorize(u) || isCallback(u), 'the login page', logs);
      expect(isAuthorize(page.url()), `expected the login form, the browser went on to ${page.url()}`);
      await expectLoginForm(page, 'login page');
    });

    const user = await step('A1b login form post, signinRedirectCallback()', async () => {
      const form = await expectLoginForm(page, 'login page');
      await form.locator('input[name="username"]').fill(username);
      await form.locator('input[name="password"]').fill(password);
      const submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])');
      if (await submit.count() > 0) await submit.first().click();
      else await form.locator('input[name="password"]').press('Enter');
      await waitForUrl(page, isCallback, `${spa.origin}/callback`, logs);
      const cb = new URL(page.url());
      expect(cb.searchParams.get('code'), `callback without a code: ${page.url()}`);
      expectEqual(cb.searchParams.get('iss'), issuer, 'iss parameter of the authorization response');
      const u = await page.evaluate(async () => {
        try {
          const r = await window.mgr.signinRedirectCallback();
          return { ok: true, profile: r.profile, scope: r.scope, id_token: r.id_token,
            access_token: r.access_token, refresh_token: r.refresh_token };
        } catch (e) { return { ok: false, error: String(e && e.message || e) }; }
      });
      expect(u.ok, `signinRedirectCallback() threw: ${u.error}`);
      expect(typeof u.profile.sub === 'string' && u.profile.sub !== '', `profile.sub is empty: ${JSON.stringify(u.profile)}`);
      expectEqual(u.profile.preferred_username, username, 'profile.preferred_username');
      expect(typeof u.id_token === 'string' && u.id_token.split('.').length === 3, 'no id_token in the user');
      expect((u.scope || '').split(' ').includes('openid'), `scope without openid: ${u.scope}`);
      expect(u.access_token, 'no access_token');
      return u;
    });

    await step('A2 fetch(BOOK/orders) with the access token from the page (CORS)', async () => {
      const r = await page.evaluate(async (token) => {
        try {
          const res = await fetch(window.BOOK + '/orders', { headers: { Authorization: 'Bearer ' + token } });
          return { ok: true, status: res.status, type: res.headers.get('content-type'), body: await res.text() };
        } catch (e) { return { ok: false, error: String(e) }; }
      }, user.access_token);
      expect(r.ok, `fetch failed in the browser (CORS at the book service?): ${r.error}; console: ${logs.slice(-3).join(' | ')}`);
      expectEqual(r.status, 200, `GET /orders status (${r.body.slice(0, 200)})`);
      expect(/json/.test(r.type || ''), `GET /orders content type ${r.type}`);
      JSON.parse(r.body);
    });

    await step('A3 signinSilent() renews with the refresh token', async () => {
      expect(user.refresh_token, 'the sign-in gave no refresh_token (silent renew needs one)');
      const r = await page.evaluate(async () => {
        try {
          const n = await window.mgr.signinSilent();
          return { ok: true, sub: n.profile.sub, access_token: n.access_token, id_token: n.id_token };
        } catch (e) { return { ok: false, error: String(e && e.message || e) }; }
      });
      expect(r.ok, `signinSilent() threw: ${r.error}`);
      expect(r.access_token && r.access_token !== user.access_token, 'signinSilent() kept the old access token');
      expectEqual(r.sub, user.profile.sub, 'profile.sub after signinSilent()');
    });

    await step('A4a revokeTokens()', async () => {
      const r = await page.evaluate(async () => {
        try { await window.mgr.revokeTokens(); return { ok: true }; } catch (e) { return { ok: false, error: String(e && e.message || e) }; }
      });
      expect(r.ok, `revokeTokens() threw: ${r.error}`);
    });

    await step('A4b signoutRedirect() ends at /signed-out, signoutRedirectCallback()', async () => {
      await page.evaluate(() => window.startRedirect('signoutRedirect'));
      await waitForUrl(page, (u) => u.startsWith(`${spa.origin}/signed-out`), `${spa.origin}/signed-out`, logs);
      const r = await page.evaluate(async () => {
        try { await window.mgr.signoutRedirectCallback(); return { ok: true }; } catch (e) { return { ok: false, error: String(e && e.message || e) }; }
      });
      expect(r.ok, `signoutRedirectCallback() threw: ${r.error}`);
    });

    await step('A4c signinRedirect() after logout shows the login form again', async () => {
      await page.evaluate(() => window.startRedirect('signinRedirect'));
      await waitForUrl(page, (u) => isAuthorize(u) || isCallback(u), 'the login page', logs);
      expect(isAuthorize(page.url()),
        `the session did not end: the browser went straight back to ${page.url()}`);
      await expectLoginForm(page, 'login page after logout');
    });
  } finally {
    await browser.close();
  }
}

// The auth service as an OpenID Provider for two independent client
// libraries (contract §5): oidc-client-ts in headless Chromium (spa.mjs)
// and openid-client in Node (bff.mjs), against the real binaries.
//
// usage: node run.mjs AUTH_BIN BOOK_BIN

import { randomBytes } from 'node:crypto';
import { Services, freePort } from './services.mjs';
import { startSpaServer } from './spa-server.mjs';
import { runSpa } from './spa.mjs';
import { runBff } from './bff.mjs';
import { step, expect, expectEqual, describe, StepError } from './util.mjs';

const [authBin, bookBin] = process.argv.slice(2);
if (!authBin || !bookBin) {
  console.error('usage: node run.mjs AUTH_BIN BOOK_BIN');
  process.exit(2);
}

const services = new Services({ authBin, bookBin });
let spa = null;
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    console.error(`FAIL: interrupted (${sig})`);
    services.kill();
    services.cleanup();
    process.exit(1);
  });
}
process.on('exit', () => services.kill());

const username = 'oidc-' + randomBytes(4).toString('hex');
const password = 'pw-' + randomBytes(9).toString('hex');

async function main() {
  await step('set-up: init-db, init-admin', () => services.init());
  spa = await startSpaServer({ issuer: services.issuer, book: services.book });
  const bffOrigin = `http://127.0.0.1:${await freePort()}`;

  const bff = await step('set-up: register the SPA and BFF clients (client add)', async () => {
    const s = await services.addClient(['--client-id', 'spa-e2e',
      '--redirect-uri', `${spa.origin}/callback`, '--post-logout-redirect-uri', `${spa.origin}/signed-out`]);
    expectEqual(s.client_id, 'spa-e2e', 'client add (public) client_id');
    const b = await services.addClient(['--client-id', 'bff-e2e', '--confidential',
      '--redirect-uri', `${bffOrigin}/cb`, '--post-logout-redirect-uri', `${bffOrigin}/bye`]);
    expectEqual(b.client_id, 'bff-e2e', 'client add (confidential) client_id');
    expect(typeof b.client_secret === 'string' && b.client_secret.length > 0, 'client add --confidential printed no client_secret');
    return b;
  });

  await step('set-up: serve both services, book /readyz 200', async () => {
    services.start(spa.origin);
    await services.waitReady();
  });

  await step('set-up: register the customer at the book service', async () => {
    const r = await fetch(`${services.book}/register`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
    });
    expectEqual(r.status, 201, `POST /register status (${(await r.text()).slice(0, 200)})`);
  });

  await runSpa({ issuer: services.issuer, book: services.book, spa, username, password });
  await runBff({ issuer: services.issuer, bffOrigin, clientSecret: bff.client_secret, username, password });

  await step('stop: SIGTERM, both exit 0', () => services.stop());
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error('FAIL: ' + (e instanceof StepError ? e.message : `unexpected error: ${describe(e)}\n${e.stack}`));
  const tail = services.stderrTail();
  if (tail) console.error(tail);
} finally {
  services.kill();
  if (spa) await spa.close();
  services.cleanup();
}
if (failed) process.exit(1);
console.log('oidc libraries: ok');
process.exit(0);

// A tiny static single-page app on 127.0.0.1 (Node's http module): every
// page loads oidc-client-ts's browser bundle (global `oidc`) from
// node_modules and creates `window.mgr`, a UserManager for the client
// spa-e2e. The browser test drives it with page.evaluate.

import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// node_modules/oidc-client-ts found the way Node resolves packages: in
// this folder or a parent.
export function findBundle() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const f = join(dir, 'node_modules', 'oidc-client-ts', 'dist', 'browser', 'oidc-client-ts.min.js');
    if (existsSync(f)) return f;
    const up = dirname(dir);
    if (up === dir) throw new Error('oidc-client-ts/dist/browser/oidc-client-ts.min.js not found in node_modules');
    dir = up;
  }
}

const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>spa-e2e</title>
<script src="/oidc-client-ts.min.js"></script>
<script src="/app.js"></script>
</head><body><p id="page">spa-e2e</p></body></html>`;

function appScript(settings, book) {
  return `"use strict";
oidc.Log.setLogger(console);
oidc.Log.setLevel(oidc.Log.WARN);
window.BOOK = ${JSON.stringify(book)};
window.mgr = new oidc.UserManager(Object.assign(${JSON.stringify(settings)}, {
  userStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
}));
// Starts a redirecting call; an error (the page did not navigate) is kept
// in window.__error for the test to report.
window.startRedirect = function (name) {
  window.__error = undefined;
  window.mgr[name]().catch(function (e) { window.__error = name + ': ' + (e && e.message || e); });
};
`;
}

export async function startSpaServer({ issuer, book }) {
  const bundle = readFileSync(findBundle());
  let settings = null;
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (path === '/' || path === '/callback' || path === '/signed-out') {
      send(200, 'text/html; charset=utf-8', PAGE);
    } else if (path === '/oidc-client-ts.min.js') {
      send(200, 'text/javascript; charset=utf-8', bundle);
    } else if (path === '/app.js') {
      send(200, 'text/javascript; charset=utf-8', appScript(settings, book));
    } else if (path === '/favicon.ico') {
      send(204, 'image/x-icon', '');
    } else {
      send(404, 'text/plain', 'not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  settings = {
    authority: issuer,
    client_id: 'spa-e2e',
    redirect_uri: `${origin}/callback`,
    post_logout_redirect_uri: `${origin}/signed-out`,
    scope: 'openid profile orders',
    response_type: 'code',
    automaticSilentRenew: false,
  };
  return {
    origin,
    settings,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

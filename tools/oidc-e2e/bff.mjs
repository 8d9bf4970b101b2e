// B) openid-client 6.x in Node, as a backend-for-frontend (confidential
// client bff-e2e): discovery, authorization code + PKCE + nonce with the
// login form posted like a browser (fetch + cookie jar), ID token claims,
// userinfo, refresh, revocation, RP-initiated logout, the form again.

import * as client from 'openid-client';
import { step, expect, expectEqual, CookieJar, browserFetch, loginForm } from './util.mjs';

const SCOPE = 'openid profile orders';

export async function runBff({ issuer, bffOrigin, clientSecret, username, password }) {
  const redirectUri = `${bffOrigin}/cb`;
  const byeUri = `${bffOrigin}/bye`;
  const jar = new CookieJar();

  const config = await step('B1 discovery (openid-configuration)', async () => {
    const c = await client.discovery(new URL(issuer), 'bff-e2e', clientSecret, undefined,
      { execute: [client.allowInsecureRequests] });
    const m = c.serverMetadata();
    expectEqual(m.issuer, issuer, 'issuer');
    expect(m.end_session_endpoint, 'no end_session_endpoint in the discovery document');
    return c;
  });

  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const authorizeUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  });

  const form = await step('B2 GET the authorization URL: the login page', async () => {
    const r = await browserFetch(jar, authorizeUrl.href);
    const body = await r.text();
    expectEqual(r.status, 200, `GET ${authorizeUrl.pathname} status (Location: ${r.headers.get('location')}; ${body.slice(0, 200)})`);
    expect(/^text\/html/.test(r.headers.get('content-type') || ''), `login page content type ${r.headers.get('content-type')}`);
    return loginForm(body, 'login page');
  });

  const location = await step('B3 post the login form: 302 to the redirect URI with a code', async () => {
    const action = new URL(form.action || authorizeUrl.href, authorizeUrl);
    expectEqual(action.origin, issuer, 'the login form posts to');
    const body = new URLSearchParams({ ...form.hidden, username, password });
    const r = await browserFetch(jar, action.href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: issuer },
      body,
    });
    const text = await r.text();
    expectEqual(r.status, 302, `form post status (${text.slice(0, 200)})`);
    const loc = new URL(r.headers.get('location') || '', issuer);
    expectEqual(loc.origin + loc.pathname, redirectUri, 'form post redirect target');
    expect(loc.searchParams.get('code'), `no code in ${loc.href}`);
    expectEqual(loc.searchParams.get('iss'), issuer, 'iss parameter');
    return loc;
  });

  const tokens = await step('B4 authorizationCodeGrant(): ID token claims', async () => {
    const t = await client.authorizationCodeGrant(config, location, {
      pkceCodeVerifier: codeVerifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true,
    });
    const claims = t.claims();
    expect(claims && claims.sub, 'ID token without sub');
    expectEqual(claims.nonce, nonce, 'ID token nonce');
    expectEqual(claims.preferred_username, username, 'ID token preferred_username');
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    expect(aud.includes('bff-e2e'), `ID token aud ${JSON.stringify(claims.aud)} lacks bff-e2e`);
    expect(t.refresh_token, 'no refresh_token in the token response');
    return t;
  });
  const sub = tokens.claims().sub;

  await step('B5 fetchUserInfo()', async () => {
    const info = await client.fetchUserInfo(config, tokens.access_token, sub);
    expectEqual(info.preferred_username, username, 'userinfo preferred_username');
  });

  const renewed = await step('B6 refreshTokenGrant(): new tokens, same sub', async () => {
    const t = await client.refreshTokenGrant(config, tokens.refresh_token);
    expect(t.access_token && t.access_token !== tokens.access_token, 'the refresh gave no new access token');
    const c = t.claims();
    expect(c, 'the refresh of an openid grant gave no id_token');
    expectEqual(c.sub, sub, 'sub of the refreshed ID token');
    return t;
  });

  await step('B7 tokenRevocation() of the refresh token; it no longer refreshes', async () => {
    const revoked = renewed.refresh_token || tokens.refresh_token;
    await client.tokenRevocation(config, revoked);
    const after = await client.refreshTokenGrant(config, revoked).then(() => null, (e) => e);
    expect(after, 'the revoked refresh token still works');
    expectEqual(after.error, 'invalid_grant', `refresh with the revoked token (${after.message})`);
  });

  await step('B8 end session (buildEndSessionUrl, id_token_hint): 302 to post_logout_redirect_uri', async () => {
    const url = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token, post_logout_redirect_uri: byeUri, state: 's1',
    });
    const r = await browserFetch(jar, url.href);
    const text = await r.text();
    expectEqual(r.status, 302, `GET ${url.pathname} status (${text.slice(0, 200)})`);
    const loc = new URL(r.headers.get('location') || '', issuer);
    expectEqual(loc.origin + loc.pathname, byeUri, 'end-session redirect target');
    expectEqual(loc.searchParams.get('state'), 's1', 'state echoed by the end-session endpoint');
  });

  await step('B9 the authorization URL after logout: the login form, no code', async () => {
    const r = await browserFetch(jar, authorizeUrl.href);
    const body = await r.text();
    expectEqual(r.status, 200, `GET ${authorizeUrl.pathname} after logout (Location: ${r.headers.get('location')})`);
    loginForm(body, 'login page after logout');
  });
}

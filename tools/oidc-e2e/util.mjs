// Small helpers shared by the OIDC end-to-end programs: named steps with a
// time limit, assertions, a cookie jar for Node's fetch, and a parser for
// the auth service's login form.

export const STEP_TIMEOUT_MS = 30_000;

export class StepError extends Error {}

// Runs one named step; prints "ok: NAME" when it passes, throws a StepError
// naming the step when it fails or runs longer than STEP_TIMEOUT_MS.
export async function step(name, fn) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${STEP_TIMEOUT_MS / 1000} s`)),
      STEP_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([fn(), limit]);
    console.log(`ok: ${name}`);
    return result;
  } catch (e) {
    throw new StepError(`step "${name}" failed: ${describe(e)}`);
  } finally {
    clearTimeout(timer);
  }
}

// An error with the details libraries attach (oauth4webapi's code, cause,
// the error response body).
export function describe(e) {
  if (!(e instanceof Error)) return String(e);
  let text = e.message;
  if (e.code) text += ` [${e.code}]`;
  if (e.error) text += ` error=${e.error}`;
  if (e.error_description) text += ` (${e.error_description})`;
  if (e.cause && typeof e.cause === 'object') {
    const c = e.cause instanceof Error ? describe(e.cause) : safeJson(e.cause);
    text += `; cause: ${c}`;
  }
  return text;
}

function safeJson(v) {
  try { return JSON.stringify(v).slice(0, 600); } catch { return String(v); }
}

export function expect(cond, message) {
  if (!cond) throw new Error(message);
}

export function expectEqual(got, want, what) {
  if (got !== want) {
    throw new Error(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
}

// Cookies by name for one host, honouring Path, Max-Age=0 and past Expires
// (enough for one origin in a test).
export class CookieJar {
  constructor() { this.cookies = new Map(); }

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let gone = value === '';
      for (const a of attrs) {
        const [k, v = ''] = a.split('=').map((s) => s.trim());
        const key = k.toLowerCase();
        if (key === 'path' && v.startsWith('/')) path = v;
        if (key === 'max-age' && Number(v) <= 0) gone = true;
        if (key === 'expires' && Date.parse(v) < Date.now()) gone = true;
      }
      const id = `${name};${path}`;
      if (gone) this.cookies.delete(id);
      else this.cookies.set(id, { name, value, path });
    }
  }

  header(url) {
    const p = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter((c) => p === c.path || p.startsWith(c.path.endsWith('/') ? c.path : c.path + '/'))
      .map((c) => `${c.name}=${c.value}`).join('; ');
  }

  names() { return [...this.cookies.values()].map((c) => c.name); }
}

// fetch with the jar's cookies, never following redirects.
export async function browserFetch(jar, url, init = {}) {
  const headers = new Headers(init.headers || {});
  const cookie = jar.header(url);
  if (cookie) headers.set('Cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(response);
  return response;
}

export function htmlUnescape(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|#39);/gi, (m, e) => {
    const k = e.toLowerCase();
    if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
    if (k.startsWith('#')) return String.fromCodePoint(parseInt(k.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[k];
  });
}

function attributes(tag) {
  const out = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m;
  const start = tag.search(/\s/);
  re.lastIndex = start < 0 ? tag.length : start;
  while ((m = re.exec(tag)) !== null) {
    const v = m[2] ?? m[3] ?? m[4] ?? '';
    out[m[1].toLowerCase()] = htmlUnescape(v);
  }
  return out;
}

// The login page's forms: [{method, action, hidden: {name: value}, inputs: [names]}].
export function parseForms(html) {
  const forms = [];
  const re = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
  let m;
  while ((m = re.exec(html)) !== null) {
    const a = attributes('<form ' + m[1]);
    const form = { method: (a.method || 'get').toLowerCase(), action: a.action ?? '', hidden: {}, inputs: [] };
    for (const t of m[2].match(/<input\b[^>]*>/gi) || []) {
      const ia = attributes(t);
      if (!ia.name) continue;
      form.inputs.push(ia.name);
      if ((ia.type || 'text').toLowerCase() === 'hidden') form.hidden[ia.name] = ia.value ?? '';
    }
    forms.push(form);
  }
  return forms;
}

// The one POST login form with username and password inputs, or an error
// quoting the page.
export function loginForm(html, what) {
  const forms = parseForms(html);
  const posts = forms.filter((f) => f.method === 'post');
  expect(posts.length === 1,
    `${what}: expected exactly one <form method="post">, found ${posts.length}: ${html.slice(0, 300)}`);
  const f = posts[0];
  expect(f.inputs.includes('username') && f.inputs.includes('password'),
    `${what}: the form has no username/password inputs (inputs: ${f.inputs.join(', ')})`);
  return f;
}

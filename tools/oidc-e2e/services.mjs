// Starts and stops the real bookstore-auth and bookstore-book binaries on
// one SQLite file in a temporary folder (the set-up of tests/e2e/full_flow.py).

import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function run(bin, args, env) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${bin} ${args.join(' ')} exited ${err.code ?? err.signal}: ${stderr.trim() || stdout.trim()}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

export class Services {
  constructor({ authBin, bookBin }) {
    this.authBin = authBin;
    this.bookBin = bookBin;
    this.procs = [];
    this.work = mkdtempSync(join(tmpdir(), 'oidc-e2e-'));
    this.adminPassword = 'e2e-admin-' + randomBytes(8).toString('hex');
  }

  // Picks ports and the environment; creates the schema and the admin.
  async init() {
    this.authPort = await freePort();
    this.bookPort = await freePort();
    this.issuer = `http://127.0.0.1:${this.authPort}`;
    this.book = `http://127.0.0.1:${this.bookPort}`;
    const env = {
      ...process.env,
      BOOKSTORE_DATA_DIR: join(this.work, 'data'),
      LOG_LEVEL: 'warn',
      PASSWORD_HASH_OPS: '1',
      PASSWORD_HASH_MEM_KIB: '8',
      AUTH_PORT: String(this.authPort),
      BOOK_PORT: String(this.bookPort),
      AUTH_ISSUER: this.issuer,
      BOOKSTORE_ADMIN_PASSWORD: this.adminPassword,
      BOOKSTORE_ACCESS_LOG: 'false',
    };
    for (const v of ['BOOKSTORE_DATABASE_URL', 'AUTH_SIGNING_KEY_FILE', 'AUTH_JWKS_URL',
      'BOOKSTORE_CORS_ORIGINS']) delete env[v];
    this.env = env;
    await run(this.authBin, ['init-db'], env);
    await run(this.bookBin, ['init-db'], env);
    await run(this.authBin, ['init-admin'], env);
  }

  // `bookstore-auth client add ...`; returns the printed JSON object.
  async addClient(args) {
    const out = await run(this.authBin, ['client', 'add', ...args], this.env);
    try {
      return JSON.parse(out);
    } catch {
      throw new Error(`client add printed no JSON object: ${out.trim()}`);
    }
  }

  start(bookCorsOrigin) {
    this.spawn('bookstore-auth', this.authBin, this.env);
    this.spawn('bookstore-book', this.bookBin, { ...this.env, BOOKSTORE_CORS_ORIGINS: bookCorsOrigin });
  }

  spawn(name, bin, env) {
    const p = spawn(bin, ['serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const entry = { name, proc: p, stderr: '', exit: null };
    p.stderr.on('data', (d) => { entry.stderr = (entry.stderr + d).slice(-4000); });
    entry.exited = new Promise((resolve) => {
      p.on('exit', (code, signal) => { entry.exit = { code, signal }; resolve(entry.exit); });
      p.on('error', (e) => { entry.exit = { code: null, signal: null, error: e }; resolve(entry.exit); });
    });
    this.procs.push(entry);
  }

  // Polls start-up: the book service is ready once it has the auth service's keys.
  async waitReady(timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const e of this.procs) {
        if (e.exit) throw new Error(`${e.name} serve exited early (${JSON.stringify(e.exit)}): ${e.stderr.trim()}`);
      }
      try {
        const r = await fetch(`${this.book}/readyz`);
        if (r.status === 200) return;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error('the book service is not ready (JWKS from the auth service?)');
      await new Promise((r) => setTimeout(r, 100)); // waiting for start-up, not synchronising a test
    }
  }

  // SIGTERM to both; each must exit 0 within 15 s.
  async stop() {
    for (const e of this.procs) if (!e.exit) e.proc.kill('SIGTERM');
    for (const e of this.procs) {
      let timer;
      const exit = await Promise.race([e.exited, new Promise((r) => { timer = setTimeout(() => r(null), 15_000); })]);
      clearTimeout(timer);
      if (!exit) throw new Error(`${e.name} did not exit within 15 s of SIGTERM`);
      if (exit.code !== 0) throw new Error(`${e.name} exited ${JSON.stringify(exit)} after SIGTERM: ${e.stderr.trim()}`);
    }
  }

  kill() {
    for (const e of this.procs) if (!e.exit) e.proc.kill('SIGKILL');
  }

  stderrTail() {
    return this.procs.filter((e) => e.stderr.trim())
      .map((e) => `--- ${e.name} stderr ---\n${e.stderr.trim()}`).join('\n');
  }

  cleanup() {
    rmSync(this.work, { recursive: true, force: true });
  }
}

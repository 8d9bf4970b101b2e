#!/usr/bin/python3
"""The whole system as a portal would use it: the real bookstore-auth and
bookstore-book binaries on one SQLite file, tokens obtained through the
OAuth flow (login form, code, PKCE), used at the book service.

usage: full_flow.py AUTH_BIN BOOK_BIN
"""
import base64
import hashlib
import html.parser
import http.cookiejar
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ADMIN_PASSWORD = "e2e-admin-" + secrets.token_urlsafe(8)


def fail(message):
    raise SystemExit("FAIL: " + message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Hidden(html.parser.HTMLParser):
    """Collects the login form's inputs and counts forms."""

    def __init__(self):
        super().__init__()
        self.fields, self.forms = {}, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms += 1
        if tag == "input" and a.get("type") == "hidden":
            self.fields[a["name"]] = a.get("value", "")


class Client:
    """HTTP with a cookie jar and no redirect following."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def call(self, method, url, body=None, headers=None, form=False):
        headers = dict(headers or {})
        data = None
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=10) as r:
                return r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode()


def expect(got, want, what):
    if got != want:
        fail(f"{what}: expected {want}, got {got}")


def authorize(c, auth, client_id, redirect_uri, scope=None):
    """GET /authorize with PKCE through browser `c`. Returns (status, headers,
    page, state, verifier)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(8)
    q = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
         "state": state, "code_challenge": challenge, "code_challenge_method": "S256"}
    if scope:
        q["scope"] = scope
    status, headers, page = c.call("GET", f"{auth}/authorize?" + urllib.parse.urlencode(q))
    return status, headers, page, state, verifier


def exchange(c, auth, client_id, redirect_uri, headers, state, verifier):
    """The code of a 302 to the client, exchanged. Returns the token JSON."""
    params = urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query)
    expect(params["state"], [state], "state echoed")
    status, _, body = c.call("POST", f"{auth}/token", {
        "grant_type": "authorization_code", "client_id": client_id, "code": params["code"][0],
        "redirect_uri": redirect_uri, "code_verifier": verifier}, form=True)
    expect(status, 200, "code exchange: " + body)
    return json.loads(body)


def login(auth, client_id, redirect_uri, username, password, scope=None, c=None):
    """GET the login form, post it, exchange the code. Returns the token JSON;
    browser `c` (a new one by default) keeps the login cookie."""
    c = c or Client()
    status, _, page, state, verifier = authorize(c, auth, client_id, redirect_uri, scope)
    expect(status, 200, "login page")
    form = Hidden()
    form.feed(page)
    expect(form.forms, 1, "forms on the login page")
    fields = dict(form.fields, username=username, password=password)
    status, headers, _ = c.call("POST", f"{auth}/authorize", fields, form=True)
    expect(status, 302, "form post")
    return exchange(c, auth, client_id, redirect_uri, headers, state, verifier)


def main():
    auth_bin, book_bin = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp()
    auth_port, book_port = free_port(), free_port()
    auth, book = f"http://127.0.0.1:{auth_port}", f"http://127.0.0.1:{book_port}"
    env = dict(os.environ, BOOKSTORE_DATA_DIR=work + "/data", LOG_LEVEL="warn",
               PASSWORD_HASH_OPS="1", PASSWORD_HASH_MEM_KIB="8", AUTH_PORT=str(auth_port),
               BOOK_PORT=str(book_port), AUTH_ISSUER=auth, BOOKSTORE_ADMIN_PASSWORD=ADMIN_PASSWORD,
               BOOKSTORE_ACCESS_LOG="false")
    for var in ("BOOKSTORE_DATABASE_URL", "AUTH_SIGNING_KEY_FILE", "AUTH_JWKS_URL"):
        env.pop(var, None)
    for cmd in ([auth_bin, "init-db"], [book_bin, "init-db"], [auth_bin, "init-admin"]):
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=60)
    procs = [subprocess.Popen([auth_bin, "serve"], env=env, stderr=subprocess.DEVNULL),
             subprocess.Popen([book_bin, "serve"], env=env, stderr=subprocess.DEVNULL)]
    try:
        c = Client()
        deadline = time.time() + 20
        while _status(c, f"{book}/readyz") != 200:
            if time.time() > deadline:
                fail("book service not ready (JWKS from the auth service)")
            time.sleep(0.1)  # waiting for start-up, not synchronising a test
        run_flow(auth, book)
        for p in procs:
            p.terminate()
        for p in procs:
            expect(p.wait(timeout=15), 0, "exit status after SIGTERM")
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    print("full flow: ok")


def _status(c, url):
    try:
        return c.call("GET", url)[0]
    except OSError:
        return 0


def run_flow(auth, book):
    c = Client()
    # A customer registers at the book service, then logs in at the auth service.
    status, _, body = c.call("POST", f"{book}/register", {"username": "carol", "password": "carol-pass-1"})
    expect(status, 201, "register: " + body)
    cust = login(auth, "bookstore-web", "http://localhost:3000/callback", "carol", "carol-pass-1")
    expect(cust["scope"], "orders", "customer scope")
    admin = login(auth, "bookstore-admin", "http://localhost:3001/callback", "admin", ADMIN_PASSWORD)
    expect(set(admin["scope"].split()), {"books:write", "users:manage", "orders", "orders:manage"},
           "admin scope")
    ah = {"Authorization": "Bearer " + admin["access_token"]}
    ch = {"Authorization": "Bearer " + cust["access_token"]}

    # Admin adds a book; the customer may not.
    status, headers, body = c.call("POST", f"{book}/books", {
        "code": "E2E-1", "name": "End to End", "quantity": 3, "imported_price": 10.55}, ah)
    expect(status, 201, "admin creates a book: " + body)
    created = json.loads(body)
    expect(created["sell_price"], 11.61, "derived sell price")
    book_id = created["id"]
    status, headers, _ = c.call("POST", f"{book}/books", {"code": "E2E-2", "name": "x", "sell_price": 1}, ch)
    expect(status, 403, "customer creates a book")
    if "insufficient_scope" not in headers.get("WWW-Authenticate", ""):
        fail("403 without insufficient_scope challenge")

    # The customer orders, sees the order, cancels it; stock comes back.
    status, headers, body = c.call("POST", f"{book}/orders", {"items": [{"book_id": book_id, "quantity": 2}]}, ch)
    expect(status, 201, "place order: " + body)
    order = json.loads(body)
    status, _, body = c.call("GET", f"{book}/books/{book_id}")
    expect(json.loads(body)["quantity"], 1, "stock after order")
    status, _, body = c.call("GET", f"{book}/orders", headers=ch)
    expect([o["id"] for o in json.loads(body)["items"]], [order["id"]], "customer's orders")
    status, _, body = c.call("PUT", f"{book}/orders/{order['id']}/status", {"status": "canceled"}, ch)
    expect(status, 200, "cancel: " + body)
    status, _, body = c.call("GET", f"{book}/books/{book_id}")
    expect(json.loads(body)["quantity"], 3, "stock after cancel")

    # Refresh at the auth service: the new access token works at the book service.
    status, _, body = c.call("POST", f"{auth}/token", {
        "grant_type": "refresh_token", "client_id": "bookstore-web",
        "refresh_token": cust["refresh_token"]}, form=True)
    expect(status, 200, "refresh: " + body)
    fresh = json.loads(body)
    status, _, _ = c.call("GET", f"{book}/orders", headers={"Authorization": "Bearer " + fresh["access_token"]})
    expect(status, 200, "refreshed token at the book service")

    # An admin's password change ends carol's login sessions and refresh
    # tokens at the auth service (contract §6), across the two services.
    web, web_cb = "bookstore-web", "http://localhost:3000/callback"
    browser = Client()
    login(auth, web, web_cb, "carol", "carol-pass-1", c=browser)
    status, headers, _, state, verifier = authorize(browser, auth, web, web_cb)
    expect(status, 302, "signed-in browser gets a code without the form")
    kept = exchange(browser, auth, web, web_cb, headers, state, verifier)
    status, _, body = c.call("GET", f"{book}/users?q=carol", headers=ah)
    carol_id = [u["id"] for u in json.loads(body)["items"] if u["username"] == "carol"][0]
    status, _, body = c.call("PUT", f"{book}/users/{carol_id}", {"password": "carol-pass-2"}, ah)
    expect(status, 200, "admin changes carol's password: " + body)
    for what, token in (("rotated", fresh["refresh_token"]), ("second login", kept["refresh_token"])):
        status, _, body = c.call("POST", f"{auth}/token", {
            "grant_type": "refresh_token", "client_id": web, "refresh_token": token}, form=True)
        expect(status, 400, f"refresh ({what}) after the password change: " + body)
        expect(json.loads(body)["error"], "invalid_grant", f"refresh ({what}) error")
    status, _, page, _, _ = authorize(browser, auth, web, web_cb)
    expect(status, 200, "old login cookie after the password change: the form again")
    if 'name="password"' not in page:
        fail("no login form after the password change")
    login(auth, web, web_cb, "carol", "carol-pass-2")

    # Every series the shipped Grafana dashboard plots is served by a service.
    served = set()
    for base in (auth, book):
        status, _, text = c.call("GET", f"{base}/metrics")
        expect(status, 200, "metrics")
        served |= {line.split("{")[0].split(" ")[0] for line in text.splitlines()
                   if line and not line.startswith("#")}
    dashboard = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "deploy",
                                            "grafana", "bookstore-dashboard.json")))
    import re
    used = {name for p in dashboard["panels"] for t in p["targets"]
            for name in re.findall(r"\b((?:bookstore|process|http)_[a-z_]+)", t["expr"])}
    missing = sorted(used - served)
    if missing:
        fail(f"the dashboard plots series no service serves: {missing}")

    # A token signed by someone else is refused; anonymous catalogue reads work.
    status, headers, _ = c.call("GET", f"{book}/orders", headers={"Authorization": "Bearer abc.def.ghi"})
    expect(status, 401, "garbage token")
    status, _, _ = c.call("GET", f"{book}/books?q=end")
    expect(status, 200, "anonymous search")


if __name__ == "__main__":
    main()

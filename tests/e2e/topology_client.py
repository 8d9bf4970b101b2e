"""HTTP helpers for the topology checks: a stdlib client, Prometheus counters,
the OAuth 2.0 authorization code flow with PKCE (form parsed, posted, code
exchanged), and PostgreSQL reads with psql. Used by topology_check.py and
deploy/bench/gateway_bench.sh."""
import base64
import hashlib
import html.parser
import http.client
import json
import re
import secrets
import shlex
import subprocess
import sys
import time
import urllib.parse

CLIENT_ID = "bookstore-web"
REDIRECT_URI = "http://localhost:3000/callback"


def fail(msg):
    print(f"FAIL: {msg}", flush=True)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def log(msg):
    print(msg, flush=True)


def load_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            parts = shlex.split(value)
            env[key] = parts[0] if parts else ""
    return env


class Response:
    def __init__(self, status, headers, body, error=None):
        self.status, self.headers, self.body, self.error = status, headers, body, error

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def cookies(self):
        out = {}
        for k, v in self.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                out[name.strip()] = rest.split(";", 1)[0]
        return out

    def json(self):
        return json.loads(self.body)


def request(base, method, path, body=None, headers=None, timeout=60):
    """One request on a fresh connection; status 0 on a transport error."""
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        hdrs = {"Connection": "close"}
        hdrs.update(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode()
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    except (OSError, http.client.HTTPException) as e:
        return Response(0, [], b"", error=repr(e))
    finally:
        conn.close()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def metrics(base):
    """http_requests_total as {(method, route, status): count}."""
    r = request(base, "GET", "/metrics")
    check(r.status == 200, f"{base}/metrics answered {r.status}")
    out = {}
    pat = re.compile(r'^http_requests_total\{(.*)\} (\d+)')
    for line in r.body.decode().splitlines():
        m = pat.match(line)
        if m:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            out[(labels["method"], labels["route"], labels["status"])] = int(m.group(2))
    return out


def delta(after, before, key):
    return after.get(key, 0) - before.get(key, 0)


class FormParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []  # [{"method":..., "action":..., "inputs": {name: value}}]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(),
                               "action": a.get("action"), "inputs": {}})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["inputs"][a["name"]] = a.get("value") or ""


def oauth_login(username, password, form_base, post_base, token_base, issuer, scope=None):
    """The authorization code flow with PKCE; returns the /token JSON."""
    verifier = secrets.token_urlsafe(48)[:64]
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(12)
    q = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
         "state": state, "code_challenge": challenge, "code_challenge_method": "S256",
         "prompt": "login"}
    if scope:
        q["scope"] = scope
    page = request(form_base, "GET", "/authorize?" + urllib.parse.urlencode(q))
    check(page.status == 200, f"GET {form_base}/authorize answered {page.status}: {page.body[:200]!r}")
    parser = FormParser()
    parser.feed(page.body.decode())
    posts = [f for f in parser.forms if f["method"] == "post"]
    check(len(posts) == 1, f"login page has {len(posts)} POST forms")
    fields = dict(posts[0]["inputs"])
    check("csrf_token" in fields, "login form has no csrf_token")
    fields["username"], fields["password"] = username, password
    cookies = page.cookies()
    hdrs = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookies:
        hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    post = request(post_base, "POST", "/authorize", urllib.parse.urlencode(fields), hdrs)
    check(post.status == 302, f"POST {post_base}/authorize answered {post.status}: {post.body[:200]!r}")
    loc = urllib.parse.urlsplit(post.header("Location") or "")
    params = urllib.parse.parse_qs(loc.query)
    check(f"{loc.scheme}://{loc.netloc}{loc.path}" == REDIRECT_URI, f"redirect to {loc}")
    check(params.get("state") == [state], "state not echoed")
    check(params.get("iss") == [issuer], f"iss {params.get('iss')} != {issuer}")
    check("code" in params, f"no code in {loc.query}")
    tok = request(token_base, "POST", "/token", urllib.parse.urlencode({
        "grant_type": "authorization_code", "client_id": CLIENT_ID, "code": params["code"][0],
        "redirect_uri": REDIRECT_URI, "code_verifier": verifier}),
        {"Content-Type": "application/x-www-form-urlencoded"})
    check(tok.status == 200, f"POST {token_base}/token answered {tok.status}: {tok.body[:200]!r}")
    return tok.json()


def psql(env, sql):
    out = subprocess.run(["psql", env["DATABASE_URL"], "-X", "-qtAc", sql],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode == 0, f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def db_orders_for_book(env, book_id):
    """{order_id: units} of the orders (not canceled or rejected) holding book_id."""
    rows = psql(env, f"SELECT o.id, oi.quantity FROM orders o JOIN order_items oi "
                     f"ON oi.order_id = o.id WHERE oi.book_id = {int(book_id)} "
                     f"AND o.status NOT IN ('canceled', 'rejected')")
    return {int(a): int(b) for a, b in (r.split("|") for r in rows.splitlines() if r)}


def create_book(gw, admin, code, quantity, price):
    r = request(gw, "POST", "/books", {"code": code, "name": f"Topology {code}",
                                       "quantity": quantity, "sell_price": price}, bearer(admin))
    check(r.status == 201, f"POST /books answered {r.status}: {r.body[:200]!r}")
    return r.json()["id"]


def stock(gw, book_id):
    r = request(gw, "GET", f"/books/{book_id}")
    check(r.status == 200, f"GET /books/{book_id} answered {r.status}")
    return r.json()["quantity"]


def place_order(gw, token, book_id):
    t0 = time.monotonic()
    r = request(gw, "POST", "/orders", {"items": [{"book_id": book_id, "quantity": 1}]},
                bearer(token))
    order_id = None
    if r.status == 201:
        try:
            order_id = r.json()["id"]
        except (ValueError, KeyError):
            pass
    return {"status": r.status, "start": t0, "end": time.monotonic(), "id": order_id,
            "error": r.error}

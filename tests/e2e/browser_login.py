#!/usr/bin/python3
"""Drives the real bookstore-auth binary with headless Chromium.

usage: browser_login.py PATH_TO_BOOKSTORE_AUTH
"""
import base64
import hashlib
import http.server
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import jwt
from jwt.algorithms import RSAAlgorithm
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ADMIN_PASSWORD = "e2e-" + secrets.token_urlsafe(12)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Callback(http.server.BaseHTTPRequestHandler):
    """The client's redirect URI: records what arrives."""
    hits = []

    def do_GET(self):  # noqa: N802
        Callback.hits.append(self.path)
        body = b"<!DOCTYPE html><title>callback</title><p>ok</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def run(binary, env, *args):
    out = subprocess.run([binary, *args], env=env, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise SystemExit(f"FAIL: {' '.join(args)} exited {out.returncode}: {out.stderr.strip()}")
    return out.stdout


def post_form(url, fields):
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def wait_healthy(base, proc, deadline):
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"FAIL: bookstore-auth serve exited early ({proc.returncode})")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # polling a start-up, not synchronising a test
    raise SystemExit("FAIL: bookstore-auth did not become healthy")


def check(cond, message):
    if not cond:
        raise SystemExit("FAIL: " + message)


def main() -> int:
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="bookstore-e2e-browser-")
    proc = None
    driver = None
    cb_server = None
    try:
        cb_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Callback)
        threading.Thread(target=cb_server.serve_forever, daemon=True).start()
        redirect_uri = f"http://127.0.0.1:{cb_server.server_address[1]}/callback"

        port = free_port()
        issuer = f"http://127.0.0.1:{port}"
        env = dict(os.environ)
        env.update({
            "BOOKSTORE_DATA_DIR": work,
            "BOOKSTORE_DATABASE_URL": f"sqlite:{work}/bookstore.db",
            "AUTH_PORT": str(port),
            "AUTH_ISSUER": issuer,
            "BOOKSTORE_ADMIN_USERNAME": "admin",
            "BOOKSTORE_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "LOG_LEVEL": "warn",
        })
        run(binary, env, "init-db")
        run(binary, env, "init-admin")
        added = json.loads(run(binary, env, "client", "add", "--client-id", "e2e-browser",
                               "--redirect-uri", redirect_uri, "--name", "E2E Browser"))
        check(added == {"client_id": "e2e-browser"}, f"client add printed {added}")

        proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(work, "serve.log"), "w"))
        wait_healthy(issuer, proc, time.time() + 20)

        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        state = secrets.token_urlsafe(12)
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": "e2e-browser", "redirect_uri": redirect_uri,
            "scope": "orders books:write", "state": state,
            "code_challenge": challenge, "code_challenge_method": "S256"})

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    f"--user-data-dir={work}/chrome-profile"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(30)

        driver.get(f"{issuer}/authorize?{query}")
        check("E2E Browser" in driver.page_source, "the login page does not name the client")
        forms = driver.find_elements(By.CSS_SELECTOR, "form")
        check(len(forms) == 1 and forms[0].get_attribute("method").lower() == "post",
              "expected exactly one post form")
        user = driver.find_element(By.ID, "username")
        password = driver.find_element(By.ID, "password")
        check(user.get_attribute("type") == "text" and password.get_attribute("type") == "password",
              "input types")
        # The CSP-nonced inline style applied (so CSP did not block it).
        bg = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        check(bg == "rgb(244, 245, 247)", f"inline style not applied (CSP?): {bg}")

        # A wrong password first: the form again, one generic message.
        user.send_keys("admin")
        password.send_keys("wrong-password")
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: "Invalid username or password." in d.page_source)
        check(driver.current_url.startswith(issuer), "wrong password left the auth service")

        driver.find_element(By.ID, "password").send_keys(ADMIN_PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: d.current_url.startswith(redirect_uri))
        params = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)
        check(params.get("state") == [state], f"state {params.get('state')}")
        check(params.get("iss") == [issuer], f"iss {params.get('iss')}")
        check(len(params.get("code", [])) == 1, "no code")
        check(any(h.startswith("/callback?code=") for h in Callback.hits), "callback server not hit")

        status, headers, body = post_form(issuer + "/token", {
            "grant_type": "authorization_code", "code": params["code"][0],
            "redirect_uri": redirect_uri, "client_id": "e2e-browser", "code_verifier": verifier})
        check(status == 200, f"token exchange {status}: {body}")
        check(headers.get("Cache-Control") == "no-store", "token response not no-store")
        tokens = json.loads(body)
        check(tokens["scope"] == "books:write orders", f"scope {tokens['scope']}")

        with urllib.request.urlopen(issuer + "/jwks.json", timeout=10) as r:
            jwks = json.loads(r.read())
        header = jwt.get_unverified_header(tokens["access_token"])
        check(header["typ"] == "at+jwt" and header["alg"] == "RS256", f"header {header}")
        key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
        claims = jwt.decode(tokens["access_token"], RSAAlgorithm.from_jwk(json.dumps(key)),
                            algorithms=["RS256"], audience="bookstore-api", issuer=issuer)
        check(claims["username"] == "admin" and claims["role"] == "admin", f"claims {claims}")

        # Single sign-on: the session cookie skips the form.
        state2 = secrets.token_urlsafe(12)
        driver.get(f"{issuer}/authorize?" + query.replace(state, state2))
        WebDriverWait(driver, 20).until(lambda d: d.current_url.startswith(redirect_uri))
        check(f"state={state2}" in driver.current_url, "SSO redirect lost the state")
        check(any(h.startswith("/callback?code=") and f"state={state2}" in h for h in Callback.hits),
              "SSO did not reach the callback")

        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=20) == 0, "serve did not exit 0 on SIGTERM")

        print("PASS: browser login, code exchange, PyJWT verification and SSO")
        return 0
    finally:
        if driver is not None:
            driver.quit()
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=20)
                if code != 0:
                    print(f"FAIL: serve exited {code} on SIGTERM", file=sys.stderr)
            except subprocess.TimeoutExpired:
                proc.kill()
                print("FAIL: serve did not stop on SIGTERM", file=sys.stderr)
        if cb_server is not None:
            cb_server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

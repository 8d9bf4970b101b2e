#!/usr/bin/python3
"""Checks a running scale-out topology (scripts/topology.sh start).

usage: topology_check.py TOPOLOGY_ENV_FILE ADMIN_USERNAME ADMIN_PASSWORD

Stdlib only (http.client + threads; helpers in topology_client.py). Phases:
  A. the OAuth flow with the login form served by one auth instance and the
     code exchanged on another (proved by each instance's /metrics), and the
     whole flow through the gateway;
  B. 300 concurrent one-unit orders through the gateway, spread over every
     book instance, against stock 100: exactly 100 x 201, 200 x 409, stock 0;
  C. a second load during which one book instance is SIGKILLed: the gateway
     routes around it, every 201 order exists with its items, and final stock
     + ordered units (orders not canceled) = initial stock.
Prints the figures; exits 1 with a FAIL line on the first broken rule.
"""
import os
import secrets
import signal
import sys
import threading
import time
import urllib.parse

from topology_client import (CLIENT_ID, bearer, check, create_book, db_orders_for_book, delta,
                             load_env, log, metrics, oauth_login, place_order, request,
                             stock)


def pid_of(env, name):
    with open(os.path.join(env["RUN_DIR"], f"{name}.pid")) as f:
        pid = int(f.read().strip())
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        check(b"bookstore-book" in f.read(), f"{name}.pid ({pid}) is not a bookstore-book process")
    return pid


# ---------------------------------------------------------------------------

def phase_a(env, admin_user, admin_password):
    gw = env["GATEWAY_URL"]
    auth = [f"http://127.0.0.1:{p}" for p in env["AUTH_PORTS"].split()]
    books = [f"http://127.0.0.1:{p}" for p in env["BOOK_PORTS"].split()]
    check(len(auth) >= 2, "phase A needs two auth instances")
    log(f"== A. OAuth across instances (auth: {' '.join(auth)}; gateway {gw})")

    # 1. Form shown and posted on auth-1, code exchanged on auth-2.
    m1, m2 = metrics(auth[0]), metrics(auth[1])
    tok = oauth_login(admin_user, admin_password, auth[0], auth[0], auth[1], gw)
    n1, n2 = metrics(auth[0]), metrics(auth[1])
    check(delta(n1, m1, ("GET", "/authorize", "200")) == 1, "auth-1 did not serve the form")
    check(delta(n1, m1, ("POST", "/authorize", "302")) == 1, "auth-1 did not take the login post")
    check(delta(n2, m2, ("POST", "/token", "200")) == 1, "auth-2 did not exchange the code")
    check(delta(n1, m1, ("POST", "/token", "200")) == 0, "auth-1 exchanged a code")
    check(delta(n2, m2, ("POST", "/authorize", "302")) == 0, "auth-2 took a login post")
    admin = tok["access_token"]
    log(f"form+login on auth-1, code exchanged on auth-2: ok (scope '{tok['scope']}')")

    # The token issued by auth-2 is good at the gateway and on every book instance.
    r = request(gw, "GET", "/userinfo", headers=bearer(admin))
    check(r.status == 200 and r.json().get("username") == admin_user, f"gateway /userinfo: {r.status}")
    for b in books:
        r = request(b, "GET", "/orders", headers=bearer(admin))
        check(r.status == 200, f"{b}/orders with the admin token answered {r.status}")

    # 2. Form from auth-2 (its CSRF token) posted to auth-1, code exchanged via the gateway.
    m1, m2 = n1, n2
    oauth_login(admin_user, admin_password, auth[1], auth[0], gw, gw)
    n1, n2 = metrics(auth[0]), metrics(auth[1])
    check(delta(n2, m2, ("GET", "/authorize", "200")) == 1, "auth-2 did not serve the form")
    check(delta(n1, m1, ("POST", "/authorize", "302")) == 1, "auth-1 did not take auth-2's form")
    log("form from auth-2 posted to auth-1, code exchanged through the gateway: ok")

    # 3. A customer registered and logged in through the gateway only.
    username = f"topo_{secrets.token_hex(4)}"
    password = "topology-" + secrets.token_urlsafe(9)
    r = request(gw, "POST", "/register", {"username": username, "password": password})
    check(r.status == 201, f"POST /register answered {r.status}: {r.body[:200]!r}")
    customer_id = r.json()["id"]
    m1, m2 = n1, n2
    ctok = oauth_login(username, password, gw, gw, gw, gw)
    n1, n2 = metrics(auth[0]), metrics(auth[1])
    served = {k: (delta(n1, m1, k), delta(n2, m2, k)) for k in
              [("GET", "/authorize", "200"), ("POST", "/authorize", "302"), ("POST", "/token", "200")]}
    check(all(sum(v) == 1 for v in served.values()), f"gateway flow counts: {served}")
    split = ", ".join(f"{k[0]} {k[1]} -> auth-{1 if v[0] else 2}" for k, v in served.items())
    log(f"customer '{username}' registered and logged in through the gateway ({split})")
    check(ctok["scope"] == "orders", f"customer scope {ctok['scope']}")
    # Refresh rotation through the gateway, then the new token works.
    r = request(gw, "POST", "/token", urllib.parse.urlencode({
        "grant_type": "refresh_token", "client_id": CLIENT_ID,
        "refresh_token": ctok["refresh_token"]}),
        {"Content-Type": "application/x-www-form-urlencoded"})
    check(r.status == 200, f"refresh through the gateway answered {r.status}")
    customer = r.json()["access_token"]
    r = request(gw, "GET", "/orders", headers=bearer(customer))
    check(r.status == 200, f"GET /orders as customer answered {r.status}")
    return admin, customer, customer_id


def phase_b(env, admin, customer, customer_id, initial=100, attempts=300):
    gw = env["GATEWAY_URL"]
    books = [f"http://127.0.0.1:{p}" for p in env["BOOK_PORTS"].split()]
    log(f"== B. {attempts} concurrent one-unit orders, stock {initial}, {len(books)} book instances")
    book_id = create_book(gw, admin, f"TOPO-B-{secrets.token_hex(3)}", initial, 5)
    before = [metrics(b) for b in books]
    results = [None] * attempts
    barrier = threading.Barrier(attempts)

    def worker(i):
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            pass
        results[i] = place_order(gw, customer, book_id)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(attempts)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    check(all(r is not None for r in results), "some order requests never finished")
    took = time.monotonic() - t0
    after = [metrics(b) for b in books]
    codes = [r["status"] for r in results]
    created, rejected = codes.count(201), codes.count(409)
    other = sorted(c for c in codes if c not in (201, 409))
    per = [(delta(a, b, ("POST", "/orders", "201")), delta(a, b, ("POST", "/orders", "409")))
           for a, b in zip(after, before)]
    final = stock(gw, book_id)
    db = db_orders_for_book(env, book_id)
    ids = {r["id"] for r in results if r["status"] == 201}
    lost = len(ids - set(db))
    log(f"attempted {attempts}  created {created}  rejected {rejected}  other {len(other)}  "
        f"lost {lost}  final stock {final}  orders in db {len(db)}  ({took:.1f} s)")
    log("per book instance (201/409): " + "  ".join(
        f"book-{i + 1} {c}/{r}" for i, (c, r) in enumerate(per)))
    check(not other, f"unexpected statuses {other[:10]}")
    check(created == initial and rejected == attempts - initial, "not exactly 100 x 201 / 200 x 409")
    check(final == 0, f"final stock {final}")
    check(len(db) == initial and sum(db.values()) == initial and lost == 0, "db orders mismatch")
    check(all(c + r > 0 for c, r in per), "an instance got no orders: not spread")
    check(sum(c for c, _ in per) == initial, "instance counters do not add up")
    r = request(gw, "GET", f"/orders?user_id={customer_id}&page_size=1", headers=bearer(admin))
    check(r.status == 200 and r.json()["total"] == initial, f"GET /orders total {r.body[:100]!r}")


def phase_c(env, admin, customer, initial=300, attempts=400, rate=100.0, workers=16,
            kill_at_s=1.0, victim="book-2", grace=1.0, cancel=5):
    gw = env["GATEWAY_URL"]
    log(f"== C. {attempts} orders paced at {rate:.0f}/s ({workers} workers), stock {initial}; "
        f"SIGKILL {victim} {kill_at_s:.1f} s in")
    book_id = create_book(gw, admin, f"TOPO-C-{secrets.token_hex(3)}", initial, 7)
    victim_pid = pid_of(env, victim)
    results = []
    lock = threading.Lock()
    next_i = [0]
    killed = {}
    t0 = time.monotonic() + 0.1

    def worker():
        while True:
            with lock:
                i = next_i[0]
                if i >= attempts:
                    return
                next_i[0] += 1
            wait = t0 + i / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            res = place_order(gw, customer, book_id)
            with lock:
                results.append(res)

    def killer():
        time.sleep(max(0.0, t0 + kill_at_s - time.monotonic()))
        os.kill(victim_pid, signal.SIGKILL)
        killed["at"] = time.monotonic()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    threads.append(threading.Thread(target=killer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    check(len(results) == attempts, f"only {len(results)} of {attempts} requests finished")
    check("at" in killed, "the victim was never killed")
    took = time.monotonic() - t0
    kill_at = killed["at"]
    killed["in_flight"] = sum(1 for r in results if r["start"] < kill_at < r["end"])
    codes = [r["status"] for r in results]
    created, rejected = codes.count(201), codes.count(409)
    errors = [r for r in results if r["status"] not in (201, 409)]
    five_xx = [r for r in errors if r["status"] >= 500]
    check(len(errors) == len(five_xx), "statuses other than 201/409/5xx: " +
          str(sorted({(r['status'], r['error']) for r in errors if r['status'] < 500})))
    late_errors = [r for r in five_xx if r["start"] > kill_at + grace]
    after_kill = [r for r in results if r["start"] > kill_at + grace]
    created_after = sum(1 for r in after_kill if r["status"] == 201)
    # The victim is really gone and the gateway kept answering without it.
    try:
        os.kill(victim_pid, 0)
        with open(f"/proc/{victim_pid}/stat") as f:
            check(f.read().split()[2] == "Z", f"{victim} still runs")
    except ProcessLookupError:
        pass

    # Customer cancels a few orders: their units go back to the stock.
    ids = [r["id"] for r in results if r["status"] == 201]
    check(all(i is not None for i in ids), "a 201 without an order id")
    for oid in ids[:cancel]:
        r = request(gw, "PUT", f"/orders/{oid}/status", {"status": "canceled"}, bearer(customer))
        check(r.status == 200, f"cancel {oid} answered {r.status}")
    # Every order answered 201 exists with its item (read back through the gateway).
    for oid in ids:
        r = request(gw, "GET", f"/orders/{oid}", headers=bearer(admin))
        check(r.status == 200, f"order {oid} answered 201 but GET gives {r.status}")
        items = r.json()["items"]
        check(len(items) == 1 and items[0]["book_id"] == book_id and items[0]["quantity"] == 1,
              f"order {oid} items {items}")
    final = stock(gw, book_id)
    db = db_orders_for_book(env, book_id)
    live_ids = set(ids[cancel:])
    lost = len(live_ids - set(db))
    unacknowledged = len(set(db) - live_ids)  # committed, but the client saw a 5xx
    units = sum(db.values())
    log(f"attempted {attempts}  created {created}  rejected {rejected}  5xx {len(five_xx)}  "
        f"lost {lost}  ({took:.1f} s)")
    log(f"killed {victim} (pid {victim_pid}) with {killed['in_flight']} client requests open; "
        f"5xx after kill+{grace:.0f}s: {len(late_errors)}; answered after kill+{grace:.0f}s: "
        f"{len(after_kill)} ({created_after} x 201)")
    log(f"canceled {cancel}; final stock {final} + ordered units {units} = {final + units} "
        f"(initial {initial}); committed but answered 5xx: {unacknowledged}")
    check(lost == 0, f"{lost} orders answered 201 are missing")
    check(final + units == initial, f"stock {final} + units {units} != {initial}")
    check(unacknowledged <= len(five_xx), "orders nobody was answered about beyond the 5xx count")
    check(not late_errors, f"{len(late_errors)} 5xx after the gateway should route around {victim}")
    check(len(after_kill) > 0, "no request was sent after the kill")
    check(created + unacknowledged <= initial, "more units sold than stock")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    env = load_env(sys.argv[1])
    admin, customer, customer_id = phase_a(env, sys.argv[2], sys.argv[3])
    phase_b(env, admin, customer, customer_id)
    phase_c(env, admin, customer)
    log("topology checks passed")


if __name__ == "__main__":
    main()

"""The client side of the scripts that drive `ordergate serve` with flow 1 (POST
/imshop/order-history) as bench/load/common.sh sets it up: bench/serve_instructions.sh
and scripts/build-pgo.sh. Imported by their inline Python (sys.path holds this folder)."""
import http.client
import json
import sys
import time

BODY = '{"userIdentifier":"2","page":1}'
HEADERS = {"Content-Type": "application/json", "Authorization": "Bearer bench-imshop-key"}


def wait_ready(port, seconds, what):
    """Waits until GET /readyz answers 200, at most `seconds`; exits naming `what` if not."""
    deadline = time.time() + seconds
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.time() > deadline:
            sys.exit(f"{what} did not become ready")
        time.sleep(0.2)


def connect(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def ask(conn):
    """One request on the keep-alive connection `conn`; its answer must be a history."""
    conn.request("POST", "/imshop/order-history", BODY, HEADERS)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200 or "orders" not in json.loads(data):
        sys.exit(f"unexpected answer {r.status}: {data[:200]!r}")

#!/usr/bin/env python3
"""Opens N slow clients (each sends half a request header, then nothing) to a running
gateway and, while they hang there, times 20 fast /healthz requests and 20 fast
order-history requests; prints the gateway's RSS before, during and after, and the
fast requests' statuses and median and maximum times (docs/reliability.md).
Usage: slow_clients.py PORT PID N IMSHOP_KEY   (the gateway on 127.0.0.1:PORT, pid PID,
its Webasyst a working vendor, e.g. ordergate-sandbox)"""
import json
import socket
import sys
import time
import urllib.error
import urllib.request


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def timed(port, key, path, body=None):
    started = time.monotonic()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body,
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
    try:
        status = urllib.request.urlopen(request, timeout=30).status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, (time.monotonic() - started) * 1000


def open_connections(port):
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30).read().decode()
    for line in body.splitlines():
        if line.startswith("ordergate_open_connections "):
            return line.split()[1]
    return "?"


def summary(samples):
    times = sorted(t for _, t in samples)
    return "statuses %s median %.1f ms max %.1f ms" % (
        sorted({s for s, _ in samples}), times[len(times) // 2], times[-1])


def main():
    port, pid, count, key = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    history = json.dumps({"userIdentifier": "2"}).encode()
    print("before: rss %d kB" % rss_kb(pid))
    slow = []
    started = time.monotonic()
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"POST /imshop/order-history HTTP/1.1\r\nHost: t\r\n")
        slow.append(s)
    print("opened %d slow clients in %.1f s; ordergate_open_connections %s" % (
        count, time.monotonic() - started, open_connections(port)))
    health = [timed(port, key, "/healthz") for _ in range(20)]
    orders = [timed(port, key, "/imshop/order-history", history) for _ in range(20)]
    print("during: rss %d kB; /healthz %s; order-history %s" % (
        rss_kb(pid), summary(health), summary(orders)))
    for s in slow:
        s.close()
    time.sleep(1)
    print("after they left: rss %d kB" % rss_kb(pid))


if __name__ == "__main__":
    main()

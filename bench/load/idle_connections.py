#!/usr/bin/env python3
"""Opens N keep-alive connections to a server, sends one request on each and keeps
them open and idle; prints the server's RSS (kB) before and after.
Usage: idle_connections.py HOST PORT PID N"""
import socket
import sys
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main():
    host, port, pid, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    before = rss_kb(pid)
    request = f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    sockets = []
    answered = 0
    for _ in range(count):
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(request)
        if s.recv(4096).startswith(b"HTTP/1.1 200"):
            answered += 1
        sockets.append(s)
    time.sleep(1)
    after = rss_kb(pid)
    still_open = 0
    for s in sockets:  # a closed connection reads as EOF at once
        s.setblocking(False)
        try:
            still_open += s.recv(1) != b""
        except BlockingIOError:
            still_open += 1
    print(f"connections={count} answered={answered} still_open={still_open} "
          f"rss_before_kb={before} rss_after_kb={after} "
          f"per_connection_bytes={(after - before) * 1024 // count}")
    for s in sockets:
        s.close()


if __name__ == "__main__":
    main()

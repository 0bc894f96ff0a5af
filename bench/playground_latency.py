#!/usr/bin/env python3
"""How quickly `ordergate playground` answers: page load, first answer, and each edit.

Starts `ordergate playground` on 127.0.0.1 (port 0) over a scratch copy of the mappings
and measures, for the history route's case all-orders-first-page (8 orders; the
recorded answer is 48 KB of JSON):

- page load: headless Chromium's navigation timing, from navigation start to the load
  event (the page, its script and style, and CodeMirror: ~450 KB, all from the binary);
- first answer: from navigation start to the first run shown (the page lists the
  mappings, opens the case, runs it and renders the answer, calls and diff);
- per keystroke in the page: one character typed into the mapping editor, from the key
  (the page's "playground-edit" mark) to the answer shown ("playground-answer"); this
  includes the page's 150 ms pause after typing, which is there on purpose;
- POST /api/run round trip alone, from Python over a kept-alive connection, with the
  mapping edited each time (the server's own elapsed_ms too): what one edit costs.

  bench/playground_latency.py BINARY [MAPPINGS] [--runs N] [--loads N]

Needs chromium, chromium-driver and python3-selenium (scripts/install-deps.sh).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

MAPPING = "imshop-order-history"
CASE = "all-orders-first-page"
CM = "document.querySelector('#mapping-editor .CodeMirror').CodeMirror"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(name, values):
    return "| %s | %d | %.1f | %.1f | %.1f |" % (
        name, len(values), statistics.median(values), percentile(values, 95), max(values))


def start_playground(binary, mappings):
    process = subprocess.Popen([binary, "playground", mappings, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        process.kill()
        sys.exit("the playground printed %r" % line)
    return process, int(match.group(1))


def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1600,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def page_numbers(driver, url, loads, keystrokes):
    load, first = [], []
    for _ in range(loads):
        driver.get("about:blank")
        driver.get(url + "#%s/%s" % (MAPPING, CASE))
        WebDriverWait(driver, 30, poll_frequency=0.01).until(
            lambda d: d.execute_script("return performance.getEntriesByName('playground-answer').length") > 0)
        timing = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return [n.loadEventEnd, performance.getEntriesByName('playground-answer')[0].startTime];")
        load.append(timing[0])
        first.append(timing[1])
    typed = []
    driver.execute_script("const cm = %s; const at = cm.getValue().indexOf('number(order.total)');"
                          "cm.focus(); cm.setCursor(cm.posFromIndex(at + 'number(order.total)'.length));" % CM)
    for i in range(keystrokes):
        driver.execute_script("performance.clearMarks();")
        driver.switch_to.active_element.send_keys(" " if i % 2 == 0 else Keys.BACKSPACE)
        WebDriverWait(driver, 30, poll_frequency=0.01).until(
            lambda d: d.execute_script(
                "return performance.getEntriesByName('playground-answer').length > 0"
                " && document.body.dataset.state === 'idle'"))
        marks = driver.execute_script(
            "return [performance.getEntriesByName('playground-edit').pop().startTime,"
            " performance.getEntriesByName('playground-answer').pop().startTime];")
        typed.append(marks[1] - marks[0])
    return load, first, typed


def api_numbers(port, runs):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/api/case?mapping=%s&case=%s" % (MAPPING, CASE))
    opened = json.loads(connection.getresponse().read())
    round_trips, server = [], []
    for i in range(runs):
        body = json.dumps({
            "mapping": MAPPING, "case": CASE, "file": opened["file"],
            # A different text each time, as typing makes it.
            "mapping_text": opened["mapping_text"] + " " * (i % 2),
            "parts": opened["parts"],
        })
        started = time.perf_counter()
        connection.request("POST", "/api/run", body, {"Content-Type": "application/json"})
        answer = json.loads(connection.getresponse().read())
        round_trips.append((time.perf_counter() - started) * 1000)
        server.append(answer["elapsed_ms"])
        if not answer["passed"]:
            sys.exit("the case does not pass: %s" % answer["differences"])
    return round_trips, server, len(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("mappings", nargs="?", default="mappings")
    parser.add_argument("--runs", type=int, default=200, help="POST /api/run round trips")
    parser.add_argument("--loads", type=int, default=10, help="page loads")
    parser.add_argument("--keystrokes", type=int, default=20)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="playground-bench-")
    copy = os.path.join(scratch, "mappings")
    shutil.copytree(args.mappings, copy)
    process, port = start_playground(os.path.abspath(args.binary), copy)
    try:
        round_trips, server, request_bytes = api_numbers(port, args.runs)
        driver = browser()
        try:
            load, first, typed = page_numbers(driver, "http://127.0.0.1:%d/" % port, args.loads,
                                              args.keystrokes)
        finally:
            driver.quit()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait()
        shutil.rmtree(scratch)

    print("%s/%s, POST /api/run body %d bytes" % (MAPPING, CASE, request_bytes))
    print()
    print("| measure | n | median ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    print(summary("page load (navigation start to load event)", load))
    print(summary("first answer shown (from navigation start)", first))
    print(summary("keystroke to answer shown (150 ms pause included)", typed))
    print(summary("POST /api/run round trip", round_trips))
    print(summary("POST /api/run, server side (elapsed_ms)", server))


if __name__ == "__main__":
    main()

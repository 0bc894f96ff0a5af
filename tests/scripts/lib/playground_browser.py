"""The playground in headless Chromium (Selenium), as a new user would use it.

Run by tests/scripts/playground_browser.sh against a playground serving a scratch copy
of the mappings. Every wait is on something the page shows (WebDriverWait polls it);
there is no fixed sleep. Exits 1 with what it waited for when a step fails.

  playground_browser.py --url URL --mappings DIR --binary ORDERGATE [--screenshot FILE]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import shutil

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

MAPPING = "imshop-order-history"
FILE = MAPPING + ".jsonc"
CASE = "all-orders-first-page"
SAVED = "made-in-the-browser"

# The mapping editor's CodeMirror instance, for reading text and placing the cursor.
CM = "document.querySelector('#mapping-editor .CodeMirror').CodeMirror"


def fail(message):
    print("playground_browser: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


class page:
    def __init__(self, driver):
        self.driver = driver

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def text(self, element_id):
        return self.driver.find_element(By.ID, element_id).text

    def until(self, what, condition, timeout=30):
        try:
            WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda _: condition())
        except TimeoutException:
            fail("waited %d s for %s; the page shows:\n  state: %s\n  verdict: %s\n  errors: %s\n  answer: %.300s"
                 % (timeout, what, self.state(), self.text("verdict"), self.error_texts(),
                    self.text("answer")))

    def state(self):
        return self.js("return document.body.dataset.state")

    def idle(self):
        return self.state() == "idle"

    def error_texts(self):
        return [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "#mapping-editor .error-message")]

    def marked_lines(self):
        return self.js("return " + CM + ".getValue().split('\\n').map((_, i) => i).filter(i => (" + CM +
                       ".lineInfo(i).bgClass || '').includes('error-line'))")

    def cursor_after(self, needle, offset):
        """Puts the mapping editor's cursor `offset` characters into the first `needle`."""
        found = self.js("const cm = " + CM + "; const at = cm.getValue().indexOf(arguments[0]);"
                        "if (at < 0) return false; cm.focus(); cm.setCursor(cm.posFromIndex(at + arguments[1]));"
                        "return true;", needle, offset)
        if not found:
            fail("the mapping has no '%s'" % needle)

    def type(self, keys):
        """Types into whatever has the focus (CodeMirror's input field), key by key."""
        self.driver.switch_to.active_element.send_keys(keys)


def check_line(binary, mappings, edited_text):
    """What `ordergate check` prints about the mapping edited as in the page."""
    scratch = tempfile.mkdtemp(prefix="playground-check-")
    try:
        copy = os.path.join(scratch, "mappings")
        shutil.copytree(mappings, copy)
        with open(os.path.join(copy, FILE), "w", encoding="utf-8") as f:
            f.write(edited_text)
        out = subprocess.run([binary, "check", copy], capture_output=True, text=True).stdout
    finally:
        shutil.rmtree(scratch)
    lines = [l for l in out.splitlines() if l.startswith(FILE + ":")]
    if len(lines) != 1:
        fail("ordergate check printed %r" % out)
    return lines[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--mappings", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--screenshot")
    args = parser.parse_args()

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1600,1000", "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        run(page(driver), args)
        # CSP violations and script errors land in the console.
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
                  and "/api/save" not in e["message"]]
        if severe:
            fail("the browser console has errors: %s" % severe)
    finally:
        driver.quit()
    print("playground_browser: ok")


def run(p, args):
    p.driver.get(args.url)
    p.until("the page to load the first case", lambda: p.idle() and p.text("verdict") != "")

    # Pick the history route and one of its cases.
    Select(p.driver.find_element(By.ID, "mapping")).select_by_value(MAPPING)
    p.until("the history route's file", lambda: p.text("mapping-file") == FILE and p.idle())
    Select(p.driver.find_element(By.ID, "case")).select_by_value(CASE)
    p.until("the case to pass", lambda: p.idle() and p.text("verdict") == "PASS"
            and p.js("return location.hash") == "#%s/%s" % (MAPPING, CASE))
    original = p.text("answer")
    if "3490" not in original:
        fail("the answer lacks order 1's price: %.300s" % original)
    calls = p.text("calls")
    if "shop.order.search?hash=search%2Fcontact_id%3D2" not in calls:
        fail("the rendered upstream request is not shown: %.300s" % calls)

    # Misspell a function: delete the 'b' of the first number( (the order's price).
    p.cursor_after("number(order.total)", 4)
    p.type(Keys.BACKSPACE)
    p.until("the misspelt function to be marked",
            lambda: p.idle() and any("unknown function 'numer'" in t for t in p.error_texts()))
    edited = p.js("return " + CM + ".getValue()")
    expected = check_line(args.binary, args.mappings, edited)
    if p.error_texts() != [expected]:
        fail("the page says %r where ordergate check says %r" % (p.error_texts(), expected))
    line = edited.split("\n").index(next(l for l in edited.split("\n") if "numer(order.total)" in l))
    if p.marked_lines() != [line]:
        fail("marked lines %r, the misspelt function is on line %d" % (p.marked_lines(), line + 1))
    if expected.split(":")[1] != str(line + 1):
        fail("ordergate check names line %s, the edit is on line %d" % (expected, line + 1))
    if p.text("verdict") != "" or "do not load" not in p.text("answer"):
        fail("with the mapping broken the page still shows an answer")

    # Fix it: the original answer comes back.
    p.type("b")
    p.until("the fixed mapping's answer", lambda: p.idle() and not p.error_texts()
            and p.text("verdict") == "PASS" and p.text("answer") == original)
    if p.marked_lines():
        fail("a line is still marked after the fix: %r" % p.marked_lines())

    # An edit that changes the answer: prices in kopecks.
    p.cursor_after("number(order.total)", len("number(order.total)"))
    p.type(" * 100")
    p.until("the answer with the price times 100",
            lambda: p.idle() and "349000" in p.text("answer") and p.text("verdict").startswith("FAIL ("))
    differences = p.text("differences")
    if "response body.orders[0].price:" not in differences or "+ actual   349000" not in differences:
        fail("the differences do not show the price: %.500s" % differences)
    diff = p.driver.find_elements(By.CSS_SELECTOR, "#diff .added")
    if not any("349000" in d.text for d in diff):
        fail("the diff view does not show the new price")
    if args.screenshot:
        p.driver.save_screenshot(args.screenshot)

    # Undo the edit: the case passes again.
    p.type(Keys.BACKSPACE * len(" * 100"))
    p.until("the original answer after undoing", lambda: p.idle() and p.text("verdict") == "PASS"
            and p.text("answer") == original)

    # A new case: another total in the recorded answer, its answer taken as expected, saved.
    p.driver.find_element(By.CSS_SELECTOR, "#tabs button[data-part='upstream']").click()
    changed = p.js("const cm = document.querySelector('#part-editor .CodeMirror').CodeMirror;"
                   "const text = cm.getValue(); const at = text.indexOf('\"3490.0000\"');"
                   "if (at < 0) return false;"
                   "cm.replaceRange('\"3500.0000\"', cm.posFromIndex(at), cm.posFromIndex(at + 11));"
                   "return true;")
    if not changed:
        fail("the recorded search answer has no total 3490.0000")
    p.until("the changed total to fail the case",
            lambda: p.idle() and p.text("verdict").startswith("FAIL (") and "3500" in p.text("answer"))
    p.driver.find_element(By.ID, "use-expected").click()
    p.until("the case to pass with its answer as expected",
            lambda: p.idle() and p.text("verdict") == "PASS" and "3500" in p.text("answer"))
    p.driver.find_element(By.ID, "save-name").send_keys(SAVED)
    p.driver.find_element(By.ID, "save").click()
    p.until("the case to be saved",
            lambda: p.js("return document.getElementById('save-result').dataset.status") == "201")
    if "ordergate test passes it" not in p.text("save-result"):
        fail("saved, but: %s" % p.text("save-result"))
    test = subprocess.run([args.binary, "test", args.mappings, "--only", MAPPING + "/" + SAVED],
                          capture_output=True, text=True)
    if test.returncode != 0 or ("PASS %s/%s" % (MAPPING, SAVED)) not in test.stdout:
        fail("ordergate test of the saved case: %s%s" % (test.stdout, test.stderr))
    if SAVED not in [o.get_attribute("value") for o in
                     Select(p.driver.find_element(By.ID, "case")).options]:
        fail("the saved case is not offered in the case chooser")

    # Saving again under the same name is refused.
    p.driver.find_element(By.ID, "save").click()
    p.until("the second save to be refused",
            lambda: p.js("return document.getElementById('save-result').dataset.status") == "409")
    if "exists already" not in p.text("save-result"):
        fail("the refusal does not say why: %s" % p.text("save-result"))


if __name__ == "__main__":
    main()

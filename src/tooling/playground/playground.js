// The playground's page: pick a mapping and a golden case, edit the mapping and the
// case's parts, and the answer, the upstream requests and the comparison with the
// expected answer follow ~150 ms after typing stops. Everything runs on the server
// (POST /api/run), with the production loader, compiler and route handler.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const json_mode = { name: "javascript", json: true };
  const route_parts = ["env", "request", "upstream", "expect"];
  const document_parts = ["env", "input", "expect"];

  const page = {
    files: [],
    entry: null,       // the chosen mapping: {mapping, file, kind, label, cases}
    case_name: null,
    docs: {},          // one CodeMirror document per part
    part: null,        // the part shown
    loading: false,    // documents are being filled: not an edit
    edits: 0,          // bumped by every edit; a run shows only if no edit came after it
    suggested: null,   // an "expect" part that the last run passes
    marks: [],         // error marks in the mapping editor, removed before each run shows
  };
  let mapping_editor = null;
  let part_editor = null;
  let timer = null;

  function set_state(state) {
    document.body.dataset.state = state;
    $("state").textContent = {
      loading: "Loading…",
      pending: "Edited…",
      running: "Running…",
      idle: "Up to date",
      failed: "The playground does not answer",
    }[state];
  }

  async function api(path, body) {
    const options = body === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    };
    const res = await fetch(path, options);
    return { status: res.status, data: await res.json() };
  }

  function element(tag, attributes, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fill_select(select, values, labels) {
    select.replaceChildren(...values.map((v, i) => element("option", { value: v }, labels ? labels[i] : v)));
  }

  function parts_of_kind() {
    return page.entry && page.entry.kind === "document" ? document_parts : route_parts;
  }

  // Editing ------------------------------------------------------------------------

  function edited() {
    if (page.loading) return;
    performance.mark("playground-edit");  // bench/playground_latency.py reads the marks
    page.edits += 1;
    set_state("pending");
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  }

  function show_part(part) {
    page.part = part;
    part_editor.swapDoc(page.docs[part]);
    for (const b of $("tabs").querySelectorAll("button")) {
      b.setAttribute("aria-selected", String(b.dataset.part === part));
    }
  }

  async function open_case(mapping, name) {
    set_state("loading");
    const { status, data } = await api(
      "/api/case?mapping=" + encodeURIComponent(mapping) + "&case=" + encodeURIComponent(name));
    if (status !== 200) {
      $("answer").textContent = data.message + "\n" + (data.case_errors || []).map((e) => e.text).join("\n");
      set_state("idle");
      return;
    }
    page.entry = page.files.find((f) => f.mapping === mapping);
    page.case_name = name;
    page.loading = true;
    mapping_editor.setValue(data.mapping_text);
    mapping_editor.clearHistory();
    page.docs = {};
    for (const part of parts_of_kind()) {
      page.docs[part] = CodeMirror.Doc(data.parts[part] || "", json_mode);
      CodeMirror.on(page.docs[part], "change", edited);
    }
    for (const b of $("tabs").querySelectorAll("button")) b.hidden = !page.docs[b.dataset.part];
    show_part(page.entry.kind === "document" ? "input" : "request");
    page.loading = false;
    $("mapping-file").textContent = data.file;
    $("mapping-label").textContent = data.label;
    $("description").textContent = data.description;
    $("defaults").textContent = data.defaults || "(none)";
    $("defaults-box").hidden = !data.defaults;
    $("save-result").textContent = "";
    history.replaceState(null, "", "#" + mapping + "/" + name);
    page.edits += 1;
    run();
  }

  // Running ------------------------------------------------------------------------

  async function run() {
    clearTimeout(timer);
    const edit = page.edits;
    set_state("running");
    const parts = {};
    for (const [part, doc] of Object.entries(page.docs)) parts[part] = doc.getValue();
    let result;
    try {
      result = await api("/api/run", {
        mapping: page.entry.mapping,
        case: page.case_name,
        file: page.entry.file,
        mapping_text: mapping_editor.getValue(),
        parts,
      });
    } catch (e) {
      if (edit === page.edits) set_state("failed");
      return;
    }
    // A newer edit has its own run coming: this one must neither show nor mark the page idle.
    if (edit !== page.edits) return;
    show_run(result.status === 200 ? result.data : { load_errors: [], case_errors: [{ text: result.data.message, part: "" }] });
    document.body.dataset.runs = String(Number(document.body.dataset.runs) + 1);
    performance.mark("playground-answer");
    set_state("idle");
  }

  function clear_marks() {
    for (const clear of page.marks) clear();
    page.marks = [];
  }

  function mark_error(e) {
    const line = e.line - 1;
    const cm = mapping_editor;
    if (line < 0 || line >= cm.lineCount()) return false;
    cm.addLineClass(line, "background", "error-line");
    const ch = Math.max(0, e.column - 1);
    const mark = cm.markText({ line, ch }, { line, ch: Math.min(ch + 1, cm.getLine(line).length) },
      { className: "error-mark" });
    const widget = cm.addLineWidget(line, element("div", { class: "error-message" }, e.text));
    page.marks.push(() => {
      cm.removeLineClass(line, "background", "error-line");
      mark.clear();
      widget.clear();
    });
    return true;
  }

  function show_errors(data) {
    clear_marks();
    const others = [];
    for (const e of data.load_errors) {
      if (e.file !== page.entry.file || !mark_error(e)) others.push(e.text);
    }
    $("other-errors").replaceChildren(...others.map((t) => element("li", {}, t)));
    $("case-errors").replaceChildren(
      ...data.case_errors.map((e) => element("li", { "data-part": e.part }, e.text)));
    for (const b of $("tabs").querySelectorAll("button")) {
      b.classList.toggle("has-error", data.case_errors.some((e) => e.part === b.dataset.part ||
        (b.dataset.part === "input" && e.part === "input_text")));
    }
  }

  function message_text(m) {
    const headers = (m.headers || []).map(([n, v]) => n + ": " + v).join("\n");
    return [m.status !== undefined ? String(m.status) : "", headers, m.body]
      .filter((s) => s !== "").join("\n");
  }

  function show_run(data) {
    show_errors(data);
    $("elapsed").textContent = data.elapsed_ms !== undefined ? data.elapsed_ms + " ms" : "";
    const answered = data.answer !== undefined;
    $("answer").classList.toggle("stale", !answered);
    if (answered) {
      $("answer").textContent = message_text(data.answer);
    } else if (data.load_errors.length) {
      $("answer").textContent = "(no answer: the mappings do not load)";
    } else {
      $("answer").textContent = "(no answer: the case has errors)";
    }
    $("calls").replaceChildren(...(data.calls || []).map((c) => {
      const div = element("div", { class: "call" });
      div.append(element("h3", {}, c.step + ": " + c.method + " " + c.url),
        element("pre", {}, message_text({ headers: c.headers, body: c.body })));
      return div;
    }));
    const verdict = $("verdict");
    const differences = data.differences || [];
    verdict.className = answered ? (data.passed ? "pass" : "fail") : "";
    verdict.textContent = !answered ? "" : data.passed ? "PASS" : "FAIL (" + differences.length + ")";
    $("differences").replaceChildren(...differences.map((d) => element("li", {}, d)));
    show_diff(answered && data.expected ? data.expected.body : null, answered ? data.answer.body : null);
    page.suggested = data.suggested_expect || null;
    $("use-expected").disabled = !page.suggested;
  }

  // Lines of the expected body against the actual one (a longest common subsequence).
  function show_diff(expected, actual) {
    const diff = $("diff");
    if (expected === null || actual === null) {
      diff.replaceChildren();
      return;
    }
    const a = expected.split("\n");
    const b = actual.split("\n");
    if (a.length * b.length > 4e6) {
      diff.textContent = "(too long to compare line by line)";
      return;
    }
    const n = a.length, m = b.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    const lines = [];
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) {
        lines.push(element("span", {}, "  " + a[i] + "\n")); i++; j++;
      } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        lines.push(element("span", { class: "added" }, "+ " + b[j] + "\n")); j++;
      } else {
        lines.push(element("span", { class: "removed" }, "- " + a[i] + "\n")); i++;
      }
    }
    diff.replaceChildren(...lines);
  }

  // Buttons ------------------------------------------------------------------------

  function use_as_expected() {
    if (!page.suggested || !page.docs.expect) return;
    page.docs.expect.setValue(page.suggested);
    show_part("expect");
  }

  async function save() {
    const name = $("save-name").value.trim();
    const parts = {};
    for (const [part, doc] of Object.entries(page.docs)) parts[part] = doc.getValue();
    const result = $("save-result");
    result.textContent = "Saving…";
    delete result.dataset.status;
    const { status, data } = await api("/api/save",
      { mapping: page.entry.mapping, case: page.case_name, name, parts });
    if (status === 201) {
      result.textContent = "Saved " + data.saved + (data.passes
        ? ": ordergate test passes it."
        : ": ordergate test does not pass it (the mapping on disk is not the one edited here?)\n" + data.report);
      const files = await api("/api/files");
      page.files = files.data.mappings;
      page.entry = page.files.find((f) => f.mapping === page.entry.mapping) || page.entry;
      fill_select($("case"), page.entry.cases);
      $("case").value = page.case_name;
    } else {
      result.textContent = status + ": " + data.message +
        (data.case_errors || []).map((e) => "\n" + e.text).join("");
    }
    result.dataset.status = String(status);
  }

  // Start --------------------------------------------------------------------------

  function choose_mapping(mapping, name) {
    const entry = page.files.find((f) => f.mapping === mapping) || page.files[0];
    $("mapping").value = entry.mapping;
    fill_select($("case"), entry.cases);
    const chosen = entry.cases.includes(name) ? name : entry.cases[0];
    $("case").value = chosen;
    open_case(entry.mapping, chosen);
  }

  async function start() {
    const options = { mode: json_mode, lineNumbers: true, matchBrackets: true, tabSize: 2 };
    mapping_editor = CodeMirror($("mapping-editor"), options);
    mapping_editor.on("change", edited);
    part_editor = CodeMirror($("part-editor"), options);
    for (const b of $("tabs").querySelectorAll("button")) {
      b.addEventListener("click", () => show_part(b.dataset.part));
    }
    $("use-expected").addEventListener("click", use_as_expected);
    $("save").addEventListener("click", save);
    $("mapping").addEventListener("change", () => choose_mapping($("mapping").value));
    $("case").addEventListener("change", () => open_case(page.entry.mapping, $("case").value));
    const { data } = await api("/api/files");
    page.files = data.mappings;
    if (!page.files.length) {
      $("answer").textContent = "No mapping of this folder has golden cases (tests/<mapping>/<case>/case.jsonc).";
      set_state("idle");
      return;
    }
    fill_select($("mapping"), page.files.map((f) => f.mapping), page.files.map((f) => f.label));
    const [mapping, name] = decodeURIComponent(location.hash.slice(1)).split("/");
    choose_mapping(mapping, name);
  }

  start().catch(() => set_state("failed"));
})();

// The review page's behaviour: filters, navigation, editing, approving, and the download.
// Post text reaches the DOM only as text nodes (textContent, cloned nodes): never as HTML.
(() => {
  "use strict";
  const body = document.body;
  const rows = Array.from(document.querySelectorAll(".row"));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const storageKey = "hugo-translate-review:" + body.dataset.page;
  // Row id -> {segments, text} of an edit; the set of approved row ids.
  const edits = new Map();
  const approvals = new Set();
  // Row id -> the translation's text element as generated, to cancel an edit with.
  const originals = new Map();
  const timings = { filterMs: [] };
  let current = null;

  // --- filters ---------------------------------------------------------------------------
  const filterButtons = Array.from(document.querySelectorAll(".filters button"));

  function setFilter(name) {
    const start = performance.now();
    body.dataset.filter = name;
    for (const button of filterButtons) {
      button.setAttribute("aria-pressed", String(button.dataset.filter === name));
    }
    void body.offsetHeight; // style and layout now, so the time measured is the whole of it
    timings.filterMs.push(performance.now() - start);
    if (current && !shown(current)) setCurrent(null);
  }

  function shown(element) {
    const filter = body.dataset.filter;
    if (filter === "all") return true;
    return element.classList.contains("f-" + filter) ||
      (element.classList.contains("post-head") && element.parentElement.classList.contains("f-" + filter));
  }

  for (const button of filterButtons) {
    button.addEventListener("click", () => setFilter(button.dataset.filter));
  }

  // --- navigation ------------------------------------------------------------------------
  function setCurrent(element, scroll = true) {
    if (current) current.classList.remove("current");
    current = element;
    if (!element) return;
    element.classList.add("current");
    element.focus({ preventScroll: true });
    if (scroll) element.scrollIntoView({ block: "center" });
  }

  function step(candidates, forward) {
    const visible = candidates.filter(shown);
    if (!visible.length) return;
    const all = Array.from(document.querySelectorAll(".row, .post-head"));
    const at = current ? all.indexOf(current) : -1;
    const order = (element) => all.indexOf(element);
    const next = forward
      ? visible.find((element) => order(element) > at) || visible[0]
      : [...visible].reverse().find((element) => order(element) < at) || visible[visible.length - 1];
    setCurrent(next);
  }

  const findingTargets = () =>
    Array.from(document.querySelectorAll(".row.f-findings, .post-head.f-findings"));
  document.getElementById("next-finding").addEventListener("click", () => step(findingTargets(), true));
  document.getElementById("prev-finding").addEventListener("click", () => step(findingTargets(), false));
  document.addEventListener("click", (event) => {
    const row = event.target.closest(".row");
    if (row && row !== current) setCurrent(row, false);
  });

  // --- editing ---------------------------------------------------------------------------
  const textOf = (row) => row.querySelector(".tgt .text");
  const protectedOf = (element) => Array.from(element.querySelectorAll(".p"), (span) => span.textContent);

  // The Markdown a translation cell holds: its text, protected spans as they are.
  function serialize(element) {
    let out = "";
    for (const node of element.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        out += node.nodeValue;
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.classList.contains("p")) out += node.textContent;
        else if (node.tagName === "BR") out += "\n";
        else {
          // A browser may wrap a typed line in a <div>: it is a line of its own.
          if (/^(DIV|P)$/.test(node.tagName) && out && !out.endsWith("\n")) out += "\n";
          out += serialize(node);
        }
      }
    }
    return out;
  }

  // An edit as the page keeps it: text runs and references to the original protected spans.
  function segments(element) {
    const originalSpans = Array.from(originals.get(element.closest(".row").id).querySelectorAll(".p"));
    const out = [];
    for (const node of element.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.classList.contains("p")) {
        const index = originalSpans.findIndex((span, i) => span.textContent === node.textContent &&
          !out.some((segment) => segment.p === i));
        if (index >= 0) { out.push({ p: index }); continue; }
      }
      const text = node.nodeType === Node.TEXT_NODE ? node.nodeValue : serialize({ childNodes: [node] });
      if (out.length && typeof out[out.length - 1].t === "string") out[out.length - 1].t += text;
      else out.push({ t: text });
    }
    return out;
  }

  function rebuild(row, parts) {
    const element = textOf(row);
    const spans = Array.from(originals.get(row.id).querySelectorAll(".p"));
    element.replaceChildren(...parts.map((part) =>
      typeof part.t === "string" ? document.createTextNode(part.t) : spans[part.p].cloneNode(true)));
  }

  function remember(row) {
    if (!originals.has(row.id)) originals.set(row.id, textOf(row).cloneNode(true));
  }

  function startEdit(row) {
    if (!row || row.classList.contains("locked") || row.classList.contains("editing")) return;
    remember(row);
    const element = textOf(row);
    element.contentEditable = "plaintext-only";
    if (element.contentEditable !== "plaintext-only") element.contentEditable = "true";
    element.spellcheck = true;
    row.classList.add("editing");
    problem(row, "");
    setCurrent(row, false);
    element.focus();
  }

  function stopEditing(row) {
    textOf(row).removeAttribute("contenteditable");
    row.classList.remove("editing");
    row.focus({ preventScroll: true });
  }

  function cancelEdit(row) {
    const saved = edits.get(row.id);
    if (saved) rebuild(row, saved.segments);
    else textOf(row).replaceChildren(...originals.get(row.id).cloneNode(true).childNodes);
    problem(row, "");
    stopEditing(row);
  }

  function saveEdit(row) {
    const element = textOf(row);
    const original = originals.get(row.id);
    let text = serialize(element);
    const before = serialize(original);
    if (text.endsWith("\n") && !before.endsWith("\n")) text = text.replace(/\n+$/, "");
    const lost = missing(protectedOf(original), protectedOf(element));
    if (lost.length) {
      problem(row, "Protected text was removed: " + lost.join(" ") + " — Escape restores the block.");
      return;
    }
    if (!text.trim()) {
      problem(row, "The translation cannot be empty — Escape restores the block.");
      return;
    }
    problem(row, "");
    if (text === before) {
      edits.delete(row.id);
      row.classList.remove("edited");
    } else {
      edits.set(row.id, { text, segments: segments(element) });
      row.classList.add("edited");
      approvals.delete(row.id);
      row.classList.remove("approved-here");
    }
    stopEditing(row);
    changed();
  }

  function missing(expected, found) {
    const left = [...found];
    const lost = [];
    for (const item of expected) {
      const at = left.indexOf(item);
      if (at >= 0) left.splice(at, 1);
      else lost.push(item);
    }
    return lost;
  }

  function problem(row, message) {
    const element = row.querySelector(".problem");
    if (element) element.textContent = message;
  }

  function toggleApproval(row) {
    if (!row || !row.querySelector(".approve") || row.classList.contains("editing")) return;
    if (edits.has(row.id)) {
      problem(row, "This block is edited: an edit is a review of its own.");
      return;
    }
    if (approvals.has(row.id)) approvals.delete(row.id);
    else approvals.add(row.id);
    row.classList.toggle("approved-here", approvals.has(row.id));
    changed();
  }

  for (const row of rows) {
    const on = (name, action) => {
      const button = row.querySelector("." + name);
      if (button) button.addEventListener("click", () => action(row));
    };
    on("edit", startEdit);
    on("save", saveEdit);
    on("cancel", cancelEdit);
    on("approve", toggleApproval);
  }

  // --- the review file -------------------------------------------------------------------
  const pending = document.getElementById("pending");
  const download = document.getElementById("download");

  function changed() {
    const e = edits.size, a = approvals.size;
    pending.textContent = e || a
      ? `${e} edit${e === 1 ? "" : "s"}, ${a} approval${a === 1 ? "" : "s"}`
      : "No edits yet";
    download.disabled = !(e || a);
    try {
      localStorage.setItem(storageKey, JSON.stringify({
        edits: Array.from(edits, ([id, edit]) => [id, edit.segments]),
        approvals: Array.from(approvals),
      }));
    } catch (error) { /* storage unavailable (a file: page in some browsers): nothing kept */ }
  }

  function item(row, action) {
    const post = row.closest(".post");
    return {
      post: post.dataset.post,
      target: post.dataset.target,
      language: post.dataset.lang,
      block: row.dataset.key,
      line: Number(row.dataset.line) || null,
      source_hash: row.dataset.sh,
      target_hash: row.dataset.th,
      action,
    };
  }

  function review() {
    const items = [];
    for (const row of rows) {
      if (edits.has(row.id)) items.push({ ...item(row, "edit"), text: edits.get(row.id).text });
      else if (approvals.has(row.id)) items.push(item(row, "approve"));
    }
    return {
      format: "hugo-translate/review/1",
      page: body.dataset.page,
      site: body.dataset.site,
      created: new Date().toISOString(),
      items,
    };
  }

  download.addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(review(), null, 2) + "\n"], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    const day = new Date().toISOString().slice(0, 10);
    link.download = `review-${body.dataset.site || "site"}-${day}.json`.replace(/[^\w.-]+/g, "-");
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  });

  function restore() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (error) { saved = null; }
    if (!saved) return;
    for (const [id, parts] of saved.edits || []) {
      const row = byId.get(id);
      if (!row || row.classList.contains("locked")) continue;
      remember(row);
      rebuild(row, parts);
      edits.set(id, { text: serialize(textOf(row)), segments: parts });
      row.classList.add("edited");
    }
    for (const id of saved.approvals || []) {
      const row = byId.get(id);
      if (row && row.querySelector(".approve") && !edits.has(id)) {
        approvals.add(id);
        row.classList.add("approved-here");
      }
    }
    changed();
  }

  // --- keys ------------------------------------------------------------------------------
  const keys = document.getElementById("keys");
  const keysToggle = document.getElementById("keys-toggle");
  function toggleKeys() {
    keys.hidden = !keys.hidden;
    keysToggle.setAttribute("aria-expanded", String(!keys.hidden));
  }
  keysToggle.addEventListener("click", toggleKeys);

  document.addEventListener("keydown", (event) => {
    const editing = event.target.closest && event.target.closest(".editing");
    if (editing) {
      if (event.key === "Escape") { event.preventDefault(); cancelEdit(editing); }
      else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); saveEdit(editing); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
    const row = current && current.classList.contains("row") ? current : null;
    const actions = {
      j: () => step(rows, true),
      k: () => step(rows, false),
      n: () => step(findingTargets(), true),
      p: () => step(findingTargets(), false),
      e: () => startEdit(row),
      a: () => toggleApproval(row),
      d: () => { if (!download.disabled) download.click(); },
      "?": toggleKeys,
      "1": () => setFilter("review"),
      "2": () => setFilter("findings"),
      "3": () => setFilter("changed"),
      "4": () => setFilter("all"),
      Escape: () => { if (!keys.hidden) toggleKeys(); },
    };
    const action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  restore();
  // For tests and the benchmark: what the page did, and how long it took.
  window.hugoTranslateReview = {
    timings,
    readyMs: performance.now(),
    review,
    setFilter,
  };
  requestAnimationFrame(() => { timings.firstFrameMs = performance.now(); });
})();

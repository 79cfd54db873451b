// The review page's behaviour: filters, navigation, editing, approving, and the download.
// Post text reaches the DOM only as text nodes (textContent, cloned nodes): never as HTML.
// Listeners sit on the document, not on each of thousands of rows, so the page is ready at
// once; a row's Save and Cancel buttons are made when it is first edited.
(() => {
  "use strict";
  const body = document.body;
  const storageKey = "hugo-translate-review:" + body.dataset.page;
  const edits = new Map(); // row id -> {text, segments}
  const approvals = new Set(); // row ids
  const originals = new Map(); // row id -> the translation's text element as generated
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
    const owner = element.classList.contains("post-head") ? element.parentElement : element;
    return owner.classList.contains("f-" + filter);
  }

  // --- navigation ------------------------------------------------------------------------
  function setCurrent(element, scroll = true) {
    if (current) current.classList.remove("current");
    current = element;
    if (!element) return;
    element.classList.add("current");
    element.tabIndex = -1;
    element.focus({ preventScroll: true });
    if (scroll) element.scrollIntoView({ block: "center" });
  }

  // The next (or previous) element of `selector` after the current one, among those shown.
  function step(selector, forward) {
    const all = Array.from(document.querySelectorAll(".row, .post-head"));
    const at = current ? all.indexOf(current) : -1;
    const candidates = all.filter((element) => element.matches(selector) && shown(element));
    if (!candidates.length) return;
    const order = (element) => all.indexOf(element);
    const next = forward
      ? candidates.find((element) => order(element) > at) || candidates[0]
      : [...candidates].reverse().find((element) => order(element) < at) ||
        candidates[candidates.length - 1];
    setCurrent(next);
  }
  const FINDINGS = ".row.f-findings, .post-head.f-findings";

  // --- editing ---------------------------------------------------------------------------
  const textOf = (row) => row.querySelector(".tgt .text");
  const protectedOf = (element) =>
    Array.from(element.querySelectorAll(".p"), (span) => span.textContent);

  // The Markdown a translation cell holds: its text, protected spans as they are.
  function serialize(nodes) {
    let out = "";
    for (const node of nodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        out += node.nodeValue;
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.classList.contains("p")) out += node.textContent;
        else if (node.tagName === "BR") out += "\n";
        else {
          // A browser may wrap a typed line in a <div>: it is a line of its own.
          if (/^(DIV|P)$/.test(node.tagName) && out && !out.endsWith("\n")) out += "\n";
          out += serialize(node.childNodes);
        }
      }
    }
    return out;
  }

  // An edit as the page keeps it: text runs, and the original protected spans by position.
  function segments(row) {
    const spans = Array.from(originals.get(row.id).querySelectorAll(".p"));
    const used = new Set();
    const out = [];
    for (const node of textOf(row).childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.classList.contains("p")) {
        const index = spans.findIndex((span, i) => !used.has(i) && span.textContent === node.textContent);
        if (index >= 0) {
          used.add(index);
          out.push({ p: index });
          continue;
        }
      }
      const text = serialize([node]);
      if (out.length && typeof out[out.length - 1].t === "string") out[out.length - 1].t += text;
      else out.push({ t: text });
    }
    return out;
  }

  function rebuild(row, parts) {
    const spans = Array.from(originals.get(row.id).querySelectorAll(".p"));
    textOf(row).replaceChildren(...parts.map((part) =>
      typeof part.t === "string" ? document.createTextNode(part.t) : spans[part.p].cloneNode(true)));
  }

  function remember(row) {
    if (!originals.has(row.id)) originals.set(row.id, textOf(row).cloneNode(true));
  }

  function controls(row) {
    const actions = row.querySelector(".actions");
    if (!actions.querySelector(".save")) {
      const make = (tag, name, label) => {
        const element = document.createElement(tag);
        element.className = name;
        if (label) element.textContent = label;
        return element;
      };
      const save = make("button", "save", "Save");
      save.title = "Ctrl+Enter";
      const cancel = make("button", "cancel", "Cancel");
      cancel.title = "Escape";
      const problem = make("p", "problem");
      problem.setAttribute("role", "alert");
      actions.append(save, cancel, make("span", "mark"), problem);
    }
    return actions;
  }

  function startEdit(row) {
    if (!row || !row.querySelector(".edit") || row.classList.contains("editing")) return;
    remember(row);
    controls(row);
    const element = textOf(row);
    for (const span of element.querySelectorAll(".p")) span.contentEditable = "false";
    element.contentEditable = "plaintext-only";
    if (element.contentEditable !== "plaintext-only") element.contentEditable = "true";
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
    const before = serialize(original.childNodes);
    let text = serialize(element.childNodes);
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
      edits.set(row.id, { text, segments: segments(row) });
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
    controls(row);
    if (edits.has(row.id)) {
      problem(row, "This block is edited: an edit is a review of its own.");
      return;
    }
    if (approvals.has(row.id)) approvals.delete(row.id);
    else approvals.add(row.id);
    row.classList.toggle("approved-here", approvals.has(row.id));
    changed();
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
    } catch (error) { /* storage unavailable: the edits live as long as the page */ }
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
    for (const row of document.querySelectorAll(".row.edited, .row.approved-here")) {
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

  function save() {
    const blob = new Blob([JSON.stringify(review(), null, 2) + "\n"], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    const day = new Date().toISOString().slice(0, 10);
    link.download = `review-${body.dataset.site || "site"}-${day}.json`.replace(/[^\w.-]+/g, "-");
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function restore() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (error) { saved = null; }
    if (!saved) return;
    for (const [id, parts] of saved.edits || []) {
      const row = document.getElementById(id);
      if (!row || !row.querySelector(".edit")) continue;
      remember(row);
      controls(row);
      rebuild(row, parts);
      edits.set(id, { text: serialize(textOf(row).childNodes), segments: parts });
      row.classList.add("edited");
    }
    for (const id of saved.approvals || []) {
      const row = document.getElementById(id);
      if (row && row.querySelector(".approve") && !edits.has(id)) {
        controls(row);
        approvals.add(id);
        row.classList.add("approved-here");
      }
    }
    changed();
  }

  // --- clicks and keys -------------------------------------------------------------------
  const keys = document.getElementById("keys");
  const keysToggle = document.getElementById("keys-toggle");
  function toggleKeys() {
    keys.hidden = !keys.hidden;
    keysToggle.setAttribute("aria-expanded", String(!keys.hidden));
  }

  const buttons = {
    edit: startEdit, save: saveEdit, cancel: cancelEdit, approve: toggleApproval,
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button && button.dataset.filter) return setFilter(button.dataset.filter);
    if (button && button.id === "next-finding") return step(FINDINGS, true);
    if (button && button.id === "prev-finding") return step(FINDINGS, false);
    if (button && button.id === "download") return save();
    if (button && button.id === "keys-toggle") return toggleKeys();
    const row = event.target.closest(".row");
    if (!row) return;
    if (row !== current) setCurrent(row, false);
    const action = button && buttons[button.className];
    if (action) action(row);
  });

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
      j: () => step(".row", true),
      k: () => step(".row", false),
      n: () => step(FINDINGS, true),
      p: () => step(FINDINGS, false),
      e: () => startEdit(row),
      a: () => toggleApproval(row),
      d: () => { if (!download.disabled) save(); },
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
  window.hugoTranslateReview = { timings, readyMs: performance.now(), review, setFilter };
  requestAnimationFrame(() => { timings.firstFrameMs = performance.now(); });
})();

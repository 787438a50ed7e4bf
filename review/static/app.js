// newsmon review: keyboard shortcuts and in-place decisions. Plain script, no inline handlers
// (the Content-Security-Policy forbids them). Text from the server is only ever set with
// textContent, never parsed as HTML.
(function () {
  "use strict";

  const page = document.body.dataset.page || "";
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const csrfToken = () => ($('meta[name="csrf-token"]') || {}).content || "";
  const isField = (el) =>
    !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  // A field in a dialog that has just closed can keep the focus until the browser's next
  // layout pass (Chromium clears it lazily); keys pressed then belong to the page, not to it.
  const inClosedDialog = (el) => !!el && !!el.closest && !!el.closest("dialog:not([open])");

  // --- small helpers -------------------------------------------------------------------------
  let toastTimer = null;
  function toast(message, kind) {
    let box = $("#toast");
    if (!box) {
      box = document.createElement("div");
      box.id = "toast";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.className = "show " + (kind || "");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.className = ""; }, kind === "error" ? 9000 : 3000);
  }

  async function post(url, fields) {
    const body = new FormData();
    body.append("csrf_token", csrfToken());
    Object.entries(fields).forEach(([key, value]) => body.append(key, value == null ? "" : value));
    const response = await fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { error: "unexpected answer (" + response.status + ")" }; }
    if (response.status === 401) { window.location.reload(); }
    return { ok: response.ok, status: response.status, data };
  }

  const openDialog = () => $("dialog[open]");

  function showHelp() {
    const help = $("#help-dialog");
    if (help && !help.open) help.showModal();
  }

  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[data-action]");
    if (!trigger) return;
    const action = trigger.dataset.action;
    if (action === "help") showHelp();
    if (action === "close-dialog") trigger.closest("dialog").close();
    if (action === "reject") {
      event.preventDefault();
      openReject(trigger.dataset.url, trigger.dataset.version, trigger.dataset.label, null);
    }
  });

  $$("form[data-autosubmit] select, form[data-autosubmit] input[type=radio]").forEach((input) =>
    input.addEventListener("change", () => input.form.submit()));

  // --- the inbox's bulk decisions: tick rows, then accept or reject the ticked ones ------------
  const bulkAll = $("#bulk-all");
  const bulkBoxes = $$("input.bulk-pick");
  const bulkCount = $("#bulk-count");
  const countTicked = () => {
    const ticked = bulkBoxes.filter((box) => box.checked).length;
    if (bulkCount) bulkCount.textContent = `${ticked} selected`;
    if (bulkAll) bulkAll.checked = ticked > 0 && ticked === bulkBoxes.length;
  };
  bulkBoxes.forEach((box) => box.addEventListener("change", countTicked));
  if (bulkAll) bulkAll.addEventListener("change", () => {
    bulkBoxes.forEach((box) => { box.checked = bulkAll.checked; });
    countTicked();
  });

  // --- the reject dialog (inbox and event page) ---------------------------------------------
  const rejectDialog = $("#reject-dialog");
  const rejectForm = $("#reject-form");
  const reasonInput = $("#reject-reason");
  let rejectDone = null;

  function openReject(url, version, label, onDone) {
    if (!rejectDialog) return;
    rejectForm.action = url;
    rejectForm.elements.version.value = version;
    $("#reject-target").textContent = label || "";
    reasonInput.value = "";
    $$('input[name="reason_preset"]', rejectForm).forEach((radio) => { radio.checked = false; });
    rejectDone = onDone;
    rejectDialog.showModal();
    reasonInput.focus();
  }

  if (rejectDialog) {
    const presets = $$('input[name="reason_preset"]', rejectForm);
    presets.forEach((radio) => radio.addEventListener("change", () => { reasonInput.value = radio.value; reasonInput.focus(); }));
    rejectDialog.addEventListener("keydown", (event) => {
      const digit = Number(event.key);
      if (digit >= 1 && digit <= presets.length && !event.ctrlKey && !event.altKey && reasonInput.value === "") {
        event.preventDefault();
        presets[digit - 1].checked = true;
        reasonInput.value = presets[digit - 1].value;
      }
    });
    rejectForm.addEventListener("submit", async (event) => {
      if (!reasonInput.value.trim()) {
        event.preventDefault();
        reasonInput.setCustomValidity("Give a reason: press 1–" + presets.length + " or type one");
        reasonInput.reportValidity();
        reasonInput.setCustomValidity("");
        return;
      }
      if (!rejectDone) return; // event page: a normal POST that goes on to the next event
      event.preventDefault();
      const done = rejectDone;
      rejectDone = null;
      rejectDialog.close();
      await done(reasonInput.value.trim());
    });
    rejectDialog.addEventListener("close", () => { rejectDone = null; });
  }

  // --- global keys ---------------------------------------------------------------------------
  const handlers = {};

  document.addEventListener("keydown", (event) => {
    let target = event.target;
    if (inClosedDialog(target)) { target.blur(); target = document.body; }
    if (event.key === "Escape" && isField(document.activeElement) && !openDialog()) {
      document.activeElement.blur();
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && isField(document.activeElement)) {
      const form = document.activeElement.form;
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (isField(target) || openDialog()) return;
    if (event.key === "Enter" && target !== document.body) return; // a focused link or button
    if (event.key === "?") { event.preventDefault(); showHelp(); return; }
    const handler = handlers[event.key];
    if (handler) { event.preventDefault(); handler(event); }
  });

  // --- inbox ---------------------------------------------------------------------------------
  if (page === "inbox") {
    const rows = $$("tr.ev");
    let index = -1;

    function select(i) {
      if (!rows.length) return;
      i = Math.max(0, Math.min(rows.length - 1, i));
      if (index >= 0 && rows[index]) rows[index].classList.remove("sel");
      index = i;
      const row = rows[index];
      row.classList.add("sel");
      row.scrollIntoView({ block: "nearest" });
      history.replaceState(null, "", "#" + row.id);
    }

    function setStatus(row, status, version, reason) {
      row.classList.remove("st-new", "st-accepted", "st-rejected");
      row.classList.add("st-" + status);
      row.dataset.version = version;
      const badge = $(".badge", row);
      badge.className = "badge st-" + status;
      badge.textContent = status;
      const versionField = $('input[name="version"]', row);
      if (versionField) versionField.value = version;
      const pick = $("input.bulk-pick", row);
      if (pick) pick.value = row.dataset.id + ":" + version;
      let note = $(".reason", row);
      if (status === "rejected" && reason) {
        if (!note) {
          note = document.createElement("div");
          note.className = "reason";
          $(".evlink", row).after(note);
        }
        note.textContent = "rejected: " + reason;
      } else if (note) {
        note.remove();
      }
    }

    async function decide(row, status, reason) {
      const result = await post(row.dataset.statusUrl, { status, version: row.dataset.version, reason: reason || "" });
      if (!result.ok) {
        toast(result.data.error || "not saved", "error");
        if (result.status === 409) row.classList.add("stale");
        return;
      }
      setStatus(row, result.data.status, result.data.version, result.data.reject_reason);
      toast("#" + row.dataset.id + " " + result.data.status, "ok");
      if (status !== "new" && rows.indexOf(row) === index) select(index + 1);
    }

    const current = () => rows[index];
    const start = rows.findIndex((row) => "#" + row.id === window.location.hash);
    if (rows.length) select(start >= 0 ? start : 0);

    rows.forEach((row, i) => row.addEventListener("click", (event) => {
      if (!event.target.closest("a, button, form, input")) select(i);
    }));
    $$('button[data-act="accept"]').forEach((button) => button.addEventListener("click", (event) => {
      event.preventDefault();
      const row = button.closest("tr.ev");
      select(rows.indexOf(row));
      decide(row, "accepted");
    }));
    $$('a[data-act="reject"]').forEach((link) => link.addEventListener("click", (event) => {
      event.preventDefault();
      const row = link.closest("tr.ev");
      select(rows.indexOf(row));
      handlers.r();
    }));

    const go = (selector) => { const link = $(selector); if (link) window.location.href = link.href; };
    Object.assign(handlers, {
      j: () => { if (index === rows.length - 1 && $("#next-page")) go("#next-page"); else select(index + 1); },
      k: () => { if (index <= 0 && $("#prev-page")) go("#prev-page"); else select(index - 1); },
      o: () => { if (current()) window.location.href = current().dataset.href; },
      Enter: () => { if (current()) window.location.href = current().dataset.href; },
      e: () => { if (current()) window.location.href = current().dataset.href + "#write"; },
      a: () => { if (current()) decide(current(), "accepted"); },
      x: () => {
        const pick = current() && $("input.bulk-pick", current());
        if (pick) { pick.checked = !pick.checked; pick.dispatchEvent(new Event("change")); }
      },
      u: () => { if (current()) decide(current(), "new"); },
      r: () => {
        const row = current();
        if (!row) return;
        openReject(row.dataset.statusUrl, row.dataset.version, "#" + row.dataset.id,
          (reason) => decide(row, "rejected", reason));
      },
      "/": () => { const search = $("#search"); if (search) { search.focus(); search.select(); } },
      n: () => go("#next-page"),
      p: () => go("#prev-page"),
    });
  }

  // --- event page ----------------------------------------------------------------------------
  if (page === "event") {
    const editForm = $("#edit");
    let dirty = false;
    let warned = null;
    if (editForm) {
      editForm.addEventListener("input", () => { dirty = true; });
      editForm.addEventListener("submit", () => { dirty = false; });
      window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); event.returnValue = ""; } });
    }
    if ($("#conflict")) dirty = true;

    // Leaving with unsaved English text: the first press warns, a second one goes ahead.
    function guarded(key, action) {
      return () => {
        if (dirty && warned !== key) {
          warned = key;
          toast("Unsaved changes in the English text: save with Ctrl+Enter, or press " + key + " again to discard them.", "error");
          return;
        }
        dirty = false;
        warned = null;
        action();
      };
    }
    const follow = (selector) => { const link = $(selector); if (link) window.location.href = link.href; };
    const submit = (selector) => {
      const form = $(selector);
      if (!form) return;
      if ($("button[disabled]", form)) { toast("The event already has that status: j / k to move on."); return; }
      form.requestSubmit();
    };
    function focusEdit() {
      const field = $("#headline_en");
      if (!field) return;
      field.scrollIntoView({ block: "center" });
      field.focus();
      // Into the text, after what is there (a draft to finish, a headline to extend).
      field.setSelectionRange(field.value.length, field.value.length);
    }
    Object.assign(handlers, {
      j: guarded("j", () => follow("#next-event")),
      k: guarded("k", () => follow("#prev-event")),
      i: guarded("i", () => follow("#to-inbox")),
      a: guarded("a", () => submit("#accept-form")),
      u: guarded("u", () => submit("#reset-form")),
      r: guarded("r", () => {
        const button = $('button[data-action="reject"]');
        if (button) openReject(button.dataset.url, button.dataset.version, button.dataset.label, null);
      }),
      e: focusEdit,
      m: () => { const select = $("#merge-other"); if (select) { select.scrollIntoView({ block: "center" }); select.focus(); } },
    });
    // Opened with "e" from the inbox: straight into the English headline (the fragment names
    // no element, so the browser's own scroll-to-fragment does not take the focus away).
    if (window.location.hash === "#write") focusEdit();
  }
})();

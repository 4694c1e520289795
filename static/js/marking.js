/*
 * The tablet marking page. Everything goes through /api/v1.
 *
 * Every mark the judge saves is first written to IndexedDB (the queue) with a
 * key generated here; only then is it sent. A queued mark leaves the queue
 * only when the server answers 2xx. Network errors and 5xx are retried with
 * back-off; a 4xx keeps the mark and tells the judge what to do. No
 * Background Sync (Safari has none): the page sends while it is open, and
 * the queue survives a reload. A service worker keeps the page for reloads
 * without a network.
 */
(function () {
  "use strict";

  var root = document.getElementById("marking-app");
  if (!root) return;

  var cfg = root.dataset;
  var T = JSON.parse(cfg.i18n);
  var eventId = Number(cfg.eventId);
  var userId = Number(cfg.userId);
  var csrf = cfg.csrf;
  var DB_NAME = "competitions-marking";
  var QUEUE = "queue";
  var DOCS = "docs";
  var MAX_BACKOFF = 30000;

  var db = null;
  var doc = null; // the event's sheet: {event, sections, entries}
  var queue = []; // queued marks, oldest first
  var openEntryId = null;
  var listScroll = 0; // where the judge was in the list of entries
  var backoff = 0;
  var retryTimer = null;
  var sending = false;
  var sessionLost = false;
  var switchedUser = false;
  var seqCounter = 0;

  // ------------------------------------------------------------------ helpers

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)[sd]/g, function (_m, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "m-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function nextSeq() {
    seqCounter += 1;
    return Date.now() * 1000 + (seqCounter % 1000);
  }

  function entryUrl(id) {
    return cfg.entryUrl.replace(/\/0\/marks$/, "/" + id + "/marks");
  }

  function putUrl(entryId, code) {
    return cfg.putUrl
      .replace("/0/marks/", "/" + entryId + "/marks/")
      .replace("__CODE__", encodeURIComponent(code));
  }

  function docKey() {
    return userId + ":" + eventId;
  }

  // ------------------------------------------------------------------ IndexedDB

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var database = request.result;
        database.createObjectStore(QUEUE, { keyPath: "key" });
        database.createObjectStore(DOCS, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  /* One transaction; a request that throws aborts it, so nothing of it is kept. */
  function store(name, mode, work) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(name, mode);
      var result;
      tx.oncomplete = function () { resolve(result && result.result); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
      try {
        result = work(tx.objectStore(name));
      } catch (problem) {
        reject(problem);
        tx.abort();
      }
    });
  }

  function idbPut(name, value) {
    return store(name, "readwrite", function (s) { return s.put(value); });
  }

  function idbDelete(name, key) {
    return store(name, "readwrite", function (s) { return s.delete(key); });
  }

  function idbGet(name, key) {
    return store(name, "readonly", function (s) { return s.get(key); });
  }

  function idbAll(name) {
    return store(name, "readonly", function (s) { return s.getAll(); });
  }

  function saveDoc() {
    if (!doc) return Promise.resolve();
    return idbPut(DOCS, { id: docKey(), doc: doc, savedAt: Date.now() });
  }

  // ------------------------------------------------------------------ state

  function mine(item) {
    return item.userId === userId;
  }

  function myQueue() {
    return queue.filter(function (item) { return mine(item) && item.eventId === eventId; });
  }

  function findEntry(id) {
    if (!doc) return null;
    for (var i = 0; i < doc.entries.length; i++) {
      if (doc.entries[i].id === id) return doc.entries[i];
    }
    return null;
  }

  function criteria() {
    var list = [];
    (doc ? doc.sections : []).forEach(function (section) {
      section.criteria.forEach(function (c) { list.push(c); });
    });
    return list;
  }

  function queuedFor(entryId, code) {
    return myQueue().filter(function (item) {
      return item.entryId === entryId && item.code === code;
    });
  }

  /* The value the judge last gave: the newest queued one, else the server's. */
  function effective(entry, code) {
    var queued = queuedFor(entry.id, code);
    if (queued.length) return { value: queued[queued.length - 1].value, queued: true };
    var mark = entry.marks[code];
    return mark ? { value: mark.value, queued: false, version: mark.version } : null;
  }

  function entryProgress(entry) {
    var done = 0;
    criteria().forEach(function (c) { if (effective(entry, c.code)) done += 1; });
    return done;
  }

  // ------------------------------------------------------------------ rendering

  function render() {
    renderStatus();
    renderAttention();
    if (openEntryId === null) renderEntries();
  }

  function renderStatus() {
    var progress = document.getElementById("progress-text");
    if (doc) {
      var total = doc.entries.length;
      var expected = criteria().length;
      var marked = doc.entries.filter(function (e) {
        return expected > 0 && entryProgress(e) >= expected;
      }).length;
      progress.textContent = fmt(T.progress, { marked: marked, total: total });
    }
    var waiting = myQueue().length;
    var badge = document.getElementById("queue-text");
    badge.textContent = waiting
      ? fmt(waiting === 1 ? T.queue_one : T.queue_other, { num: waiting })
      : T.queue_empty;
    badge.className = "badge queue-badge " + (waiting ? "queue-waiting" : "queue-empty");
    badge.setAttribute("data-count", String(waiting));
    var net = document.getElementById("net-text");
    var online = navigator.onLine;
    net.textContent = online ? (retryTimer ? T.retrying : T.online) : T.offline;
    net.className = "badge net-badge " + (online ? (retryTimer ? "net-retrying" : "net-online") : "net-offline");
    var detail = online ? (retryTimer ? T.retrying_detail : "") : T.offline_detail;
    net.title = detail;
    var detailText = document.getElementById("net-detail"); // absent from a page saved before it existed
    if (detailText) detailText.textContent = detail;
    document.getElementById("session-alert").hidden = !(sessionLost || switchedUser);
    document.getElementById("session-text").textContent = switchedUser ? T.switched_user : T.session;
    document.getElementById("session-link").hidden = switchedUser;
  }

  function showNotice(text, kind) {
    var notice = document.getElementById("notice");
    notice.textContent = text || "";
    notice.className = "alert alert-" + (kind || "info");
    notice.hidden = !text;
  }

  function renderEntries() {
    var grid = document.getElementById("entry-grid");
    grid.textContent = "";
    if (!doc) return;
    if (!doc.entries.length) {
      grid.appendChild(el("div", { className: "empty-state text-body-secondary border rounded p-4 text-center", text: T.no_entries }));
      return;
    }
    var expected = criteria().length;
    doc.entries.forEach(function (entry) {
      var done = entryProgress(entry);
      var waiting = myQueue().some(function (item) { return item.entryId === entry.id; });
      var state = done >= expected ? "complete" : done > 0 ? "partial" : "pending";
      grid.appendChild(el("button", {
        type: "button",
        className: "entry-tile entry-" + state + (waiting ? " entry-waiting" : ""),
        "data-entry": String(entry.id),
        "aria-label": fmt(T.entry, { number: entry.number }) + ", " +
          fmt(T.criteria_done, { marked: done, expected: expected }),
        onclick: function () { openEntry(entry.id); },
      }, [
        el("span", { className: "entry-number", text: entry.number }),
        entry.station ? el("span", { className: "entry-station", text: fmt(T.station, { station: entry.station }) }) : null,
        el("span", { className: "entry-progress", text: done + " / " + expected }),
        waiting ? el("span", { className: "entry-flag", text: T.waiting }) : null,
      ]));
    });
  }

  function renderAttention() {
    var box = document.getElementById("attention");
    var list = document.getElementById("attention-list");
    list.textContent = "";
    var items = myQueue().filter(function (item) { return item.state === "attention"; });
    var others = queue.filter(function (item) { return !mine(item); }).length;
    box.hidden = items.length === 0 && others === 0;
    items.forEach(function (item) { list.appendChild(attentionCard(item)); });
    if (others) {
      list.appendChild(el("div", { className: "alert alert-secondary mb-0", text: fmt(T.other_user, { num: others }) }));
    }
  }

  function attentionCard(item) {
    var problem = item.problem || {};
    var label = fmt(T.mark_label, { number: item.number, code: item.code, value: item.value });
    var card = el("div", { className: "attention-card border border-danger rounded p-3", "data-key": item.key });
    card.appendChild(el("div", { className: "fw-semibold", text: label }));
    var actions = el("div", { className: "d-flex flex-wrap gap-2 mt-2" });
    if (problem.code === "version_conflict" && problem.current) {
      card.appendChild(el("div", { text: fmt(T.conflict, { server: problem.current.value, mine: item.value }) }));
      var reason = el("input", {
        type: "text", className: "form-control form-control-lg mt-2", maxlength: "1000",
        placeholder: T.reason, "aria-label": T.reason, value: item.reason || "",
      });
      card.appendChild(reason);
      actions.appendChild(el("button", {
        type: "button", className: "btn btn-outline-secondary btn-lg", text: fmt(T.keep_server, { value: problem.current.value }),
        onclick: function () { keepServer(item); },
      }));
      actions.appendChild(el("button", {
        type: "button", className: "btn btn-primary btn-lg", text: fmt(T.send_mine, { value: item.value }),
        onclick: function () {
          if (!reason.value.trim()) { reason.classList.add("is-invalid"); reason.focus(); return; }
          sendMine(item, reason.value.trim());
        },
      }));
    } else if (problem.code === "reason_required") {
      card.appendChild(el("div", { text: problem.message || T.reason_needed }));
      var why = el("input", {
        type: "text", className: "form-control form-control-lg mt-2", maxlength: "1000",
        placeholder: T.reason, "aria-label": T.reason,
      });
      card.appendChild(why);
      actions.appendChild(el("button", {
        type: "button", className: "btn btn-primary btn-lg", text: T.try_again,
        onclick: function () {
          if (!why.value.trim()) { why.classList.add("is-invalid"); why.focus(); return; }
          item.reason = why.value.trim();
          retryItem(item);
        },
      }));
      actions.appendChild(discardButton(item));
    } else {
      card.appendChild(el("div", { text: problem.message || "" }));
      actions.appendChild(el("button", {
        type: "button", className: "btn btn-outline-primary btn-lg", text: T.try_again,
        onclick: function () { retryItem(item); },
      }));
      actions.appendChild(discardButton(item));
    }
    card.appendChild(actions);
    return card;
  }

  function discardButton(item) {
    return el("button", {
      type: "button", className: "btn btn-outline-danger btn-lg", text: T.discard,
      onclick: function () {
        if (window.confirm(T.confirm_discard)) removeItem(item).then(render);
      },
    });
  }

  // ------------------------------------------------------------------ mark sheet

  function openEntry(id) {
    var entry = findEntry(id);
    if (!entry) return;
    if (openEntryId === null) listScroll = window.scrollY;
    openEntryId = id;
    showNotice("");
    document.getElementById("entries-view").hidden = true;
    document.getElementById("sheet-view").hidden = false;
    document.getElementById("sheet-title").textContent = fmt(T.entry, { number: entry.number });
    document.getElementById("sheet-station").textContent = entry.station ? fmt(T.station, { station: entry.station }) : "";
    document.getElementById("sheet-error").hidden = true;
    renderSheet(entry);
    window.scrollTo({ top: 0, behavior: "instant" }); // not smoothly: a new sheet, not a move
    refreshEntry(id);
  }

  function closeSheet() {
    openEntryId = null;
    document.getElementById("sheet-view").hidden = true;
    document.getElementById("entries-view").hidden = false;
    render();
    window.scrollTo({ top: listScroll, behavior: "instant" }); // back where the judge left the list
  }

  function rangeText(c) {
    if (c.type === "judgement") return T.type_judgement + " · " + T.range_whole;
    var type = c.type === "deduction" ? T.type_deduction : T.type_marks;
    return type + " · " + fmt(T.range, { max: c.max });
  }

  function renderSheet(entry) {
    var container = document.getElementById("sheet-sections");
    container.textContent = "";
    doc.sections.forEach(function (section) {
      var box = el("fieldset", { className: "sheet-section mb-3" }, [
        el("legend", { className: "h5", text: section.name + " (" + section.weight + "%)" }),
      ]);
      section.criteria.forEach(function (c) { box.appendChild(criterionRow(entry, c)); });
      container.appendChild(box);
    });
  }

  function criterionRow(entry, c) {
    var current = effective(entry, c.code);
    var id = "c-" + c.code.replace(/[^A-Za-z0-9_-]/g, "_");
    var row = el("div", {
      className: "criterion-row card card-body mb-2",
      "data-code": c.code, "data-type": c.type,
      "data-max": c.max, "data-decimals": String(c.decimals),
    });
    var state = current ? (current.queued ? T.waiting : T.sent) : T.not_marked;
    row.appendChild(el("div", { className: "d-flex flex-wrap justify-content-between gap-2" }, [
      el("label", { className: "criterion-name fw-semibold", for: id, text: c.name && c.name !== c.code ? c.code + " " + c.name : c.code }),
      el("span", { className: "criterion-state small " + (current ? (current.queued ? "text-warning-emphasis" : "text-success") : "text-body-secondary"), text: state }),
    ]));
    row.appendChild(el("div", { className: "small text-body-secondary mb-2", id: id + "-help", text: rangeText(c) }));
    var value = current ? current.value : "";
    if (c.type === "judgement") {
      var group = el("div", { className: "judgement-group", role: "radiogroup", "aria-labelledby": id + "-help", id: id });
      [0, 1, 2, 3].forEach(function (n) {
        var pressed = String(n) === String(value);
        group.appendChild(el("button", {
          type: "button", className: "btn btn-lg judgement-option " + (pressed ? "btn-primary" : "btn-outline-primary"),
          role: "radio", "aria-checked": pressed ? "true" : "false", "data-value": String(n), text: String(n),
          onclick: function (event) {
            group.querySelectorAll("button").forEach(function (b) {
              b.classList.remove("btn-primary");
              b.classList.add("btn-outline-primary");
              b.setAttribute("aria-checked", "false");
            });
            event.currentTarget.classList.remove("btn-outline-primary");
            event.currentTarget.classList.add("btn-primary");
            event.currentTarget.setAttribute("aria-checked", "true");
            group.setAttribute("data-value", String(n));
            updateReason(row, entry, c);
          },
        }));
      });
      if (value !== "") group.setAttribute("data-value", String(value));
      row.appendChild(group);
    } else {
      row.appendChild(el("input", {
        type: "text", inputmode: "decimal", autocomplete: "off", id: id, name: c.code,
        className: "form-control form-control-lg mark-input", value: value,
        "aria-describedby": id + "-help " + id + "-error",
        oninput: function () { updateReason(row, entry, c); },
      }));
    }
    row.appendChild(el("div", { className: "invalid-feedback", id: id + "-error" }));
    var reason = el("div", { className: "reason-box mt-2", hidden: true }, [
      el("label", { className: "form-label small", for: id + "-reason", text: T.reason }),
      el("input", { type: "text", className: "form-control form-control-lg reason-input", id: id + "-reason", maxlength: "1000" }),
    ]);
    row.appendChild(reason);
    return row;
  }

  function rowValue(row) {
    if (row.getAttribute("data-type") === "judgement") {
      return row.querySelector(".judgement-group").getAttribute("data-value") || "";
    }
    return row.querySelector(".mark-input").value.trim();
  }

  /* A change to a mark the server may already hold needs a reason. */
  function needsReason(entry, code) {
    if (entry.marks[code]) return true;
    return queuedFor(entry.id, code).some(function (item) { return item.attempts > 0; });
  }

  function updateReason(row, entry, c) {
    var current = effective(entry, c.code);
    var value = rowValue(row);
    var changed = value !== "" && (!current || !sameNumber(value, current.value));
    row.querySelector(".reason-box").hidden = !(changed && needsReason(entry, c.code));
  }

  function sameNumber(a, b) {
    var x = Number(a);
    var y = Number(b);
    return !isNaN(x) && !isNaN(y) && x === y && normalise(a) === normalise(b);
  }

  function normalise(text) {
    var s = String(text).trim();
    if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
    s = s.replace(/^0+(?=\d)/, "");
    return s;
  }

  /* Check one value the way the server does; returns an error text or "". */
  function validate(c, value) {
    if (c.type === "judgement") {
      return /^[0-3]$/.test(value) ? "" : T.whole_0_3;
    }
    if (!/^\d+(\.\d+)?$/.test(value)) return T.enter_number;
    var decimals = value.indexOf(".") >= 0 ? value.split(".")[1].replace(/0+$/, "").length : 0;
    if (decimals > c.decimals) return T.too_many_decimals;
    if (!withinMax(value, c.max)) return fmt(T.out_of_range, { max: c.max });
    return "";
  }

  /* value <= max, compared exactly on decimal strings (no binary floats). */
  function withinMax(value, max) {
    function parts(text) {
      var p = normalise(text).split(".");
      return [p[0] || "0", (p[1] || "")];
    }
    var a = parts(value);
    var b = parts(max);
    if (a[0].length !== b[0].length) return a[0].length < b[0].length;
    if (a[0] !== b[0]) return a[0] < b[0];
    var width = Math.max(a[1].length, b[1].length);
    var fa = (a[1] + "000000").slice(0, width);
    var fb = (b[1] + "000000").slice(0, width);
    return fa <= fb;
  }

  function onSave(event) {
    event.preventDefault();
    var entry = findEntry(openEntryId);
    if (!entry) return;
    var rows = document.querySelectorAll("#sheet-sections .criterion-row");
    var changes = [];
    var bad = false;
    var byCode = {};
    criteria().forEach(function (c) { byCode[c.code] = c; });
    rows.forEach(function (row) {
      var c = byCode[row.getAttribute("data-code")];
      var value = rowValue(row);
      var feedback = row.querySelector(".invalid-feedback");
      var input = row.querySelector(".mark-input, .judgement-group");
      var reasonInput = row.querySelector(".reason-input");
      feedback.textContent = "";
      input.classList.remove("is-invalid");
      reasonInput.classList.remove("is-invalid");
      if (value === "") return;
      var problem = validate(c, value);
      var current = effective(entry, c.code);
      var changed = !current || !sameNumber(value, current.value);
      var reason = reasonInput.value.trim();
      if (!problem && changed && needsReason(entry, c.code) && !reason) {
        problem = T.reason_needed;
        reasonInput.classList.add("is-invalid");
        row.querySelector(".reason-box").hidden = false;
      }
      if (problem) {
        bad = true;
        feedback.textContent = problem;
        feedback.classList.add("d-block");
        input.classList.add("is-invalid");
        return;
      }
      feedback.classList.remove("d-block");
      if (changed) changes.push({ c: c, value: normalise(value) || "0", reason: reason });
    });
    var error = document.getElementById("sheet-error");
    if (bad) {
      error.textContent = T.fix_errors;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    if (!changes.length) {
      error.textContent = T.nothing_changed;
      error.hidden = false;
      return;
    }
    enqueue(entry, changes).then(function () {
      closeSheet();
      showNotice(fmt(T.saved, { number: entry.number }), "success");
      pump();
    }, function (problem) {
      // The tablet's storage refused the write (full, or wiped by the browser): the
      // judge must not walk away thinking these marks are kept.
      error.textContent = fmt(T.store_failed, { error: (problem && (problem.name || problem.message)) || "?" });
      error.hidden = false;
      error.scrollIntoView({ block: "center" });
      render();
    });
  }

  // ------------------------------------------------------------------ queue

  /* All the sheet's changes are stored in one transaction: all of them or none. */
  function enqueue(entry, changes) {
    var items = [];
    var replaced = [];
    changes.forEach(function (change) {
      var code = change.c.code;
      var pending = queuedFor(entry.id, code).filter(function (item) {
        return item.attempts === 0 && item.state === "waiting";
      });
      if (pending.length) {
        // Never sent: replace its value (with a fresh key, as the value differs). It
        // leaves the queue at once, so that it cannot be sent while the new value is stored.
        var old = pending[pending.length - 1];
        queue = queue.filter(function (other) { return other !== old; });
        replaced.push(old);
        items.push({
          item: Object.assign({}, old, {
            key: newKey(), value: change.value, reason: change.reason || old.reason || null,
          }),
          atop: queuedFor(entry.id, code).length > 0,
        });
        return;
      }
      var mark = entry.marks[code];
      var earlier = queuedFor(entry.id, code).length > 0;
      items.push({
        item: {
          key: newKey(),
          seq: nextSeq(),
          userId: userId,
          eventId: eventId,
          entryId: entry.id,
          number: entry.number,
          code: code,
          value: change.value,
          // The version the judge saw; rebased when an earlier queued value is acknowledged.
          baseVersion: earlier ? null : (mark ? mark.version : null),
          reason: change.reason || null,
          attempts: 0,
          state: "waiting",
          problem: null,
          createdAt: new Date().toISOString(),
        },
        atop: earlier,
      });
    });
    return store(QUEUE, "readwrite", function (s) {
      items.forEach(function (one) { s.put(one.item); });
      replaced.forEach(function (old) { s.delete(old.key); });
    }).then(function () {
      items.forEach(function (one) { stored(one.item, one.atop); });
      render();
    }, function (problem) {
      replaced.forEach(function (old) { queue.push(old); }); // still stored, with its earlier value
      throw problem;
    });
  }

  /* A value joins the queue only once it is on the tablet's storage. If it was entered
     atop an earlier value of the same mark, and that value was acknowledged while this
     one was being stored, do the rebase the acknowledgement would have done. */
  function stored(item, atop) {
    queue.push(item);
    var earlier = queuedFor(item.entryId, item.code).some(function (other) {
      return other.seq < item.seq;
    });
    if (!atop || earlier) return;
    var mark = findEntry(item.entryId).marks[item.code];
    item.baseVersion = mark ? mark.version : null;
    // Kept in memory either way; should storing it fail, a reload would send the stored
    // copy's older base and get a conflict to resolve, never a lost or silent overwrite.
    idbPut(QUEUE, item).catch(function () {});
  }

  function removeItem(item) {
    return idbDelete(QUEUE, item.key).then(function () {
      queue = queue.filter(function (other) { return other.key !== item.key; });
    });
  }

  function applyMark(entryId, code, mark) {
    var entry = findEntry(entryId);
    if (entry && mark) {
      entry.marks[code] = { value: mark.value, version: mark.version, updated_at: mark.updated_at };
    }
  }

  function acknowledged(item, body) {
    var mark = body && body.mark;
    if (mark) {
      applyMark(item.entryId, item.code, mark);
      // Later values for the same mark were entered on top of this one.
      queue.forEach(function (other) {
        if (other !== item && other.entryId === item.entryId && other.code === item.code &&
            other.seq > item.seq && mine(other)) {
          other.baseVersion = mark.version;
          idbPut(QUEUE, other);
        }
      });
    }
    return removeItem(item).then(saveDoc);
  }

  function nextItem() {
    var blocked = {};
    var items = myQueue().slice().sort(function (a, b) { return a.seq - b.seq; });
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var id = item.entryId + "/" + item.code;
      if (item.state === "attention") { blocked[id] = true; continue; }
      if (!blocked[id]) return item;
    }
    return null;
  }

  function scheduleRetry() {
    if (retryTimer) return;
    backoff = backoff ? Math.min(MAX_BACKOFF, backoff * 2) : 1000;
    var wait = backoff / 2 + Math.random() * backoff / 2;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      pump();
    }, wait);
    renderStatus();
  }

  function retryNow() {
    if (retryTimer) window.clearTimeout(retryTimer);
    retryTimer = null;
    backoff = 0;
    pump();
  }

  function refreshToken() {
    return fetch(cfg.meUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) { sessionLost = true; return false; }
        if (!response.ok) return false;
        return response.json().then(function (me) {
          if (me.id !== userId) { switchedUser = true; return false; }
          sessionLost = false;
          csrf = me.csrf_token;
          return true;
        });
      });
  }

  function send(item) {
    item.attempts += 1;
    return idbPut(QUEUE, item).then(function () {
      return fetch(putUrl(item.entryId, item.code), {
        method: "PUT",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({
          value: item.value, key: item.key, version: item.baseVersion, reason: item.reason || null,
        }),
      });
    });
  }

  function readJson(response) {
    return response.json().catch(function () { return null; });
  }

  /* Send queued marks one at a time, oldest first, until the queue is empty or a send fails. */
  function pump() {
    if (sending || !db || switchedUser) return;
    var item = nextItem();
    if (!item) { renderStatus(); return; }
    sending = true;
    renderStatus();
    send(item).then(function (response) {
      return readJson(response).then(function (body) {
        if (response.ok) {
          backoff = 0;
          sessionLost = false;
          return acknowledged(item, body).then(function () { return true; });
        }
        if (response.status >= 500 || response.status === 408 || response.status === 429) {
          return false;
        }
        if (response.status === 401) {
          sessionLost = true;
          return false;
        }
        if (response.status === 400 && body && body.error === "csrf_invalid") {
          return refreshToken().then(function (ok) { return ok ? true : false; });
        }
        // Any other 4xx: keep the mark and ask the judge.
        item.state = "attention";
        item.problem = {
          status: response.status,
          code: body && body.error,
          message: body && body.message,
          current: body && body.current,
        };
        return idbPut(QUEUE, item).then(function () { return true; });
      });
    }, function () {
      return false; // network error: try again later
    }).then(function (goOn) {
      sending = false;
      render();
      if (goOn) pump();
      else scheduleRetry();
    }, function () {
      sending = false;
      scheduleRetry();
    });
  }

  function retryItem(item) {
    item.state = "waiting";
    item.problem = null;
    idbPut(QUEUE, item).then(function () { render(); retryNow(); });
  }

  function keepServer(item) {
    var current = item.problem && item.problem.current;
    if (current) applyMark(item.entryId, item.code, current);
    removeItem(item).then(saveDoc).then(render);
  }

  function sendMine(item, reason) {
    item.baseVersion = item.problem.current.version;
    item.reason = reason;
    applyMark(item.entryId, item.code, item.problem.current);
    saveDoc();
    retryItem(item);
  }

  // ------------------------------------------------------------------ loading

  function mergeDoc(fresh) {
    doc = fresh;
    return saveDoc().then(render);
  }

  function loadDoc() {
    return fetch(cfg.entriesUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) { sessionLost = true; throw new Error("401"); }
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(mergeDoc)
      .catch(function () {
        return idbGet(DOCS, docKey()).then(function (saved) {
          if (saved && saved.doc) {
            if (!doc) doc = saved.doc;
            showNotice(T.saved_copy, "warning");
          } else if (!doc) {
            showNotice(T.no_copy, "danger");
          }
          render();
        });
      });
  }

  function refreshEntry(id) {
    if (!navigator.onLine) return;
    fetch(entryUrl(id), { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || openEntryId !== id) return;
        var entry = findEntry(id);
        if (!entry) return;
        var changed = JSON.stringify(entry.marks) !== JSON.stringify(body.entry.marks);
        entry.marks = body.entry.marks;
        saveDoc();
        var touched = document.querySelector("#sheet-sections .is-dirty");
        if (changed && !touched) renderSheet(entry);
      })
      .catch(function () { /* offline: the saved copy is shown */ });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.swScope }).catch(function () {});
    if (!window.caches) return;
    var assets = JSON.parse(cfg.assets);
    window.caches.open("marking-v1").then(function (cache) {
      return cache.addAll(assets.concat([window.location.pathname]));
    }).catch(function () {});
  }

  function start() {
    document.getElementById("sheet-form").addEventListener("submit", onSave);
    document.getElementById("sheet-form").addEventListener("input", function (event) {
      event.target.classList.add("is-dirty");
    });
    document.getElementById("sheet-sections").addEventListener("click", function (event) {
      if (event.target.classList.contains("judgement-option")) event.target.classList.add("is-dirty");
    });
    document.getElementById("back-button").addEventListener("click", closeSheet);
    window.addEventListener("online", function () { renderStatus(); retryNow(); loadIfEmpty(); });
    window.addEventListener("offline", renderStatus);
    window.setInterval(function () { if (!sending && !retryTimer) pump(); }, 15000);
    openDb().then(function (database) {
      db = database;
      return idbAll(QUEUE);
    }).then(function (items) {
      queue = (items || []).sort(function (a, b) { return a.seq - b.seq; });
      return idbGet(DOCS, docKey());
    }).then(function (saved) {
      if (saved && saved.doc) { doc = saved.doc; render(); }
      return loadDoc();
    }).then(function () {
      render();
      pump();
      registerWorker();
    });
  }

  function loadIfEmpty() {
    if (!myQueue().length) loadDoc();
  }

  start();
})();

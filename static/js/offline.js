// The offline queue (issue 18), on every nurse page. Without a network, a form marked with
// `data-offline-kind` (My day's "Done as planned", the visit-log form, the visit's report and
// dose forms) is not lost: what she filled in is kept in IndexedDB with a key made here and
// the time she did it, and sent to the visit's offline endpoint (`data-offline-url`) when the
// network is back. The server applies each key once (scheduling.VisitLogKey), so sending an
// action twice is harmless. An action the server refuses (the visit cancelled, given to another
// nurse or billed meanwhile, a field it cannot accept) stays listed with the server's words and
// what to do, until she removes it herself: nothing is dropped silently. Texts come translated
// from the page (templates/_partials/offline_status.html).
(function () {
  "use strict";
  var status = document.getElementById("offline-status");
  if (!status || !window.indexedDB) return;
  var DB = "bz-offline", STORE = "visit-logs";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function all() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return items.sort(function (a, b) { return (a.at || a.actedAt) < (b.at || b.actedAt) ? -1 : 1; });
    });
  }
  function put(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return tx("readwrite", function (s) { s.delete(key); }); }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) { /* fall back to a form's token */ }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show() {
    return all().then(function (items) {
      var waiting = items.filter(function (i) { return !i.error; });
      var refused = items.filter(function (i) { return i.error; });
      var text = waiting.length === 0 ? status.dataset.allSent
        : (waiting.length === 1 ? status.dataset.waitingOne : status.dataset.waitingMany)
          .replace("{n}", waiting.length);
      status.querySelector(".offline-count").textContent = text;
      status.dataset.waiting = String(waiting.length);
      status.dataset.refused = String(refused.length);
      var list = status.querySelector(".offline-refused");
      list.textContent = "";
      refused.forEach(function (item) {
        var li = document.createElement("li");
        var words = document.createElement("span");
        words.textContent = item.label + ": " + item.error + (item.help ? " " + item.help : "");
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn small";
        remove.textContent = status.dataset.remove;
        remove.addEventListener("click", function () { drop(item.key).then(show); });
        li.appendChild(words);
        li.appendChild(remove);
        list.appendChild(li);
      });
      items.forEach(function (item) {
        var card = document.getElementById("visit-" + item.visit);
        if (card && !item.error) card.classList.add("visit-queued");
      });
    });
  }

  // What the server said, as one line: its messages, per field or as `detail`.
  function words(body) {
    if (!body || typeof body !== "object") return "";
    if (typeof body.detail === "string") return body.detail;
    var out = [];
    Object.keys(body).forEach(function (k) { out = out.concat(body[k]); });
    return out.join(" ");
  }

  var sending = false;
  function send() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    return all().then(function (items) {
      return items.filter(function (i) { return !i.error; }).reduce(function (chain, item) {
        return chain.then(function () {
          // (a log queued by the first version of this file: "done" on the log API)
          var body = item.kind ? { key: item.key, kind: item.kind, at: item.at, payload: item.payload || {} }
            : { idempotency_key: item.key, acted_at: item.actedAt };
          return fetch(item.url, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
            body: JSON.stringify(body)
          }).then(function (response) {
            if (response.ok) return drop(item.key);
            // Not signed in, or the server is down: keep it, send it later.
            if (response.status === 403 || response.status === 401 || response.status >= 500) return null;
            return response.json().catch(function () { return {}; }).then(function (answer) {
              item.status = response.status;
              if (response.status === 404) {
                item.error = status.dataset.refusedGone;
                item.help = "";
              } else if (response.status === 409) {
                item.error = words(answer) || status.dataset.refusedUnknown;
                item.help = "";
              } else {
                item.error = words(answer) || status.dataset.refusedUnknown;
                item.help = status.dataset.refusedHelp;
              }
              return put(item);
            });
          }).catch(function () { return null; });
        });
      }, Promise.resolve());
    }).then(function () { sending = false; return show(); },
            function () { sending = false; });
  }

  // What she filled in, as the page's form would have posted it (many values: a list).
  function payloadOf(form, submitter) {
    var data = new FormData(form), out = {};
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") return;
      if (Object.prototype.hasOwnProperty.call(out, name)) {
        out[name] = [].concat(out[name], value);
      } else {
        out[name] = value;
      }
    });
    return out;
  }

  // Capture phase: runs before htmx's own submit handler, which would fail without a network.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !form.dataset || !form.dataset.offlineKind) return;
    event.preventDefault();
    event.stopPropagation();
    var item = {
      key: uuid(), kind: form.dataset.offlineKind, url: form.dataset.offlineUrl,
      visit: form.dataset.visit, label: form.dataset.label, at: new Date().toISOString(),
      payload: payloadOf(form, event.submitter)
    };
    put(item).then(function () {
      // Kept: a draft of this form (static/js/drafts.js) is no longer needed. Said before the
      // page moves on, so the visit's page opened again later shows an empty form.
      form.dispatchEvent(new CustomEvent("bz:offline-queued", { bubbles: true }));
      return show().catch(function () { /* the count is redrawn on the next page */ }).then(function () {
        if (form.dataset.offlineThen) {
          window.location.href = form.dataset.offlineThen;
          return;
        }
        form.reset();
        note(form, "msg msg-info offline-queued", status.dataset.queued);
      });
    }, function () {
      // Not kept (the phone's storage is full or blocked): nothing waits to be sent, so the
      // form keeps what she filled in (and its draft), and says so.
      note(form, "msg msg-error offline-failed", status.dataset.queueFailed);
    });
  }, true);

  function note(form, className, text) {
    Array.prototype.forEach.call(form.querySelectorAll(".offline-queued, .offline-failed"), function (old) {
      old.remove();
    });
    var p = document.createElement("p");
    p.className = className;
    p.setAttribute("role", "status");
    p.textContent = text;
    form.appendChild(p);
  }

  // My day (online): ask the service worker to keep today's visit pages for a round without
  // a network (their links carry `data-offline-page`).
  function keepPages() {
    var links = document.querySelectorAll("a[data-offline-page]");
    if (!links.length || !navigator.onLine || !navigator.serviceWorker) return;
    var urls = Array.prototype.map.call(links, function (a) { return a.getAttribute("href"); });
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "keep-pages", urls: urls });
    });
  }

  window.addEventListener("online", send);
  show().then(send);
  keepPages();
})();

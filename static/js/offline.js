// Offline visit logs (issue 18). On My day, "Done as planned" without a network is kept in
// IndexedDB with a key made here and the time of the tap, and sent to the log API when the
// network is back; the server applies each key once (scheduling.VisitLogKey), so sending a
// log twice is harmless. A log the server refuses (visit cancelled, reassigned, billed) stays
// listed with the server's words, never dropped silently. Texts come translated from the page.
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
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return tx("readwrite", function (s) { s.delete(key); }); }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
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
      var list = status.querySelector(".offline-refused");
      list.textContent = "";
      refused.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item.label + ": " + item.error + " " + status.dataset.refusedHelp;
        list.appendChild(li);
      });
      items.forEach(function (item) {
        var card = document.getElementById("visit-" + item.visit);
        if (card) card.classList.add("visit-queued");
      });
    });
  }

  var sending = false;
  function send() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    return all().then(function (items) {
      return items.filter(function (i) { return !i.error; }).reduce(function (chain, item) {
        return chain.then(function () {
          return fetch(item.url, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
            body: JSON.stringify({ idempotency_key: item.key, acted_at: item.actedAt })
          }).then(function (response) {
            if (response.ok) return drop(item.key);
            if (response.status === 403 || response.status >= 500) return null;  // later
            return response.json().catch(function () { return {}; }).then(function (body) {
              var words = [];
              Object.keys(body || {}).forEach(function (k) { words = words.concat(body[k]); });
              item.error = words.join(" ") || status.dataset.refusedUnknown;
              return put(item);
            });
          }).catch(function () { return null; });
        });
      }, Promise.resolve());
    }).then(function () { sending = false; return show(); },
            function () { sending = false; });
  }

  // Capture phase: runs before htmx's own submit handler, which would fail without a network.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !form.dataset || !form.dataset.offlineLog) return;
    event.preventDefault();
    event.stopPropagation();
    var item = { key: uuid(), url: form.dataset.offlineLog, visit: form.dataset.visit,
                 label: form.dataset.label, actedAt: new Date().toISOString() };
    put(item).then(show);
  }, true);

  window.addEventListener("online", send);
  show().then(send);
})();

// Drafts (issue 18): a session that times out mid-form loses nothing. The contents of every
// form marked data-draft="<key>" are kept in localStorage while the nurse types, and put back
// when the form is shown again (after the login page sent her back to it). A draft is cleared
// when its form was sent and the next page no longer shows it (saved), and every draft is
// cleared at log-out, so no clinical text stays on the phone. A form put in the offline queue
// (offline.js) loses its draft once the queue has kept it. Drafts belong to the person
// who typed them (body data-draft-owner): another login on the same phone never sees them.
(function () {
  "use strict";
  var PREFIX = "bz-draft:";
  var PENDING = "bz-draft-pending";
  var SKIP = { hidden: 1, password: 1, file: 1, submit: 1, button: 1, reset: 1 };

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function owner() { return (document.body && document.body.dataset.draftOwner) || ""; }
  function keyOf(form) { return PREFIX + form.dataset.draft + ":" + location.pathname; }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && !SKIP[el.type];
    });
  }

  function clearAll() {
    var store = storage();
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) store.removeItem(key);
    }
    store.removeItem(PENDING);
  }

  function save(form) {
    var store = storage();
    if (!store) return;
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (values[el.name] = values[el.name] || []).push(el.value);
      } else if (el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    store.setItem(keyOf(form), JSON.stringify({ owner: owner(), values: values }));
  }

  function restore(form) {
    var store = storage();
    var raw = store && store.getItem(keyOf(form));
    if (!raw) return;
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { store.removeItem(keyOf(form)); return; }
    if (!draft || draft.owner !== owner()) { store.removeItem(keyOf(form)); return; }
    var values = draft.values || {};
    fields(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else if (el.tagName === "SELECT" || !el.value) {
        el.value = value;  // what the server filled in (an error re-render) wins over the draft
      }
    });
    form.dataset.draftRestored = "1";
  }

  function isLoginPage() {
    return !!document.querySelector("input[type=password]") || !owner();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var store = storage();
    if (!store) return;
    var forms = document.querySelectorAll("form[data-draft]");
    // The form sent last time: if this page no longer shows it, it was saved.
    var pending = store.getItem(PENDING);
    if (pending && !isLoginPage()) {
      var stillHere = Array.prototype.some.call(forms, function (f) { return keyOf(f) === pending; });
      if (!stillHere) store.removeItem(pending);
      store.removeItem(PENDING);
    }
    Array.prototype.forEach.call(forms, function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var store = storage();
    if (!store || !form || !form.action) return;
    if (/\/accounts\/logout\/$/.test(new URL(form.action, location.href).pathname)) {
      clearAll();
      return;
    }
    if (form.dataset && form.dataset.draft) {
      save(form);
      store.setItem(PENDING, keyOf(form));
    }
  });
  // Sent to the offline queue (static/js/offline.js) without a network: what the form held is
  // kept on the phone to be sent later, so its draft goes now, not only when the page is shown
  // again (which would fill the form with what is already queued). When the queue could not
  // keep it, no event comes and the draft stays.
  document.addEventListener("bz:offline-queued", function (event) {
    var form = event.target;
    var store = storage();
    if (store && form && form.dataset && form.dataset.draft) store.removeItem(keyOf(form));
  });
  // htmx forms: a successful swap that no longer holds the form means it was saved
  document.addEventListener("htmx:afterSettle", function () {
    var store = storage();
    var pending = store && store.getItem(PENDING);
    if (!pending) return;
    var forms = document.querySelectorAll("form[data-draft]");
    var stillHere = Array.prototype.some.call(forms, function (f) { return keyOf(f) === pending; });
    if (!stillHere) { store.removeItem(pending); store.removeItem(PENDING); }
  });
})();

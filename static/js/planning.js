// Planning week: drag a planned visit onto another nurse's cell of the same day to give it to
// her. It posts to the same endpoint as the assign form (the service decides; its refusal,
// e.g. a double booking or a nurse of another team, is shown above the grid). Keyboard and
// touch users keep the forms: the visit's own page and the "Give to" form of unassigned visits.
(function () {
  "use strict";

  function init() {
    var grid = document.getElementById("planning-grid");
    var status = document.getElementById("planning-status");
    if (!grid || !status) return;
    var dragged = null;

    function say(text, ok) {
      status.hidden = false;
      status.textContent = text;
      status.className = "msg " + (ok ? "msg-success" : "msg-error");
      status.setAttribute("role", ok ? "status" : "alert");
    }

    function accepts(cell) {
      if (!dragged || !cell) return false;
      if (cell.dataset.day !== dragged.dataset.day) return false;
      return !cell.contains(dragged);
    }

    function pillFor(source) {
      if (source.tagName === "A") return source;
      // an unassigned visit (a table row): the grid shows it as a pill like the others
      var pill = document.createElement("a");
      pill.className = "pill drag-visit";
      pill.href = source.dataset.url;
      pill.draggable = true;
      pill.dataset.assignUrl = source.dataset.assignUrl;
      pill.dataset.day = source.dataset.day;
      pill.textContent = source.dataset.time + " " + source.dataset.name;
      return pill;
    }

    function place(pill, cell) {
      var before = null;
      cell.querySelectorAll("a.pill").forEach(function (other) {
        if (!before && other !== pill && other.textContent > pill.textContent) before = other;
      });
      var empty = cell.querySelector(".empty-cell");
      if (empty) empty.remove();
      cell.insertBefore(pill, before);
      cell.insertBefore(document.createTextNode(" "), before);
    }

    function leftEmpty(cell) {
      if (cell && !cell.querySelector("a.pill")) {
        var dash = document.createElement("span");
        dash.className = "muted small empty-cell";
        dash.textContent = "–";
        cell.appendChild(dash);
      }
    }

    function assign(source, cell) {
      var body = new FormData();
      body.append("nurse", cell.dataset.nurse);
      source.classList.add("moving");
      fetch(source.dataset.assignUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": grid.dataset.csrf },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          }, function () {
            return { ok: false, data: { error: interpolate(gettext("The server did not answer (%(status)s)."), { status: response.status }, true) } };
          });
        })
        .then(function (result) {
          source.classList.remove("moving");
          if (!result.ok) {
            say(result.data.error || gettext("The visit could not be moved."), false);
            return;
          }
          var from = source.closest("td.drop-cell");
          var pill = pillFor(source);
          if (source.tagName === "TR") source.remove();
          place(pill, cell);
          leftEmpty(from);
          say(result.data.message, true);
        })
        .catch(function () {
          source.classList.remove("moving");
          say(gettext("No connection: the visit was not moved. Please try again."), false);
        });
    }

    document.addEventListener("dragstart", function (event) {
      var source = event.target.closest && event.target.closest(".drag-visit");
      if (!source) return;
      dragged = source;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", source.dataset.assignUrl);
      source.classList.add("dragging");
    });
    document.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
      grid.querySelectorAll(".drop-over").forEach(function (c) { c.classList.remove("drop-over"); });
    });
    grid.addEventListener("dragover", function (event) {
      var cell = event.target.closest("td.drop-cell");
      if (accepts(cell)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        cell.classList.add("drop-over");
      }
    });
    grid.addEventListener("dragleave", function (event) {
      var cell = event.target.closest("td.drop-cell");
      if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("drop-over");
    });
    grid.addEventListener("drop", function (event) {
      var cell = event.target.closest("td.drop-cell");
      if (!accepts(cell)) return;
      event.preventDefault();
      cell.classList.remove("drop-over");
      assign(dragged, cell);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

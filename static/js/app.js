// Site script. Loaded from static/, never inline (the Content-Security-Policy allows no inline script).
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("htmx-error");
  if (!box) {
    box = document.createElement("p");
    box.id = "htmx-error";
    box.className = "msg msg-error";
    box.setAttribute("role", "alert");
    document.getElementById("main").prepend(box);
  }
  // gettext and interpolate come from Django's JavaScript catalogue (/jsi18n/, loaded first).
  var text = gettext("Something went wrong (%(status)s). Your input is kept; please try again.");
  box.textContent = interpolate(text, { status: event.detail.xhr.status }, true);
});

// The menu marks the page you are on (aria-current) and, where it scrolls sideways on a
// phone, brings that link into view. The link whose address is the longest prefix of the
// current path wins, so /clients/123/ marks "Clients".
document.addEventListener("DOMContentLoaded", function () {
  // Both menus: the top one and, on a phone, the bottom bar (_partials/tabbar.html).
  document.querySelectorAll("nav.nav, nav.tabbar").forEach(markCurrent);
});

function markCurrent(nav) {
  var path = window.location.pathname, best = null, bestLength = 0;
  nav.querySelectorAll("a[href]").forEach(function (link) {
    var href = link.getAttribute("href");
    if (href.charAt(0) !== "/" || href === "/") return;
    if (path.indexOf(href) === 0 && href.length > bestLength) { best = link; bestLength = href.length; }
  });
  if (!best) return;
  best.setAttribute("aria-current", "page");
  if (nav.scrollWidth <= nav.clientWidth) return;
  var link = best.getBoundingClientRect(), box = nav.getBoundingClientRect();
  nav.scrollLeft += link.left - box.left - (nav.clientWidth - link.width) / 2;
}

// Messaging (issue 18). A reply form marked data-after-from sends the id of the last post the
// page shows (kept on the poller), so the answer carries exactly the posts still missing.
document.addEventListener("htmx:configRequest", function (event) {
  var form = event.detail.elt;
  if (!form.dataset || !form.dataset.afterFrom) return;
  var source = document.querySelector(form.dataset.afterFrom);
  if (source && source.dataset.after) event.detail.parameters.after = source.dataset.after;
});

// A poll and a reply answered at the same moment may both bring the same post: keep the first.
document.addEventListener("htmx:afterSettle", function () {
  var posts = document.getElementById("posts");
  if (!posts) return;
  var seen = {};
  posts.querySelectorAll("article.post[id]").forEach(function (post) {
    if (seen[post.id]) post.remove(); else seen[post.id] = true;
  });
});

// The installable app (issue 18): a nurse's pages register the service worker (static/js/sw.js,
// served at /sw.js), which keeps today's My day for when there is no network. Logging out
// tells it to forget the day at once (it also sees the log-out request itself).
if ("serviceWorker" in navigator && document.body && document.body.dataset.sw) {
  navigator.serviceWorker.register(document.body.dataset.sw, { scope: "/" }).catch(function () {});
}
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.action || !/\/accounts\/logout\/$/.test(new URL(form.action, location.href).pathname)) return;
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage("clear-day");
  }
});

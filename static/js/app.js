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
  var nav = document.querySelector("nav.nav");
  if (!nav) return;
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
});

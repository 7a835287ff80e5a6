// Buurtzorg's service worker (issue 18), served at /sw.js by buurtzorg/pwa.py, which writes
// `self.BZ` (the addresses) in front of this file. No library, no CDN.
//
// - The app shell (stylesheet, scripts, icons) is cached when the worker installs.
// - My day is fetched from the network first; each good answer is kept in today's cache
//   ("bz-day-YYYY-MM-DD", the phone's date), and shown from there when there is no network.
// - So is today's clients' summary (`self.BZ.dayPages`: address, key safe, care plan, medication
//   due), and so are the log pages of today's visits (`self.BZ.visitPage`, a pattern): My day asks for
//   them when it opens with a network ("keep-pages", static/js/offline.js), so a visit can be
//   logged with another duration or a report in a cellar. Their forms are queued there.
// - Today's cache is the only one ever read: older days are deleted at the first request of a
//   new day (and when a new worker starts), and all of them when she logs out.
"use strict";

var SHELL_CACHE = "bz-shell-v1";
var DAY_PREFIX = "bz-day-";

function today() {
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
}

function dayCache() { return DAY_PREFIX + today(); }

// Deletes the cached days: every one (`all`) or every one but today's.
function clearDays(all) {
  var keep = dayCache();
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(DAY_PREFIX) === 0 && (all || name !== keep);
    }).map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(self.BZ.shell); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("bz-shell-") === 0 && name !== SHELL_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return clearDays(false); })
      .then(function () { return self.clients.claim(); })
  );
});

// The page asks for this at log out too (static/js/app.js), in case the POST is not seen here.
self.addEventListener("message", function (event) {
  if (event.data === "clear-day") event.waitUntil(clearDays(true));
  if (event.data && event.data.type === "keep-pages") event.waitUntil(keepPages(event.data.urls || []));
});

function isVisitPage(url) {
  return Boolean(self.BZ.visitPage) && new RegExp(self.BZ.visitPage).test(url.pathname) && url.search === "";
}

function keepable(response) {
  // Only her own page: not a redirect to the login page, not an error.
  return response.ok && !response.redirected && response.type === "basic";
}

// Today's visit pages, fetched now while there is a network (one after the other: a phone on
// a weak signal should not fire a dozen requests at once).
function keepPages(urls) {
  return caches.open(dayCache()).then(function (cache) {
    return urls.reduce(function (chain, href) {
      var url = new URL(href, self.location.origin);
      if (url.origin !== self.location.origin || !(isVisitPage(url) || isDayPage(url))) return chain;
      return chain.then(function () {
        // Kept already today (each opening with a network refreshes it): not fetched again, so
        // opening My day does not reload every visit's page.
        return cache.match(url.pathname).then(function (kept) {
          if (kept) return null;
          return fetch(url.pathname, { credentials: "same-origin" }).then(function (response) {
            if (keepable(response)) return cache.put(url.pathname, response);
            return null;
          });
        }).catch(function () { return null; });
      });
    }, Promise.resolve());
  });
}

// My day and today's clients (issue 18, the day's summary).
function isDayPage(url) {
  return self.BZ.dayPages.indexOf(url.pathname) !== -1 && url.search === "";
}

// A page of the day: the network first (each good answer kept in today's cache under its
// path), today's cache when there is no network.
function pageFromNetwork(request, path) {
  return fetch(request).then(function (response) {
    if (keepable(response)) {
      var copy = response.clone();
      caches.open(dayCache()).then(function (cache) { cache.put(path, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(dayCache()).then(function (cache) { return cache.match(path); })
      .then(function (cached) { return cached || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === self.BZ.logout) {
    // Logging out: forget the day's pages before the request leaves (the network answers).
    event.waitUntil(clearDays(true));
    return;
  }
  if (request.method !== "GET") return;
  // A new day: yesterday's pages go before anything is served.
  event.waitUntil(clearDays(false));
  if ((isDayPage(url) || isVisitPage(url)) && request.headers.get("HX-Request") === null) {
    event.respondWith(pageFromNetwork(request, url.pathname));
    return;
  }
  if (self.BZ.shell.indexOf(url.pathname) !== -1) {
    // Shell files: the network when it answers (a new deploy), the cache when it does not.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL_CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (cached) { return cached || Response.error(); });
    }));
  }
});

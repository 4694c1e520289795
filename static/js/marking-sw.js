/*
 * Service worker of the marking pages: keeps the page and its assets so that
 * a judge can reload the marking page without a network. Network first, the
 * cache only when the network fails. It never touches the API or any write:
 * unsent marks live in IndexedDB and are sent by the page itself (no
 * Background Sync, which Safari lacks).
 */
"use strict";

var CACHE = "marking-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var page = url.pathname.indexOf("/marking/") === 0 && request.mode === "navigate";
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!page && !asset) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreSearch: page }).then(function (cached) {
        return cached || Response.error();
      });
    })
  );
});

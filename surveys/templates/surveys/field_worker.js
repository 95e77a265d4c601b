{% load i18n %}// The enumerator's service worker (served by views_paper.field_worker, scope: this wave's field pages).
// It keeps the field pages and what they load, so a tablet can open them again with no network: pages
// are asked from the network first and kept; when the network fails, the kept copy answers. Only GETs;
// the forms themselves wait in field.js's queue, never here.
"use strict";
var CACHE = "parindex-field-{{ wave_id }}-v1";
var SCOPE = new URL(self.registration.scope).pathname;
var NOT_KEPT = "{% filter escapejs %}{% translate 'Trang này chưa được lưu trên máy: hãy mở nó một lần khi có mạng.' %}{% endfilter %}";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("parindex-field-{{ wave_id }}-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keeps(request) {
  if (request.method !== "GET") return false;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  if (request.mode === "navigate") return url.pathname.indexOf(SCOPE) === 0;
  return true;  // what a field page loads: styles, scripts, the theme
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!keeps(request)) return;
  event.respondWith(fetch(request).then(function (response) {
    // A sign-in page after a redirect is not the field page: never kept in its place, and the kept
    // pages of the signed-out session are dropped.
    if (request.mode === "navigate" && response.redirected) {
      caches.delete(CACHE);
    } else if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (kept) {
      return kept || new Response(NOT_KEPT, {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
      });
    });
  }));
});

// The page asks for itself and what it loaded to be kept (the first visit loads them before this
// worker controls it); the answer says when they are.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.keep) || [];
  var port = event.ports && event.ports[0];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(urls);
  }).then(function () {
    if (port) port.postMessage({ kept: urls.length });
  }, function () {
    if (port) port.postMessage({ kept: 0 });
  }));
});

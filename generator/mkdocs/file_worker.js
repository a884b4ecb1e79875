/* perfpages preview (perfpages build --preview) only, never a published site: search from a
   page opened from the disk (file://). Browsers refuse to start a Web Worker there, and
   Material's search runs in one; this stands in for Worker on file:// pages only, running the
   worker's script in a hidden frame of the page (same origin as the page, so nothing is loaded
   from another host). Material reads the search index from search/search_index.js there. */
(function () {
  "use strict";
  if (location.protocol !== "file:" || !window.EventTarget) return;

  function FileWorker(address) {
    var url = new URL(address, location.href).href;
    var worker = new EventTarget();
    var frame = document.createElement("iframe");
    var queue = [];
    var ready = false;
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    document.body.appendChild(frame);
    var inner = frame.contentWindow;

    function toPage(data) {
      var event = new MessageEvent("message", { data: data });
      if (typeof worker.onmessage === "function") worker.onmessage(event);
      worker.dispatchEvent(event);
    }

    function load(src) {
      return new Promise(function (resolve, reject) {
        var tag = inner.document.createElement("script");
        tag.src = new URL(src, url).href;
        tag.onload = resolve;
        tag.onerror = reject;
        inner.document.head.appendChild(tag);
      });
    }

    // What the worker's script calls: postMessage reaches the page; importScripts loads in
    // order and returns a promise (Material awaits it).
    inner.postMessage = function (data) {
      setTimeout(function () { toPage(data); }, 0);
    };
    inner.importScripts = function () {
      var sources = Array.prototype.slice.call(arguments);
      return sources.reduce(function (done, src) {
        return done.then(function () { return load(src); });
      }, Promise.resolve());
    };

    function toWorker(data) {
      inner.dispatchEvent(new inner.MessageEvent("message", { data: data }));
    }

    worker.postMessage = function (data) {
      if (ready) toWorker(data);
      else queue.push(data);
    };
    worker.terminate = function () {
      frame.remove();
    };
    load(url).then(function () {
      ready = true;
      queue.splice(0).forEach(toWorker);
    });
    return worker;
  }

  window.Worker = FileWorker;
})();

/* perfpages: small progressive enhancements. The site works fully without this file. */
(function () {
  "use strict";

  // A table wrapper is a focusable, labelled scroll region only when it actually scrolls,
  // so keyboard users can scroll it, and do not meet an extra tab stop when it does not.
  function updateRegions() {
    document.querySelectorAll(".pp-table").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
      } else {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
      }
    });
  }

  var timer = null;
  function onResize() {
    window.clearTimeout(timer);
    timer = window.setTimeout(updateRegions, 150);
  }

  // On paper a link is only useful with its address. Links to other sites show theirs from
  // the print style sheet; links within this site are relative, so each gets its full address
  // here (not in tables, the breadcrumb or the navigation, which would drown in addresses).
  function printAddresses() {
    document.querySelectorAll(".md-content a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (/^(https?:|mailto:|#)/.test(href) || link.closest("table, nav, .pp-breadcrumb")) return;
      link.setAttribute("data-pp-print-url", link.href);
    });
  }

  function start() {
    printAddresses();
    updateRegions();
    window.addEventListener("resize", onResize);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

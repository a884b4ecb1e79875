/* perfpages: makes Material's menu, search and section toggles work by keyboard and screen
   reader. Material draws them as <label>s for hidden checkboxes: the header's menu and search
   buttons cannot be reached with Tab, the section toggles have no name, and the closed menu
   drawer on a phone keeps its links in the Tab order although they are off the screen. Names come
   from the page itself (Material's translated labels), so no wording lives here. */
(function () {
  "use strict";

  // Material's own breakpoint below which the navigation becomes a drawer (76.25em).
  var DRAWER = window.matchMedia("(max-width: 76.234375em)");

  function checkboxOf(label) {
    return document.getElementById(label.getAttribute("for"));
  }

  // Material's toggles are <label>s, which may not take a button role: a span inside each one
  // becomes the button (role, name, state, Tab stop, Enter and Space), and the label stays as
  // Material styles it. A click on the span is a click on its label, which flips the checkbox.
  function firstVisibleControl(root) {
    var all = root.querySelectorAll("a[href], .pp-toggle, button, input");
    for (var i = 0; i < all.length; i++) {
      if (all[i].checkVisibility({ visibilityProperty: true }) && !all[i].closest("[inert]")) {
        return all[i];
      }
    }
    return null;
  }

  function makeButton(label, name, afterKey) {
    var box = checkboxOf(label);
    if (!box || label.querySelector(".pp-toggle")) return;
    var button = document.createElement("span");
    button.className = "pp-toggle";
    button.setAttribute("role", "button");
    button.setAttribute("tabindex", "0");
    if (name) button.setAttribute("aria-label", name);
    while (label.firstChild) button.appendChild(label.firstChild);
    // Material's icons are unnamed images; the button's name says what they mean.
    button.querySelectorAll("svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
    });
    label.appendChild(button);
    label.removeAttribute("tabindex");

    function sync() {
      button.setAttribute("aria-expanded", box.checked ? "true" : "false");
    }
    sync();
    box.addEventListener("change", sync);
    label.addEventListener("click", function () {
      window.setTimeout(sync, 0);
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        label.click();
        if (afterKey) afterKey(box, button);
      }
    });
  }

  function textOf(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function headerButtons() {
    var nav = document.querySelector(".md-nav--primary");
    var search = document.querySelector(".md-search__input");
    document.querySelectorAll("label.md-header__button[for]").forEach(function (label) {
      var target = label.getAttribute("for");
      if (target === "__drawer") makeButton(label, nav && nav.getAttribute("aria-label"));
      if (target === "__search" && search) {
        makeButton(label, search.getAttribute("aria-label"), function (box) {
          if (box.checked) search.focus();
        });
        searchReturnsFocus(search, label.querySelector(".pp-toggle"));
      }
    });
  }

  // Material closes the search on Escape by dropping the focus; where the search opened from
  // the header's button (on phones), the focus goes back to that button.
  function searchReturnsFocus(search, button) {
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !button) return;
      window.setTimeout(function () {
        var lost = document.activeElement === document.body || !document.activeElement;
        if (lost && button.checkVisibility({ visibilityProperty: true })) button.focus();
      }, 0);
    });
  }

  // Section toggles are named after their section, so a screen reader says "Priorities, button,
  // expanded" (Material leaves them empty); in the phone drawer, a section's title takes the
  // reader back up a level and the current page's entry opens its table of contents.
  function sectionToggles() {
    var selector =
      ".md-nav--primary label.md-nav__link[for]," +
      ".md-nav--primary label.md-nav__title[for]:not([for='__drawer'])";
    document.querySelectorAll(selector).forEach(function (label) {
      var container = label.closest(".md-nav__container");
      var name = textOf(container && container.querySelector("a.md-nav__link")) || textOf(label);
      makeButton(label, name, moveFocusInDrawer);
    });
  }

  // In the phone drawer a toggle swaps one level of the navigation for another, hiding the
  // toggle itself: the focus follows to the level now shown (its first control when going
  // down, the toggle of the section just left when going back up).
  function moveFocusInDrawer(box, button) {
    if (!DRAWER.matches) return;
    var item = box.parentElement;
    var next = null;
    if (box.checked) {
      var level = item.querySelector(":scope > nav.md-nav");
      next = level && firstVisibleControl(level);
    } else {
      next = item.querySelector(
        ":scope > .md-nav__container .pp-toggle, :scope > label.md-nav__link .pp-toggle"
      );
    }
    if (next && next !== button) next.focus();
  }

  function drawer() {
    var toggle = document.getElementById("__drawer");
    var sidebar = document.querySelector(".md-sidebar--primary");
    var button = document.querySelector("label.md-header__button[for='__drawer'] .pp-toggle");
    if (!toggle || !sidebar) return;

    function isOpen() {
      return toggle.checked;
    }
    function close(returnFocus) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      if (returnFocus && button) button.focus();
    }
    // A closed drawer is off the screen: nothing in it may take the focus.
    function sync() {
      sidebar.inert = DRAWER.matches && !isOpen();
    }

    toggle.addEventListener("change", function () {
      sync();
      if (isOpen() && DRAWER.matches && !sidebar.contains(document.activeElement)) {
        var first = firstVisibleControl(sidebar);
        if (first) first.focus();
      }
    });
    sidebar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && DRAWER.matches && isOpen()) {
        event.preventDefault();
        close(true);
      }
    });
    // Tabbing out of the open drawer closes it, so the focus never goes behind its overlay.
    sidebar.addEventListener("focusout", function (event) {
      if (!DRAWER.matches || !isOpen()) return;
      var next = event.relatedTarget;
      if (next && !sidebar.contains(next) && next !== button) close(false);
    });
    if (DRAWER.addEventListener) DRAWER.addEventListener("change", sync);
    sync();
  }

  function start() {
    headerButtons();
    sectionToggles();
    drawer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

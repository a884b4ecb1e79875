/* perfpages serve: the problems that stopped the last regeneration, at the top of every page.

   Only `perfpages serve` adds this script, to the pages of its preview; a built site never has
   it. serve writes perfpages-serve-problems.json beside it after each regeneration (the
   problems as the terminal prints them, and the heading, in the site's language) and reloads
   the browsers; each page reads it as it loads. The user's text is only ever set as text. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var statusFile = new URL("perfpages-serve-problems.json", script.src);
  var ID = "pp-serve-problems";

  var STYLE = [
    "#" + ID + " { box-sizing: border-box; margin: 0; padding: 0.6rem 0.8rem;",
    "  background: #fff3cd; color: #1b1b1b; border: 0.2rem solid #8a1c13;",
    "  border-left-width: 0.6rem; font-size: 0.8rem; line-height: 1.5; }",
    "#" + ID + " h2 { margin: 0 0 0.4rem; font-size: 1rem; font-weight: 700; color: inherit; }",
    "#" + ID + " ul { margin: 0 0 0.4rem; padding-left: 1.2rem; }",
    "#" + ID + " li { margin: 0.2rem 0; }",
    "#" + ID + " code { font-family: var(--md-code-font-family, monospace); font-size: 0.75rem;",
    "  background: none; color: inherit; white-space: pre-wrap; overflow-wrap: anywhere; }",
    "#" + ID + " p { margin: 0; }",
  ].join("\n");

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    return node;
  }

  // A region (so it is found among the page's landmarks) holding an alert (so a screen reader
  // says it as the page loads): the heading, each problem on its own line, then the count.
  function banner(status) {
    var section = element("section");
    section.id = ID;
    section.setAttribute("aria-labelledby", ID + "-title");
    var alert = element("div");
    alert.setAttribute("role", "alert");
    var heading = element("h2", status.heading);
    heading.id = ID + "-title";
    alert.appendChild(heading);
    var list = element("ul");
    status.problems.forEach(function (line) {
      var item = element("li");
      item.appendChild(element("code", line));
      list.appendChild(item);
    });
    alert.appendChild(list);
    if (status.count) alert.appendChild(element("p", status.count));
    if (status.hint) alert.appendChild(element("p", status.hint));
    section.appendChild(alert);
    return section;
  }

  function show(status) {
    if (!status || !Array.isArray(status.problems) || !status.problems.length) return;
    var style = element("style", STYLE);
    document.head.appendChild(style);
    var section = banner(status);
    document.body.insertBefore(section, document.body.firstChild);
    // The page reloads where it was scrolled to; the problems are what the reader must see.
    // The browser restores the old position as late as the load event, so stop it restoring
    // and go to the top now, at load, and once more after the frame that follows load.
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    var top = function () {
      window.scrollTo(0, 0);
    };
    var settled = function () {
      top();
      window.requestAnimationFrame(function () {
        window.setTimeout(top, 0);
      });
    };
    top();
    if (document.readyState === "complete") settled();
    else window.addEventListener("load", settled);
  }

  // Once the files are good again, reloads keep the reader's place as usual.
  function restore(status) {
    var shown = status && Array.isArray(status.problems) && status.problems.length;
    if (!shown && "scrollRestoration" in history) history.scrollRestoration = "auto";
    return status;
  }

  window
    .fetch(statusFile.href, { cache: "no-store" })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(restore)
    .then(show)
    .catch(function () {});
})();

/* perfpages: filtering and sorting for the all-indicators table (loaded only on that page).
   Without this file the page is a plain table of every indicator. The filters are native
   <select>s in a <form> the page ships hidden; the result count is announced through a polite
   live region (role="status"); column headers become buttons and carry aria-sort. The chosen
   filters are kept in the address (?priority=...), so a filtered list can be shared. */
(function () {
  "use strict";

  var form = document.getElementById("pp-filter");
  var table = document.querySelector("#all-table") && document.querySelector("#all-table").closest("table");
  var status = document.getElementById("pp-filter-count");
  if (!form || !table || !status) return;

  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sortState = { column: -1, ascending: true };

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function rowMatches(row, name, wanted) {
    if (!wanted) return true;
    var value = row.getAttribute("data-" + name) || "";
    if (name === "tag") {
      try {
        return JSON.parse(value || "[]").indexOf(wanted) !== -1;
      } catch (e) {
        return false;
      }
    }
    return value === wanted;
  }

  function announce(shown) {
    var text = fill(form.getAttribute("data-count"), { shown: shown, total: rows.length });
    if (sortState.column >= 0) {
      text += ", " + fill(form.getAttribute("data-sorted"), {
        column: headerLabel(headers[sortState.column]),
        order: form.getAttribute(sortState.ascending ? "data-ascending" : "data-descending"),
      });
    }
    // Re-setting the same text is not announced; the status only changes when the list does.
    status.textContent = text + ".";
  }

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = selects.every(function (select) {
        return rowMatches(row, select.getAttribute("data-filter"), select.value);
      });
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    stripe();
    keepInAddress();
    announce(shown);
  }

  // Zebra stripes follow the visible rows, not the hidden ones.
  function stripe() {
    var n = 0;
    Array.prototype.forEach.call(tbody.rows, function (row) {
      if (row.hidden) return;
      row.classList.toggle("pp-odd", n % 2 === 1);
      n += 1;
    });
  }

  function keepInAddress() {
    if (!window.history || !window.URLSearchParams) return;
    var params = new URLSearchParams();
    selects.forEach(function (select) {
      if (select.value) params.set(select.name, select.value);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function readAddress() {
    if (!window.URLSearchParams) return;
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted === null) return;
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === wanted;
      });
      if (known) select.value = wanted;
    });
  }

  // ---- Sorting ------------------------------------------------------------------------------

  function headerLabel(th) {
    var button = th.querySelector("button");
    var label = button ? button.querySelector(".pp-sort__label") : null;
    return (label || th).textContent.trim();
  }

  function sortValue(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function compare(a, b, type) {
    if (type === "number") return parseFloat(a) - parseFloat(b);
    return a.localeCompare(b, document.documentElement.lang || undefined, { sensitivity: "base", numeric: true });
  }

  function sortBy(column) {
    var ascending = sortState.column === column ? !sortState.ascending : true;
    sortState = { column: column, ascending: ascending };
    var type = headers[column].getAttribute("data-sort-type") || "text";
    var keyed = rows.map(function (row, index) {
      return { row: row, key: sortValue(row, column), index: index };
    });
    keyed.sort(function (x, y) {
      // Empty cells go last whichever way the column is sorted.
      var empty = (x.key === "") - (y.key === "");
      if (empty !== 0) return empty;
      var result = compare(x.key, y.key, type);
      if (!ascending) result = -result;
      return result || x.index - y.index; // stable: ties keep the report order
    });
    keyed.forEach(function (item) {
      tbody.appendChild(item.row);
    });
    headers.forEach(function (th, index) {
      if (index === column) {
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
    stripe();
    announce(rows.filter(function (row) { return !row.hidden; }).length);
  }

  function addSortButtons() {
    headers.forEach(function (th, index) {
      var label = th.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pp-sort";
      var text = document.createElement("span");
      text.className = "pp-sort__label";
      text.textContent = label;
      var icon = document.createElement("span");
      icon.className = "pp-sort__icon";
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(text);
      button.appendChild(icon);
      button.addEventListener("click", function () {
        sortBy(index);
      });
      th.textContent = "";
      th.appendChild(button);
    });
  }

  // ---- Start --------------------------------------------------------------------------------

  addSortButtons();
  table.classList.add("pp-js-stripes");
  readAddress();
  form.hidden = false;
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    applyFilters();
  });
  form.addEventListener("reset", function () {
    // The form's values are reset after this event; filter once they are.
    window.setTimeout(applyFilters, 0);
  });
  // On load the count is shown (filters may come from the address); live regions are not
  // announced on page load, so this is not read out unasked.
  applyFilters();
})();

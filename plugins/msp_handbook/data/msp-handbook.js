/* Sorting the dashboard across partnerships by column (msp-handbook).

   Without this script the table is complete and in the order the build wrote
   it (by name); the filter pages narrow it without any script. With it, every
   sortable column heading becomes a button, and a "Sort by" list above the
   table does the same on phones, where rows are cards and headings are hidden.

   Each cell carries its sort key in data-v, written by the build (numbers or
   ISO dates, see structure/dashboard.py): the script never reads the words a
   reader sees. Cells without a key sort last in either direction. The script
   loads nothing and talks to no other host. */
(function () {
  "use strict";

  function compareKeys(a, b) {
    var x = Number(a), y = Number(b);
    if (isFinite(x) && isFinite(y)) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sortable(table, number) {
    var headings = table.tHead.rows[0].cells;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var columns = [];
    Array.prototype.forEach.call(headings, function (heading, index) {
      if (heading.hasAttribute("data-sort")) columns.push({index: index, heading: heading});
    });
    if (!columns.length || rows.length < 2) return;

    // The build's order: what "Partnership, A to Z" means, and the tie-breaker.
    rows.forEach(function (row, position) { row.mspPosition = position; });

    var status = document.createElement("p");
    status.className = "msp-sort-status";
    status.setAttribute("role", "status");

    var control = document.createElement("div");
    control.className = "msp-sort";
    var label = document.createElement("label");
    label.htmlFor = "msp-sort-" + number;
    label.textContent = "Sort by ";
    var select = document.createElement("select");
    select.id = label.htmlFor;
    columns.forEach(function (column) {
      ["ascending", "descending"].forEach(function (direction) {
        var option = document.createElement("option");
        option.value = column.index + " " + direction;
        option.textContent = describe(column, direction);
        select.appendChild(option);
      });
    });
    control.appendChild(label);
    control.appendChild(select);
    table.parentNode.insertBefore(control, table);
    table.parentNode.insertBefore(status, table);

    function describe(column, direction) {
      var words = column.heading.getAttribute(direction === "ascending" ? "data-asc" : "data-desc");
      return column.heading.textContent + ": " + words;
    }

    function sortBy(column, direction) {
      var sign = direction === "ascending" ? 1 : -1;
      var keyed = column.heading.getAttribute("data-sort") !== "order";
      rows.sort(function (a, b) {
        if (keyed) {
          var x = a.cells[column.index].getAttribute("data-v") || "";
          var y = b.cells[column.index].getAttribute("data-v") || "";
          if (x === "" || y === "") {
            if (x !== y) return x === "" ? 1 : -1;
          } else {
            var order = compareKeys(x, y);
            if (order) return sign * order;
          }
          return a.mspPosition - b.mspPosition;
        }
        return sign * (a.mspPosition - b.mspPosition);
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
      columns.forEach(function (other) {
        if (other === column) other.heading.setAttribute("aria-sort", direction);
        else other.heading.removeAttribute("aria-sort");
      });
      select.value = column.index + " " + direction;
      status.textContent = "Sorted by " + describe(column, direction) + ".";
    }

    columns.forEach(function (column) {
      var button = document.createElement("button");
      button.type = "button";
      while (column.heading.firstChild) button.appendChild(column.heading.firstChild);
      column.heading.appendChild(button);
      button.addEventListener("click", function () {
        var now = column.heading.getAttribute("aria-sort");
        sortBy(column, now === "ascending" ? "descending" : "ascending");
      });
    });
    select.addEventListener("change", function () {
      var parts = select.value.split(" ");
      var column = columns.filter(function (each) { return String(each.index) === parts[0]; })[0];
      sortBy(column, parts[1]);
    });
    // The build's order is by name: say so, on the heading and in the list.
    columns.forEach(function (column) {
      if (column.heading.getAttribute("data-sort") === "order") {
        column.heading.setAttribute("aria-sort", "ascending");
        select.value = column.index + " ascending";
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-msp-sortable]"), sortable);
})();

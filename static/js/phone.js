/* ExecGap on phones and narrow windows (static/css/phone.css).

   The header's menu: the APG "disclosure navigation" pattern. Without this script the toggle stays
   hidden and the menu stays open; with it the menu folds behind the toggle, which says whether it is
   open (aria-expanded). Escape closes it and gives the focus back to the toggle. On a wide screen the
   stylesheet shows the menu whatever the toggle says.

   Tables' scroll boxes: a box whose table is wider than the screen can be scrolled from the keyboard
   (it takes the focus, as a region named after its table); one that fits is left alone. Checked
   again when the window is resized and when htmx swaps part of the page. */
(function () {
  "use strict";

  function menuSetUp() {
    var toggle = document.querySelector(".site-header .nav-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    var header = toggle.closest(".site-header");
    toggle.setAttribute("aria-expanded", "false");
    toggle.hidden = false;
    header.classList.add("has-nav-toggle");

    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
    });
    header.addEventListener("keydown", function (event) {
      var folding = getComputedStyle(toggle).display !== "none"; // a wide screen folds nothing
      if (event.key === "Escape" && folding && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  function tableName(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    if (table && table.getAttribute("aria-label")) {
      return table.getAttribute("aria-label");
    }
    var labelledBy = table && table.getAttribute("aria-labelledby");
    var label = labelledBy && document.getElementById(labelledBy.split(" ")[0]);
    if (label && label.textContent.trim()) {
      return label.textContent.trim();
    }
    var section = box.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : "Table";
  }

  function scrollBoxesReachable() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(box) + " (scrolls sideways)");
        box.setAttribute("data-scroll-reachable", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-reachable")) {
        ["tabindex", "role", "aria-label", "data-scroll-reachable"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  function setUp() {
    menuSetUp();
    scrollBoxesReachable();
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(scrollBoxesReachable, 150);
    });
    document.body.addEventListener("htmx:afterSettle", scrollBoxesReachable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

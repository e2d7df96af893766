// Printing a page (print.css): the "Print / save as PDF" buttons, the page's title in the print header,
// and the links' addresses written whole for paper. Without this script the header shows the page's
// own heading below it and the addresses as the site's paths.
(function () {
  "use strict";

  function prepare() {
    document.querySelectorAll("[data-print][hidden]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    var title = document.querySelector(".print-header .print-title");
    var heading = document.querySelector("main h1");
    if (title && heading) { title.textContent = heading.textContent.trim(); }
    document.querySelectorAll("main a[href]").forEach(function (link) {
      if (link.getAttribute("href").charAt(0) !== "#") { link.setAttribute("data-print-url", link.href); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepare);
  } else {
    prepare();
  }
  // Lists swapped in place (htmx) bring new links.
  document.addEventListener("htmx:afterSettle", prepare);
})();

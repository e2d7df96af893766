/* ExecGap strategy map (templates/dashboards/_tree_canvas.html): the tree of cards in its own box.

   - Each node's toggle opens the level below it in place: the first time its level is asked for
     (htmx, the same fragment the list view uses, drawn as cards), afterwards it is only shown or
     hidden. Without this script the toggles are the buttons of a GET form: each opens the map on
     its goal, drawn by the server.
   - The box pans: drag it with a mouse or a pen (a touch scrolls it natively), or, focused, with the
     arrow keys (Shift for a longer step), Home and End.
   - The map opened on a goal is scrolled to show it. */
(function () {
  "use strict";

  var STEP = 80; // pixels an arrow key moves the map
  var LONG_STEP = 400;
  var DRAG_THRESHOLD = 4; // pixels a press may move and still be a click

  function setLoading(list) {
    list.replaceChildren();
    var item = document.createElement("li");
    item.className = "map-more";
    item.textContent = "Loading…";
    list.appendChild(item);
  }

  function showFailure(list) {
    list.replaceChildren();
    var item = document.createElement("li");
    item.className = "map-more form-errors";
    item.setAttribute("role", "alert");
    item.textContent = "This part of the map could not be shown: reload the page to try again.";
    list.appendChild(item);
    list.removeAttribute("data-loaded");
  }

  function toggle(button) {
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    var opening = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", opening ? "true" : "false");
    list.hidden = !opening;
    if (!opening || list.hasAttribute("data-loaded")) return;
    list.setAttribute("data-loaded", "");
    setLoading(list);
    window.htmx
      .ajax("GET", button.getAttribute("data-level"), { target: list, swap: "innerHTML" })
      .catch(function () {
        showFailure(list);
      });
  }

  function isControl(element) {
    return element.closest("a, button, input, select, textarea, summary, label");
  }

  function Pan(viewport) {
    this.viewport = viewport;
    this.press = null;
    this.dragged = false;
  }

  Pan.prototype.listen = function () {
    var self = this;
    var viewport = this.viewport;
    viewport.addEventListener("pointerdown", function (event) {
      // A touch scrolls the box natively; a press on a link or button is theirs.
      if (event.pointerType === "touch" || event.button !== 0 || isControl(event.target)) return;
      self.press = {
        id: event.pointerId,
        x: event.clientX,
        y: event.clientY,
        left: viewport.scrollLeft,
        top: viewport.scrollTop,
      };
      self.dragged = false;
    });
    viewport.addEventListener("pointermove", function (event) {
      var press = self.press;
      if (!press || press.id !== event.pointerId) return;
      var dx = event.clientX - press.x;
      var dy = event.clientY - press.y;
      if (!self.dragged && Math.abs(dx) + Math.abs(dy) < DRAG_THRESHOLD) return;
      if (!self.dragged) {
        self.dragged = true;
        viewport.setPointerCapture(event.pointerId);
        viewport.classList.add("is-panning");
        var selection = window.getSelection();
        if (selection) selection.removeAllRanges(); // what the press began to select
      }
      viewport.scrollLeft = press.left - dx;
      viewport.scrollTop = press.top - dy;
      event.preventDefault();
    });
    function release(event) {
      if (!self.press || self.press.id !== event.pointerId) return;
      self.press = null;
      viewport.classList.remove("is-panning");
      if (viewport.hasPointerCapture(event.pointerId)) viewport.releasePointerCapture(event.pointerId);
    }
    viewport.addEventListener("pointerup", release);
    viewport.addEventListener("pointercancel", release);
    // A drag that ends over a card's text selects nothing and follows nothing.
    viewport.addEventListener(
      "click",
      function (event) {
        if (self.dragged) {
          event.preventDefault();
          event.stopPropagation();
          self.dragged = false;
        }
      },
      true
    );
    viewport.addEventListener("keydown", function (event) {
      self.key(event);
    });
  };

  Pan.prototype.key = function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target.closest("input, select, textarea")) return;
    var step = event.shiftKey ? LONG_STEP : STEP;
    var viewport = this.viewport;
    var moves = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    var move = moves[event.key];
    if (event.key === "Home" && target === viewport) {
      viewport.scrollTo({ left: 0, top: 0 });
    } else if (event.key === "End" && target === viewport) {
      viewport.scrollTo({ left: viewport.scrollWidth, top: viewport.scrollHeight });
    } else if (move) {
      viewport.scrollBy({ left: move[0], top: move[1] });
    } else {
      return;
    }
    event.preventDefault();
  };

  // The map opened on a goal shows that goal's card, across and down its box.
  function reveal(viewport) {
    var card = viewport.querySelector(".map-target > .map-card");
    if (!card) return;
    var box = viewport.getBoundingClientRect();
    var at = card.getBoundingClientRect();
    viewport.scrollLeft += at.left - box.left - Math.max(16, (box.width - at.width) / 2);
    viewport.scrollTop += at.top - box.top - 16;
  }

  function enhance(root) {
    root.querySelectorAll("[data-strategy-map]").forEach(function (viewport) {
      if (viewport.hasAttribute("data-map-ready")) return;
      viewport.setAttribute("data-map-ready", "");
      new Pan(viewport).listen();
      reveal(viewport);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".map-tree .node-toggle");
    if (!button || !window.htmx) return;
    event.preventDefault(); // the form's submit is for a browser without this script
    toggle(button);
  });

  // A level htmx could not fetch (an error answer is not swapped in): say so where it would have been.
  ["htmx:responseError", "htmx:sendError"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var target = event.detail.target;
      if (target && target.classList && target.classList.contains("tree-children")) showFailure(target);
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }
  // The map is drawn again when the scores change (#strategy-tree is swapped by htmx).
  document.addEventListener("htmx:afterSettle", function () {
    enhance(document);
  });
})();

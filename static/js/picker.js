/* ExecGap pickers (execgap/web/picker.py): a search box that becomes an ARIA combobox with a listbox
   of matches (the APG "list autocomplete" pattern) once this script runs.

   Without this script the same markup is a plain search form: a Find button and a select of the
   matches. With it, the Find button goes, the select is hidden (it still holds the value the form
   sends), and typing asks the picker's endpoint (htmx) for the best matches:
   ArrowDown/ArrowUp move through them, Enter chooses, Escape closes the list (or, closed, puts the
   box back to the choice), Tab leaves. The choice is announced in a status region. */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function enabledOptions(listbox) {
    return Array.prototype.slice.call(
      listbox.querySelectorAll('[role="option"]:not([aria-disabled="true"])')
    );
  }

  function Picker(root) {
    this.root = root;
    this.input = root.querySelector("[data-picker-input]");
    this.select = root.querySelector("[data-picker-select]");
    this.listbox = root.querySelector("[data-picker-listbox]");
    this.status = root.querySelector("[data-picker-status]");
    this.url = root.getAttribute("data-picker-url");
    this.active = -1;
    this.timer = null;
    this.edited = false;
    this.searched = null;
  }

  Picker.prototype.enhance = function () {
    var self = this;
    var find = this.root.querySelector("[data-picker-find]");
    if (find) find.remove();
    var hint = this.root.querySelector("[data-picker-hint]");
    if (hint) hint.textContent = hint.getAttribute("data-picker-hint-script");
    this.select.hidden = true;
    this.select.setAttribute("tabindex", "-1");
    var input = this.input;
    input.removeAttribute("name"); // the box's text is not part of the form once the script runs
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.value = this.chosenLabel();
    // Nothing chosen: the box says what that means ("All teams", "Myself") when the field says so.
    var empty = this.select.querySelector('option[value=""]');
    if (empty && !/^-+$/.test(empty.text.trim())) input.placeholder = empty.text;
    this.root.classList.add("picker-ready");

    input.addEventListener("input", function () {
      self.edited = true;
      self.later();
    });
    input.addEventListener("keydown", function (event) {
      self.key(event);
    });
    // Parent forms that submit on "change" (the workspace's filters) wait for a choice.
    input.addEventListener("change", function (event) {
      event.stopPropagation();
    });
    input.addEventListener("blur", function () {
      window.setTimeout(function () {
        if (document.activeElement !== input) self.leave();
      }, 150);
    });
    // A click on an option chooses it without taking the focus from the box.
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option && option.getAttribute("aria-disabled") !== "true") self.choose(option);
    });
  };

  Picker.prototype.chosenLabel = function () {
    var option = this.select.options[this.select.selectedIndex];
    return option && option.value !== "" ? option.text : "";
  };

  Picker.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Picker.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  // Closing (a choice, Escape, leaving) also drops a search still waiting or on its way: its matches,
  // landing after the choice, would open the list again.
  Picker.prototype.close = function () {
    window.clearTimeout(this.timer);
    this.searched = null;
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  // Leaving the box without choosing: the box shows the choice again; emptied, it clears the choice
  // when the field may be empty.
  Picker.prototype.leave = function () {
    this.close();
    if (this.edited && this.input.value.trim() === "" && this.select.querySelector('option[value=""]')) {
      this.select.value = "";
      this.announce("No choice.");
      this.select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    this.input.value = this.chosenLabel();
    this.edited = false;
  };

  Picker.prototype.later = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.search();
    }, DELAY_MS);
  };

  Picker.prototype.search = function (thenMove) {
    var self = this;
    var query = this.edited ? this.input.value.trim() : "";
    this.searched = query;
    window.htmx
      .ajax("GET", this.url, {
        target: this.listbox,
        swap: "innerHTML",
        values: { q: query },
      })
      .then(function () {
        if (self.searched !== query) return;
        self.shown(query);
        if (thenMove && self.isOpen()) self.move(1);
      });
  };

  // The matches have landed: number the options, add the fixed choices (the empty one, "Nobody") on
  // an empty search, open the list and say how many there are.
  Picker.prototype.shown = function (query) {
    var listbox = this.listbox;
    if (query === "") {
      var fixed = this.select.querySelectorAll("option[data-picker-fixed]");
      for (var i = fixed.length - 1; i >= 0; i--) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-value", fixed[i].value);
        item.setAttribute("data-label", fixed[i].value === "" ? "" : fixed[i].text);
        item.textContent = fixed[i].text;
        listbox.insertBefore(item, listbox.firstChild);
      }
    }
    var all = listbox.querySelectorAll('[role="option"]');
    for (var n = 0; n < all.length; n++) all[n].id = listbox.id + "-" + n;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (document.activeElement !== this.input) return;
    this.open();
    var count = enabledOptions(listbox).length;
    var note = listbox.querySelector('[aria-disabled="true"]');
    this.announce(
      count === 0
        ? note
          ? note.textContent
          : "No match."
        : count + (count === 1 ? " match" : " matches") + (note ? ". " + note.textContent : ".")
    );
  };

  Picker.prototype.move = function (step) {
    var options = enabledOptions(this.listbox);
    if (!options.length) return;
    if (this.active >= 0 && options[this.active]) options[this.active].setAttribute("aria-selected", "false");
    if (this.active < 0) this.active = step > 0 ? 0 : options.length - 1;
    else this.active = (this.active + step + options.length) % options.length;
    var option = options[this.active];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.choose = function (option) {
    var value = option.getAttribute("data-value");
    var label = option.getAttribute("data-label");
    var choice = null;
    for (var i = 0; i < this.select.options.length; i++) {
      if (this.select.options[i].value === value) choice = this.select.options[i];
    }
    if (!choice) {
      choice = new Option(label, value);
      this.select.add(choice);
    }
    this.select.value = value;
    this.edited = false;
    this.input.value = this.chosenLabel();
    this.close();
    this.announce(value === "" ? option.textContent + " chosen." : "Chosen: " + label + ".");
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
  };

  Picker.prototype.announce = function (text) {
    this.status.textContent = text;
  };

  Picker.prototype.key = function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (this.isOpen()) this.move(1);
        else this.search(true);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (this.isOpen()) this.move(-1);
        break;
      case "Enter":
        if (!this.isOpen()) return; // a closed list: Enter sends the form, as in any box
        event.preventDefault();
        var options = enabledOptions(this.listbox);
        if (this.active >= 0 && options[this.active]) this.choose(options[this.active]);
        else if (options.length === 1) this.choose(options[0]);
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.edited) {
          event.preventDefault();
          this.edited = false;
          this.input.value = this.chosenLabel();
        }
        break;
      case "Tab":
        if (this.isOpen()) this.close();
        break;
      default:
        break;
    }
  };

  function enhanceAll(element) {
    var roots = element.querySelectorAll ? element.querySelectorAll("[data-picker]") : [];
    for (var i = 0; i < roots.length; i++) {
      if (roots[i].hasAttribute("data-picker-on")) continue;
      roots[i].setAttribute("data-picker-on", "");
      new Picker(roots[i]).enhance();
    }
  }

  if (window.htmx) window.htmx.onLoad(enhanceAll);
})();

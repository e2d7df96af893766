"""Choosing in a picker from the keyboard, as a person would: type part of a name, move down the list
of matches with the arrow key until the wanted one is active, Enter (execgap/web/picker, picker.js)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

MAX_STEPS = 20  # a picker's list holds at most 20 matches


def labelled(field: str) -> re.Pattern[str]:
    """The accessible name of the box of a picker labelled `field` (a form's label ends with ":")."""
    return re.compile(rf"^{re.escape(field)}:?$")


def pick_by_keyboard(page: Page, field: str, typed: str, choice: str) -> None:
    """In the picker labelled `field`, type `typed` and choose the match labelled `choice`.

    Checks the combobox pattern on the way: the list opens and is announced, the arrow key moves the
    active option (`aria-activedescendant`), Enter chooses it, the box then shows the choice and the
    list is closed.
    """
    box = page.get_by_role("combobox", name=labelled(field))
    box.focus()
    expect(box).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(typed)
    listbox = page.get_by_role("listbox", name=f"{field}: matches")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    wanted = listbox.get_by_role("option", name=choice)
    expect(wanted).to_be_visible()
    for _ in range(MAX_STEPS):
        page.keyboard.press("ArrowDown")
        if wanted.get_attribute("aria-selected") == "true":
            break
    expect(wanted).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", wanted.get_attribute("id") or "")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()
    status = page.locator("[data-picker]", has=box).get_by_role("status")
    expect(status).to_contain_text("Chosen:")

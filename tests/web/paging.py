"""Helpers of the list tests: read a list's pager and follow its links as a person would."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import unquote

from django.http import HttpResponse
from django.test import Client

BAD_CURSOR_MESSAGE = "This page link is damaged or out of date, so the list starts again from its first page."


def pager_links(response: HttpResponse | str, label: str) -> dict[str, str]:
    """The links of the pager named `label` ("Pages of people"), by their text: {"Next page": url}."""
    page = response if isinstance(response, str) else response.content.decode()
    found = re.search(rf'<nav class="pagination" aria-label="{re.escape(label)}">(.*?)</nav>', page, re.S)
    if found is None:
        return {}
    return {
        text.strip(): html_lib.unescape(url)
        for url, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', found.group(1))
    }


def follow(client: Client, response: HttpResponse, label: str, text: str) -> HttpResponse:
    """Follow the pager link `text` of the pager `label`, asserting that it is there and answers 200."""
    links = pager_links(response, label)
    assert text in links, f"no link {text!r} in the pager {label!r}: {sorted(links)}"
    answer = client.get(links[text])
    assert answer.status_code == 200, answer.content[:1000]
    return answer


def walk(client: Client, first: HttpResponse, label: str, text: str = "Next page") -> list[HttpResponse]:
    """Every page from `first` on, following `text` until the pager has no such link."""
    pages = [first]
    while text in pager_links(pages[-1], label):
        pages.append(follow(client, pages[-1], label, text))
        assert len(pages) < 100, "the pager never ends"
    return pages


def cursor_of(url: str, name: str = "cursor") -> str:
    """The cursor parameter of a pager link, decoded."""
    found = re.search(rf"[?&]{re.escape(name)}=([^&]+)", url)
    assert found, f"no {name} in {url}"
    return unquote(found.group(1))

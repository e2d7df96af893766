"""The two lists of the resources page that are ranked in the database, a numbered page at a time:
the people who matter first (with the heatmap of their load) and the largest off-strategy
allocations. Each page's ranking is kept in the cache while nothing it reads has changed
(`loads.remembered`), so that reading the page again costs a few indexed reads."""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache
from redis.exceptions import RedisError

from execgap.models import Organization
from execgap.web.paging import Pager, PagerLink, Params
from scoring.engine.inputs import Parameters
from scoring.models import ScoreSnapshot
from scoring.web.alignment.selectors import cascade_at
from scoring.web.capacity.loads import (
    LoadCounts,
    OffStrategy,
    PersonLoadRow,
    off_strategy_ranked,
    off_strategy_rows,
    people_load_rows,
    people_ranked,
)

# The page holds four lists: a pager swaps them all, so that each keeps the others' places.
SWAPPED = "main"
PEOPLE_PER_PAGE = 25
OFF_STRATEGY_PER_PAGE = 10

T = TypeVar("T")
logger = logging.getLogger(__name__)
RANKING_CACHE_SECONDS = 15 * 60
RANKING_CACHE_VERSION = 1  # raise it when what is kept changes shape


def remembered(
    what: str,
    *,
    organization: Organization,
    snapshot: ScoreSnapshot | None,
    parameters: Parameters,
    team_ids: frozenset[int] | None,
    offset: int,
    limit: int,
    read: Callable[[], T],
) -> T:
    """`read()`, kept in the shared cache for as long as nothing it reads can have changed.

    A ranking reads the allocations, people and initiatives at D: every change to them goes through
    a service that sets the organization's `scores_changed_at`, and every recompute makes a new
    snapshot, so a key made of both (with D, the parameters and the filter) is found only while the
    answer is still the same. Without a snapshot nothing is kept. A cache that cannot be reached
    only costs the read it would have saved."""
    if snapshot is None:
        return read()
    changed = organization.scores_changed_at.isoformat() if organization.scores_changed_at else "never"
    teams = (
        hashlib.sha256(",".join(map(str, sorted(team_ids))).encode()).hexdigest()[:16] if team_ids else "all"
    )
    key = (
        f"execgap:resources:{what}:{RANKING_CACHE_VERSION}:{organization.pk}:{snapshot.pk}:"
        f"{snapshot.computed_at.isoformat()}:{changed}:{parameters.as_of}:{parameters.planning_horizon_days}:"
        f"{parameters.spread_thin_allocations}:{teams}:{offset}:{limit}"
    )
    try:
        found = cache.get(key)
    except (RedisError, OSError):
        logger.warning("Could not read the cached %s of organization %s.", what, organization.pk)
        found = None
    if found is not None:
        return cast(T, found)
    answer = read()
    try:
        cache.set(key, answer, RANKING_CACHE_SECONDS)
    except (RedisError, OSError):
        logger.warning("Could not cache the %s of organization %s.", what, organization.pk)
    return answer


def people_page(
    params: Params,
    *,
    organization: Organization,
    snapshot: ScoreSnapshot | None,
    parameters: Parameters,
    team_ids: frozenset[int] | None,
) -> tuple[list[PersonLoadRow], LoadCounts, Pager]:
    """The page of people the request asks for (`people_page`), over capacity first, with their
    allocations; the counts of all of them."""

    def read(offset: int) -> tuple[list[tuple[int, float, int]], LoadCounts]:
        return remembered(
            "people",
            organization=organization,
            snapshot=snapshot,
            parameters=parameters,
            team_ids=team_ids,
            offset=offset,
            limit=PEOPLE_PER_PAGE,
            read=lambda: people_ranked(
                organization=organization,
                parameters=parameters,
                team_ids=team_ids,
                offset=offset,
                limit=PEOPLE_PER_PAGE,
            ),
        )

    (ranked, counts), pager = numbered_ranking(
        params, "Pages of people", PEOPLE_PER_PAGE, "people-load", read, lambda found: found[1].people
    )
    return people_load_rows(organization=organization, parameters=parameters, ranked=ranked), counts, pager


def off_strategy_page(
    params: Params,
    *,
    organization: Organization,
    snapshot: ScoreSnapshot | None,
    parameters: Parameters,
    team_ids: frozenset[int] | None,
) -> tuple[OffStrategy, Pager]:
    """The page of the largest off-strategy allocations the request asks for (`off_page`), with the
    sum of them all."""

    def read(offset: int) -> tuple[list[tuple[int, float]], int, float]:
        return remembered(
            "off-strategy",
            organization=organization,
            snapshot=snapshot,
            parameters=parameters,
            team_ids=team_ids,
            offset=offset,
            limit=OFF_STRATEGY_PER_PAGE,
            read=lambda: off_strategy_ranked(
                organization=organization,
                parameters=parameters,
                cascade=cascade_at(organization=organization, parameters=parameters),
                team_ids=team_ids,
                offset=offset,
                limit=OFF_STRATEGY_PER_PAGE,
            ),
        )

    ranked, pager = numbered_ranking(
        params,
        "Pages of off-strategy allocations",
        OFF_STRATEGY_PER_PAGE,
        "off-strategy-list",
        read,
        lambda found: found[1],
    )
    return off_strategy_rows(organization=organization, ranked=ranked), pager


def numbered_ranking(
    params: Params,
    label: str,
    size: int,
    target: str,
    read: Callable[[int], T],
    count_of: Callable[[T], int],
) -> tuple[T, Pager]:
    """The page of a list ranked and cut in the database (`read(offset)`) that the request names by
    number, and its pager. The list says how long it is only along with a page (`count_of`): a page
    past the end reads the last page instead, and a page number that is not one the first, each
    with the pager's error (the view answers 400)."""
    raw = params.request.GET.get(params.page_name, "")
    number, error = 1, ""
    if raw and (not raw.isdigit() or int(raw) < 1):
        error = f"“{raw[:20]}” is not a page number, so the list starts again from its first page."
    elif raw:
        number = int(raw)
    found = read((number - 1) * size)
    count = count_of(found)
    if number > 1 and count == 0:
        count = count_of(read(0))
        last = max(1, math.ceil(count / size))
        error = f"There is no page {number}: page {last} is the last."
        number, found = last, read((last - 1) * size)
    pages = max(1, math.ceil(count / size))
    links: tuple[PagerLink, ...] = ()
    if pages > 1:  # as every pager draws them: a link with no page there is shown disabled in its place
        previous = (
            params.url(**{params.page_name: str(number - 1) if number > 2 else None}) if number > 1 else ""
        )
        following = params.url(**{params.page_name: str(number + 1)}) if number < pages else ""
        links = (
            PagerLink(previous, "Previous page", "prev", f"{target}-prev"),
            PagerLink(following, "Next page", "next", f"{target}-next"),
        )
    position = f"Page {number} of {pages}" if pages > 1 else ""
    return found, Pager(label=label, links=links, position=position, error=error, target=target, swap=SWAPPED)

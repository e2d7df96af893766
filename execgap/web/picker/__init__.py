"""Pickers: choosing one row among thousands (a person, a goal, a team) with a search box, never a
select that lists them all.

A field whose choices grow with the organization gets the `Picker` widget. It renders only what is
chosen, a search box and, without JavaScript, a Find button: the form comes back (nothing saved,
everything typed kept) with the best matches as the select's options. With JavaScript,
`static/js/picker.js` turns the box into an ARIA combobox that fetches the matches from the row
owner's search endpoint (htmx) as the member types.

Each endpoint and the Find button run the same search (`Source.search`), over the same queryset the
field validates with, so that every match offered can be chosen and nothing else can: the field
still checks the submitted id against its queryset (organization- and role-limited), whatever the
browser sent.

Ranking (`ranked`, `rank_of`): the whole query as the exact text first, then as its prefix, then
as a substring, then rows holding every word of it in any order; ties by text, case-insensitively.
An endpoint answers at most `LIMIT` matches.
"""

from execgap.web.picker.keyed import KeyedChoiceField, KeyedChoices
from execgap.web.picker.search import (
    FIND,
    LIMIT,
    QUERY_MAX_LENGTH,
    QUERY_SUFFIX,
    Match,
    Matches,
    SearchError,
    Source,
    best,
    choice_of,
    matches_response,
    optional_id,
    rank_of,
    ranked,
    search_query,
)
from execgap.web.picker.widget import Picker, PickerFormMixin, pickers_of, use_picker

__all__ = [
    "FIND",
    "LIMIT",
    "QUERY_MAX_LENGTH",
    "QUERY_SUFFIX",
    "KeyedChoiceField",
    "KeyedChoices",
    "Match",
    "Matches",
    "Picker",
    "PickerFormMixin",
    "SearchError",
    "Source",
    "best",
    "choice_of",
    "matches_response",
    "optional_id",
    "pickers_of",
    "rank_of",
    "ranked",
    "search_query",
    "use_picker",
]

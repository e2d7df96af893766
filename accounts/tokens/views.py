"""The signed-in user's personal API tokens: list, create (the token is shown once), revoke.

Tokens belong to the user, not to an organization (see `execgap.tokens`): these pages live under
/accounts/ and use the same service as `/api/v1/tokens/`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accounts.tokens.forms import TokenCreateForm
from execgap import tokens
from execgap.web.pages import AuthenticatedRequest


def _render_list(
    request: AuthenticatedRequest, form: TokenCreateForm, *, created: tokens.CreatedToken | None, status: int
) -> HttpResponse:
    context = {
        "form": form,
        "created": created,
        "tokens": list(tokens.tokens_of(user=request.user)),
        "now": timezone.now(),
        "max_tokens": tokens.MAX_TOKENS_PER_USER,
    }
    response = render(request, "accounts/tokens/list.html", context, status=status)
    # The list is the user's own, and the answer to a creation holds the token itself: never cached.
    add_never_cache_headers(response)
    return response


@login_required
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    """My tokens; a POST creates one and answers with the token in it, this once.

    The token is not put in the session or a redirect: the answer to the POST is the only place it
    ever appears (ExecGap keeps only its digest).
    """
    if request.method != "POST":
        return _render_list(request, TokenCreateForm(), created=None, status=200)
    form = TokenCreateForm(request.POST)
    created = None
    if form.is_valid():
        created = form.submit(
            lambda: tokens.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        )
    if created is None:
        return _render_list(request, form, created=None, status=400)
    return _render_list(request, TokenCreateForm(), created=created, status=201)


@login_required
def token_revoke(request: AuthenticatedRequest, token_key: str) -> HttpResponse:
    """Confirm, then revoke one of my tokens (anyone else's token, or none, is a 404)."""
    token = tokens.tokens_of(user=request.user).filter(token_key=token_key).first()
    if token is None:
        raise Http404("You have no token with this key.")
    if request.method == "POST":
        try:
            tokens.token_revoke(user=request.user, token_key=token_key)
        except tokens.TokenNotFound as missing:  # revoked meanwhile (another tab, the API)
            raise Http404("You have no token with this key.") from missing
        messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
        return redirect("token_list")
    return render(request, "accounts/tokens/revoke.html", {"token": token})

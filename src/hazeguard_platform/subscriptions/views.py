"""Public subscription pages (no sign-in): subscribe, confirm by the link, unsubscribe by the link.

The links in messages open a page with a button: mail scanners that fetch every link do not
confirm or end a subscription by themselves; the button's POST does.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_safe

from hazeguard_platform.errors import ServiceError
from hazeguard_platform.public.presenters import place_name
from hazeguard_platform.subscriptions.forms import SubscribeForm
from hazeguard_platform.subscriptions.services import (
    subscription_confirm,
    subscription_end,
    subscription_request,
)
from hazeguard_platform.subscriptions.tokens import (
    TokenError,
    confirm_subscription_id,
    end_subscription_id,
)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The form; a valid request queues the confirmation message and shows what to do next."""
    form = SubscribeForm(request.POST or None, initial={"jurisdiction": request.GET.get("j")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscription_request(
                jurisdiction=data["jurisdiction"],
                channel=data["channel"],
                address=data["address"],
                language=translation.get_language() or "zh-hans",
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(f"{request.path}sent/?channel={data['channel']}")
    status = 400 if form.errors else 200
    return render(request, "subscriptions/subscribe.html", {"form": form}, status=status)


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    """ "Check your mail" (or your phone): the same whether or not the address was known."""
    return render(request, "subscriptions/sent.html", {"channel": request.GET.get("channel")})


def _by_link(request: HttpRequest, token: str, *, purpose: str) -> HttpResponse:
    read = confirm_subscription_id if purpose == "confirm" else end_subscription_id
    act = subscription_confirm if purpose == "confirm" else subscription_end
    template = f"subscriptions/{purpose}.html"
    try:
        read(token)
    except TokenError as error:
        return render(request, template, {"token_error": str(error)}, status=400)
    if request.method == "POST":
        try:
            subscription = act(token=token)
        except TokenError as error:
            return render(request, template, {"token_error": str(error)}, status=400)
        place = place_name(subscription.jurisdiction)
        context = {"done": True, "subscription": subscription, "place": place}
        return render(request, template, context)
    return render(request, template, {"done": False})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: a button that confirms the subscription."""
    return _by_link(request, token, purpose="confirm")


@require_http_methods(["GET", "HEAD", "POST"])
def end(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link: a button that ends the subscription."""
    return _by_link(request, token, purpose="end")

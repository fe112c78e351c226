"""The public pages of e-mail subscriptions: subscribe, confirm, manage, unsubscribe. No account;
the links in the e-mails carry the subscription's secret."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.exceptions import DomainError
from core.forms import call_service
from core.ratelimit import client_key

from . import services
from .forms import SubscribeForm, TopicsForm
from .models import Topic


def _link_problem(request, error: DomainError):
    status = 410 if error.code == "link_expired" else 404
    return render(request, "subscriptions/link_problem.html", {"message": error.messages[0]}, status=status)


@login_not_required
def subscribe(request):
    if request.method != "POST":
        query = request.GET.get("q", "").strip()[:services.SEARCH_QUERY_MAX_LENGTH]
        topics = request.GET.getlist("topics") or ([Topic.SEARCH] if query else [])
        form = SubscribeForm(initial={"topics": topics, "search_query": query})
        return render(request, "subscriptions/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["homepage"]:  # a robot: answer as if done, send nothing
            return redirect("subscriptions:sent")
        try:
            services.subscription_request(
                email=form.cleaned_data["email"], topics=form.cleaned_data["topics"],
                search_query=form.cleaned_data["search_query"], client_key=client_key(request))
        except DomainError as error:
            for message in error.messages:
                form.add_error(None, message)
            status = 429 if error.code == "rate_limited" else 400
            return render(request, "subscriptions/subscribe.html", {"form": form}, status=status)
        return redirect("subscriptions:sent")
    return render(request, "subscriptions/subscribe.html", {"form": form}, status=400)


@login_not_required
def sent(request):
    return render(request, "subscriptions/sent.html", {"days": services.CONFIRM_MAX_AGE.days})


@login_not_required
def confirm(request, token: str):
    try:
        subscription = services.subscription_confirm(signed_token=token)
    except DomainError as error:
        return _link_problem(request, error)
    return render(request, "subscriptions/confirmed.html", {"subscription": subscription})


@login_not_required
def manage(request, token: str):
    try:
        subscription = services.subscription_get(token=token)
    except DomainError as error:
        return _link_problem(request, error)
    if request.method != "POST":
        form = TopicsForm(initial={"topics": subscription.topics, "search_query": subscription.search_query})
        return render(request, "subscriptions/manage.html", {"form": form, "subscription": subscription})
    form = TopicsForm(request.POST)
    if form.is_valid():
        ok, subscription = call_service(form, lambda: services.subscription_update(
            token=token, topics=form.cleaned_data["topics"], search_query=form.cleaned_data["search_query"]))
        if ok:
            messages.success(request, _("订阅内容已更新。"))
            return redirect("subscriptions:manage", token=token)
    return render(request, "subscriptions/manage.html", {"form": form, "subscription": subscription}, status=400)


@csrf_exempt  # RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click"; the secret link is the authority
@login_not_required
def unsubscribe(request, token: str):
    """GET shows one button (a link scanner never unsubscribes anyone); POST unsubscribes."""
    if request.method == "POST":
        services.subscription_cancel(token=token)
        return render(request, "subscriptions/unsubscribed.html")
    try:
        subscription = services.subscription_get(token=token)
    except DomainError as error:
        return _link_problem(request, error)
    return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})

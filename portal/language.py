"""The footer's language switch.

For a visitor without an account it needs no CSRF token: it only sets the language cookie, and a
page that carries no token can be served from the public page cache (``core.pagecache``) to every
anonymous visitor. A signed-in user's switch keeps the CSRF check, like every session write."""
from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.i18n import set_language


@csrf_exempt
@login_not_required
def switch_language(request):
    if request.user.is_authenticated:
        return csrf_protect(set_language)(request)
    return set_language(request)

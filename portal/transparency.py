"""审计透明度 (/transparency/): the signed audit checkpoints, for anyone to read and copy.

Whoever keeps a copy of the feed (a supervisor, an archive, a journalist) holds the portal to its
history: a later database whose chain does not reach these heads, or reaches them with other
hashes, has been cut, rewritten or rolled back. Public: no login, only checkpoints and the public
key, nothing from the audit rows themselves."""
from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.keyset import keyset_page
from core.models import AuditCheckpoint
from core.signing import (
    ALGORITHM,
    key_id_of,
    public_key_text,
    signing_public_key,
    trusted_public_keys,
)

FEED_SIZE = 100
PAGE_SIZE = 50


def _checkpoints():
    return AuditCheckpoint.objects.only("seq", "row_hash", "head_time", "signed_at", "key_id", "signature"
                                        ).order_by("-signed_at", "-id")


def _copy_json(checkpoint: AuditCheckpoint) -> str:
    return json.dumps(checkpoint.signed_copy(), ensure_ascii=False, sort_keys=True)


@login_not_required
def transparency(request):
    current = signing_public_key()
    keys = [{"key_id": key_id, "public_key": public_key_text(key), "current": key_id == key_id_of(current)}
            for key_id, key in trusted_public_keys().items()]
    page = keyset_page(request, _checkpoints(), per_page=PAGE_SIZE)
    return render(request, "public/transparency.html", {"page": page, "keys": keys, "algorithm": ALGORITHM})


@login_not_required
def checkpoint_json(request, pk: int):
    """One checkpoint as its signed copy (what the feed entry carries)."""
    checkpoint = AuditCheckpoint.objects.filter(pk=pk).first()
    if checkpoint is None:
        return HttpResponse(status=404)
    return HttpResponse(_copy_json(checkpoint), content_type="application/json; charset=utf-8")


class CheckpointFeed(Feed):
    """Each entry's summary is the checkpoint's signed copy (JSON), so a saved copy of this feed
    can be given to ``verify_audit_chain --checkpoints`` and ``reconcile_after_restore --checkpoints``."""

    feed_type = Atom1Feed
    language = "zh-CN"
    title = gettext_lazy("法治湖州 审计日志检查点")
    subtitle = gettext_lazy("审计日志哈希链链头的签名检查点，供公众保存副本、核验记录未被篡改。")

    login_required = False  # read by LoginRequiredMiddleware, as login_not_required would set it

    def link(self):
        return reverse("transparency:index")

    def items(self):
        return AuditCheckpoint.objects.order_by("-signed_at", "-id")[:FEED_SIZE]

    def item_title(self, item: AuditCheckpoint) -> str:
        return _("检查点 seq=%(seq)s") % {"seq": item.seq}

    def item_description(self, item: AuditCheckpoint) -> str:
        return _copy_json(item)

    def item_link(self, item: AuditCheckpoint) -> str:
        return reverse("transparency:checkpoint", args=[item.pk])

    def item_guid(self, item: AuditCheckpoint) -> str:
        return f"urn:huzhou-rule:audit-checkpoint:{item.seq}:{item.signature[:32]}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: AuditCheckpoint):
        return item.signed_at

    def item_updateddate(self, item: AuditCheckpoint):
        return item.signed_at

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from search.models import PUBLIC_KINDS, SearchEntry


class PublicSearchFilter(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text=_("关键词或文号（〔2024〕、[2024]、(2024) 均可）"))
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in PUBLIC_KINDS], required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    department = serializers.IntegerField(required=False, min_value=1, help_text=_("单位编号"))
    status = serializers.CharField(required=False, max_length=30)
    page = serializers.IntegerField(required=False, min_value=1)


class PublicSearchResultOutput(serializers.ModelSerializer):
    highlight = serializers.SerializerMethodField(help_text=_("摘要，命中词以 <mark> 标出，已转义 HTML"))

    class Meta:
        model = SearchEntry
        fields = ["kind", "object_id", "title", "number", "department_id", "department_name", "year", "status",
                  "status_label", "published_on", "url", "historical", "highlight"]

    def get_highlight(self, entry) -> str:
        from search.selectors import snippet

        return str(snippet(entry.body_excerpt, self.context["q"]))


class PublicSearchCounts(serializers.Serializer):
    """Counted up to 1001: a value above 1000 means "more than 1000"."""

    catalog_item = serializers.IntegerField()
    decision = serializers.IntegerField()
    normative = serializers.IntegerField()
    enforcement_notice = serializers.IntegerField()


class PublicSearchPageOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("可翻阅的结果数，至多 1000"))
    count_capped = serializers.BooleanField(help_text=_("结果超过 1000 条（列出最新的 1000 条，按相关度排序）"))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    counts_by_kind = PublicSearchCounts()
    counts_windowed = serializers.BooleanField(
        help_text=_("结果超过 1000 条时，各类数目为最新 1001 条结果中的分布（筛选的类别单独计数至 1001）"))
    results = PublicSearchResultOutput(many=True)

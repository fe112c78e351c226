"""The "related documents" panel: character-bigram cosine similarity over titles and bodies."""
import pytest

from normative_docs.similarity import bigrams, related_documents, side_by_side
from normative_docs.workflow import DocumentStatus as N
from tests import factories
from tests.normative_docs.test_library import public_document

pytestmark = pytest.mark.django_db

TECH_BODY = ("第一条 为了促进科技创新，加快建设创新型城市，支持企业研发投入，制定本措施。\n"
             "第二条 对认定的高新技术企业给予研发费用补助，支持科技成果转化和技术转移。")
GREEN_BODY = ("第一条 为了加强城市绿化管理，保护和改善生态环境，制定本办法。\n"
              "第二条 城市绿地、公园和行道树的规划、建设、养护和管理，适用本办法。")
FOOD_BODY = "第一条 为了规范食品摊贩经营行为，保障食品安全，制定本办法。\n第二条 摊贩应当在划定的区域和时段经营。"


@pytest.fixture
def library(db):
    return {
        "tech": public_document("湖州市促进科技创新若干措施", body=TECH_BODY),
        "green": public_document("湖州市城市绿化管理办法", body=GREEN_BODY),
        "food": public_document("湖州市食品摊贩管理办法", body=FOOD_BODY),
    }


def test_a_document_on_the_same_subject_ranks_first(library):
    results = related_documents(title="关于支持企业科技创新和研发投入的若干政策",
                                body="对企业研发费用给予补助，推动科技成果转化。")
    assert results[0][0] == library["tech"]
    assert results[0][1] > 0.3


def test_unrelated_documents_score_low(library):
    scores = {doc.pk: score for doc, score in related_documents(title="湖州市促进科技创新若干措施", body=TECH_BODY)}
    assert scores[library["tech"].pk] > 0.9
    assert scores.get(library["green"].pk, 0) < 0.2
    assert scores.get(library["food"].pk, 0) < 0.2


def test_the_excluded_document_is_not_returned(library):
    tech = library["tech"]
    results = related_documents(title=tech.title, body=tech.body, exclude_id=tech.pk)
    assert tech.pk not in [doc.pk for doc, _score in results]


def test_results_are_limited_and_best_first(library):
    public_document("湖州市科技创新券管理办法", body="第一条 为了用好科技创新券，支持企业创新，制定本办法。")
    results = related_documents(title="湖州市促进科技创新若干措施", body=TECH_BODY, limit=2)
    assert len(results) == 2
    assert results[0][1] >= results[1][1]


def test_drafts_are_never_returned_to_the_public(library):
    draft = public_document("湖州市促进科技创新若干措施（修订草案）", status=N.DRAFTING, body=TECH_BODY)
    results = related_documents(title="湖州市促进科技创新若干措施", body=TECH_BODY)
    assert draft.pk not in [doc.pk for doc, _score in results]


def test_internal_search_includes_only_drafts_the_user_may_see(library):
    mine = public_document("湖州市促进科技创新若干措施（修订草案）", status=N.DRAFTING, body=TECH_BODY, issuer="hz-drc")
    theirs = public_document("湖州市科技创新规划（草案）", status=N.DRAFTING, body=TECH_BODY, issuer="hz-nrp")
    user = factories.staff("hz-drc")

    ids = [doc.pk for doc, _score in related_documents(title="科技创新", body=TECH_BODY, public_only=False,
                                                        user=user, limit=10)]

    assert mine.pk in ids and library["tech"].pk in ids
    assert theirs.pk not in ids


def test_candidates_come_in_one_query(library, django_assert_num_queries):
    with django_assert_num_queries(1):
        results = related_documents(title="科技创新", body="")
        [doc.issuer.name for doc, _score in results]
        [doc.public_status() for doc, _score in results]


def test_an_empty_query_finds_nothing(library):
    assert related_documents(title="", body="") == []


def test_bigrams_ignore_punctuation_and_boilerplate():
    grams = bigrams("湖州市：科技创新！")
    assert "科技" in grams and "创新" in grams
    assert "湖州" not in grams and "市：" not in grams


def test_side_by_side_marks_changed_characters_and_escapes_text():
    rows = side_by_side("第一条 <旧>规定。\n第二条 删去。", "第一条 <新>规定。")
    assert [row["kind"] for row in rows] == ["replace", "delete"]
    assert "&lt;" in rows[0]["old"] and "<del>旧</del>" in rows[0]["old"] and "<ins>新</ins>" in rows[0]["new"]
    assert rows[1]["new"] == "" and rows[1]["new_no"] is None

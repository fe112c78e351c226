"""The move of ``ReviewTask`` from ``core`` to ``reviews`` on a database that already holds
reviews: no row is copied, the content type keeps its id (so clocks, reminders and permissions
still point at it) and audit rows written under the old label stay readable and verifiable."""
import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.audit import record_event, verify_chain
from core.selectors import history_for
from deadlines.models import LegalClock
from decisions.workflow import DecisionStatus as S
from reviews.models import ReviewTask
from tests import factories

BEFORE_THE_MOVE = ("core", "0005_disclosure_record")


def migrate(targets) -> MigrationExecutor:
    # The rows built above leave deferred foreign-key checks pending in the test's transaction, and
    # PostgreSQL refuses to alter core_reviewtask (reviews 0003 adds early_reason) until they ran.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


@pytest.fixture
def moved_back(db, staff_user):
    """A decision under review, then the database taken back to before the move."""
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=decision.pk)
    content_type_id = ContentType.objects.get_for_model(ReviewTask).pk
    executor = migrate([("reviews", None)])
    assert ContentType.objects.values_list("app_label", "model").get(pk=content_type_id) == ("core", "reviewtask")
    yield task, content_type_id, executor.loader.project_state(BEFORE_THE_MOVE).apps
    ContentType.objects.clear_cache()


def test_the_move_keeps_the_content_type_id_so_the_review_clock_still_finds_its_task(moved_back):
    task, content_type_id, _apps = moved_back

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    content_type = ContentType.objects.get(pk=content_type_id)
    assert (content_type.app_label, content_type.model) == ("reviews", "reviewtask")
    assert not ContentType.objects.filter(app_label="core", model="reviewtask").exists()
    clock = LegalClock.objects.get(content_type=content_type, object_id=task.pk)
    assert clock.subject == task
    assert set(Permission.objects.filter(codename__endswith="_reviewtask").values_list("content_type", flat=True)) \
        == {content_type_id}


def test_audit_rows_written_under_the_old_label_stay_in_the_tasks_history_and_the_chain(moved_back):
    task, _content_type_id, old_apps = moved_back
    old_task = old_apps.get_model("core", "ReviewTask").objects.get(pk=task.pk)
    old_row = record_event(actor=None, event_type="clock", obj=old_task, action="clock_start")

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert old_row.object_type == "core.reviewtask"
    assert old_row in history_for(ReviewTask.objects.get(pk=task.pk))
    assert verify_chain()[1] is None

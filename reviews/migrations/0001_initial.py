"""The review queue moves from ``core`` to ``reviews`` without copying a row: the model is
created here in Django's state only, on the table it already has (``core_reviewtask``, its
indexes and constraints unchanged); ``core.0006`` drops it from core's state and
``0002_move_content_type`` gives the existing content type the new app label."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0005_disclosure_record'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReviewTask',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('kind', models.CharField(choices=[('decision', '重大行政决策'), ('normative_document', '行政规范性文件'), ('enforcement', '重大执法决定')], max_length=30, verbose_name='类别')),
                        ('title', models.CharField(max_length=300, verbose_name='事项')),
                        ('submitted_on', models.DateField(verbose_name='报送日期')),
                        ('earliest_decision_on', models.DateField(blank=True, null=True, verbose_name='最早结论日期')),
                        ('due_on', models.DateField(blank=True, help_text='由期限规则计算；所需年度的节假日安排未载入时为空。', null=True, verbose_name='审查期限')),
                        ('status', models.CharField(choices=[('open', '待认领'), ('claimed', '审查中'), ('done', '已办结')], default='open', max_length=20, verbose_name='状态')),
                        ('submission_note', models.TextField(blank=True, verbose_name='报送说明')),
                        ('checklist', models.JSONField(blank=True, default=dict, verbose_name='审查要点')),
                        ('opinion', models.TextField(blank=True, verbose_name='审查意见')),
                        ('outcome', models.CharField(blank=True, choices=[('passed', '通过'), ('passed_with_changes', '修改后通过'), ('returned', '退回补充材料'), ('failed', '不予通过')], max_length=30, verbose_name='审查结论')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='办结时间')),
                        ('assigned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='review_tasks', to=settings.AUTH_USER_MODEL, verbose_name='审查人')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype')),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.department', verbose_name='报送单位')),
                        ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报送人')),
                    ],
                    options={
                        'verbose_name': '合法性审查任务',
                        'verbose_name_plural': '合法性审查任务',
                        'db_table': 'core_reviewtask',
                        'ordering': ['due_on', 'id'],
                        'indexes': [models.Index(fields=['status', 'due_on'], name='review_queue_idx'), models.Index(fields=['assigned_to', 'status'], name='review_assignee_idx'), models.Index(fields=['content_type', 'object_id'], name='review_subject_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'done'), _negated=True), fields=('content_type', 'object_id'), name='one_open_review_per_object'), models.CheckConstraint(condition=models.Q(models.Q(('decided_at__isnull', False), ('status', 'done')), models.Q(('status', 'done'), _negated=True), _connector='OR'), name='done_review_has_decided_at')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""Fill the real tables with a realistic, repeatable volume for performance work (issue 15).

    manage.py generate_scale_data --decisions 1000000 --documents 100000 --cases 1000000 --seed 15

Everything is written by set-based SQL (``INSERT … SELECT … FROM generate_series``) in one
transaction per table, consistent with every constraint: bodies at every level (extra townships and
departments are added), ten years of catalogs, decisions in every state (about 49 % public:
published and not withheld), catalog items (30 % of the decisions' number, 95 % public) in published
catalogs, normative documents in every state with numbers and validity, enforcement cases in every
state, a public notice for about half of them (live, taken down or withdrawn), one legal clock and
one reminder per case (the past ones delivered). Titles are drawn from a vocabulary of government
words with Zipf-like weights, with varied openings. ``--seed`` makes the same data again
(PostgreSQL ``setseed``). Signals are bypassed: run ``manage.py rebuild_search_index --cluster``
afterwards (``--index`` does it: the full build, its rows ordered by publication day as an index filled
item by item is, ANALYZE), then ``VACUUM ANALYZE`` (done here).

Not for a production database: rows are marked only by their generated text and users
``scale_*``."""
from __future__ import annotations

import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core.models import Department, User
from enforcement.models import Case

WORDS = (
    "营商环境 乡村振兴 生态环境 城市更新 交通 公共服务 养老服务 教育 医疗卫生 住房保障 数字化改革 共同富裕 安全生产 "
    "食品安全 河湖治理 太湖 垃圾分类 老旧小区 未来社区 未来乡村 文化旅游 茶产业 竹产业 湖笔 丝绸 南浔古镇 德清 长兴 "
    "安吉 吴兴 南太湖新区 开发区 招商引资 人才 就业创业 社会保障 医保 退役军人 残疾人 未成年人 慈善 志愿服务 文明城市 "
    "历史文化名城 体育场馆 野生动物保护 古树名木 湿地 矿产资源 地质灾害 防汛抗旱 消防 应急管理 物业管理 停车 公交 "
    "网约车 充电设施 燃气 供水 排水 电力 数据资源 人工智能 低碳 节能减排 污水处理 土地利用 国土空间 农业 粮食 生猪 "
    "渔业 林业 合作社 家庭农场 科技创新 知识产权 市场监管 价格 审批 政务服务 信用体系"
).split()
FORMS_DECISION = ("实施方案", "三年行动计划", "规划", "若干意见", "改革方案", "建设方案", "管理办法", "调整方案")
FORMS_DOCUMENT = ("管理办法", "实施细则", "暂行规定", "若干规定", "实施意见", "管理规定", "试行办法", "补充通知")
OPENINGS = ("湖州市", "关于", "湖州市关于", "关于进一步加强", "关于推进", "关于加快", "湖州市人民政府关于", "关于促进",
            "关于规范", "关于做好", "关于深化", "关于完善")
DISTRICTS = ("吴兴区", "南浔区", "德清县", "长兴县", "安吉县")
KEY_AREAS = ("food_drug", "agriculture", "public_health", "natural_resources", "environment", "labour", "finance",
             "education", "online", "other")


def _sql_array(values) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(array: str) -> str:
    """A random element of a SQL array literal, weighted to its first elements (Zipf-like)."""
    return f"({array})[1 + floor(power(random(), 2.2) * array_length({array}, 1))::int]"


def _uniform(array: str) -> str:
    return f"({array})[1 + floor(random() * array_length({array}, 1))::int]"


class Command(BaseCommand):
    help = "生成大规模测试数据（性能测试用，批量 SQL，可重复）"

    def add_arguments(self, parser):
        parser.add_argument("--decisions", type=int, default=100_000)
        parser.add_argument("--documents", type=int, default=10_000)
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--index", action="store_true", help="rebuild the search index afterwards")

    def handle(self, *args, decisions, documents, cases, seed, index, **options):
        started = time.monotonic()
        words, openings = _sql_array(WORDS), _sql_array(OPENINGS)
        self.vocabulary = {"words": words, "openings": openings, "decision_forms": _sql_array(FORMS_DECISION),
                           "document_forms": _sql_array(FORMS_DOCUMENT)}
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        self._step("bodies and users", self._bodies_and_users)
        self._step("catalogs", self._catalogs)
        self._step(f"{decisions * 3 // 10} catalog items", self._catalog_items, decisions * 3 // 10)
        self._step(f"{decisions} decisions", self._decisions, decisions)
        self._step(f"{documents} normative documents", self._documents, documents)
        self._step(f"{cases} enforcement cases", self._cases, cases)
        self._step("public notices", self._notices)
        self._step("clocks and reminders", self._clocks_and_reminders)
        self._step("VACUUM ANALYZE", self._analyze)
        if index:
            from search.indexing import analyze, cluster_by_publication, index_all

            self._step("search index", index_all)
            self._step("search index ordered by publication day", cluster_by_publication)
            self._step("ANALYZE search index", analyze)
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.0f} s"))

    def _step(self, label, function, *args):
        start = time.monotonic()
        self.stdout.write(f"{label} …", ending="")
        self.stdout.flush()
        function(*args)
        self.stdout.write(f" {time.monotonic() - start:.1f} s")

    def _range(self, table: str, n: int) -> list[int]:
        """The serials of ``n`` new rows, after those already in ``table`` (a second run adds, unique)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            base = cursor.fetchone()[0]
        return [base + 1, base + n]

    def _run(self, sql: str, params=None) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")  # a million rows take longer than a request may
            cursor.execute(sql, params)

    # ---------------------------------------------------------------- reference rows
    def _bodies_and_users(self) -> None:
        districts = list(Department.objects.filter(kind=Department.Kind.DISTRICT))
        for i in range(40):
            parent = districts[i % len(districts)] if districts else None
            Department.objects.get_or_create(code=f"scale-township-{i}", defaults={
                "name": f"{parent.name if parent else '湖州市'}测试镇{i + 1}", "kind": Department.Kind.TOWNSHIP,
                "level": Department.Level.TOWNSHIP, "parent": parent, "sort_order": 500 + i})
        for i in range(30):
            Department.objects.get_or_create(code=f"scale-department-{i}", defaults={
                "name": f"湖州市测试局{i + 1}", "kind": Department.Kind.DEPARTMENT, "level": Department.Level.CITY,
                "sort_order": 600 + i})
        departments = list(Department.objects.order_by("id"))
        for i in range(60):
            if not User.objects.filter(username=f"scale_{i}").exists():
                user = User(username=f"scale_{i}", full_name=f"测试用户{i}", department=departments[i % len(departments)],
                            roles=["staff"])
                user.set_unusable_password()
                user.save()
        self.departments = "(ARRAY[" + ",".join(str(d.pk) for d in departments) + "]::bigint[])"
        self.users = "(ARRAY[" + ",".join(str(pk) for pk in User.objects.filter(
            username__startswith="scale_").values_list("pk", flat=True)) + "]::bigint[])"
        self.justice = Department.objects.filter(code="hz-justice").values_list("pk", flat=True).first() or departments[0].pk

    def _title(self, forms: str) -> str:
        v = self.vocabulary
        return (f"({_uniform(v['openings'])} || {_pick(v['words'])} || "
                f"CASE WHEN random() < 0.5 THEN {_pick(v['words'])} ELSE '' END || {_uniform(forms)})")

    def _text(self, sentences: int) -> str:
        v = self.vocabulary
        parts = [f"'为进一步加强' || {_pick(v['words'])} || '工作，推进' || {_pick(v['words'])} || '，结合本市实际。'"
                 for _ in range(sentences)]
        return " || ".join(parts)

    def _catalogs(self) -> None:
        """A published catalog of every decision body (city, districts and counties, townships) for
        each of the last eleven years."""
        self._run("""
            INSERT INTO decisions_catalog (created_at, updated_at, year, decision_body, status, compiled_at,
                                           party_consent_on, party_consent_note, document_number, published_at, body_id)
            SELECT now(), now(), y, d.name, 'published', make_date(y, 2, 20)::timestamptz,
                   make_date(y, 3, 1), '党委同意', '湖政办发〔' || y || '〕' || (y - 2000) || '号',
                   make_date(y, 3, 20)::timestamptz, d.id
            FROM generate_series(extract(year FROM now())::int - 10, extract(year FROM now())::int) y
            CROSS JOIN core_department d WHERE d.is_decision_body
            ON CONFLICT (body_id, year) DO NOTHING""")

    def _catalog_items(self, n: int) -> None:
        self._run(f"""
            INSERT INTO decisions_catalogitem (created_at, updated_at, required_procedures, number, name, content,
                decision_body, legal_basis, planned_completion, category, disclosure, withheld_reason, status,
                catalog_id, lead_department_id, proposed_by_id, planned_completion_precision)
            SELECT now() - (random() * interval '3650 days'), now(),
                   ARRAY['public_comment', 'legality_review', 'collective_discussion']::varchar[],
                   (SELECT coalesce(max(number), 0) FROM decisions_catalogitem i WHERE i.catalog_id = g.catalog_id)
                     + row_number() OVER (PARTITION BY g.catalog_id ORDER BY g.n),
                   g.name, g.content, '湖州市人民政府', '《重大行政决策程序暂行条例》',
                   make_date(g.year, 1 + floor(random() * 12)::int, 1) + 27, g.category,
                   CASE WHEN g.r < 0.95 THEN 'public' ELSE 'withheld' END,
                   CASE WHEN g.r < 0.95 THEN '' ELSE '涉及国家秘密' END,
                   CASE WHEN g.s < 0.90 THEN 'included' WHEN g.s < 0.93 THEN 'withdrawn'
                        WHEN g.s < 0.97 THEN 'not_included' ELSE 'proposed' END,
                   g.catalog_id, {self.departments}[1 + floor(random() * array_length({self.departments}, 1))::int],
                   {self.users}[1 + floor(random() * array_length({self.users}, 1))::int], 'day'
            FROM (SELECT n, c.id AS catalog_id, c.year, random() AS r, random() AS s,
                         {self._title(self.vocabulary['decision_forms'])} AS name, {self._text(2)} AS content,
                         (ARRAY['public_policy','planning','resources','construction','other'])[1 + floor(random() * 5)::int]
                           AS category
                  FROM generate_series(1, %s) n
                  JOIN LATERAL (SELECT id, year FROM decisions_catalog ORDER BY id
                                OFFSET floor(random() * (SELECT count(*) FROM decisions_catalog) + n * 0)::int LIMIT 1) c
                    ON true) g""", [n])

    def _decisions(self, n: int) -> None:
        published = "ARRAY['executing','suspended','post_evaluation','completed','terminated','archived']"
        unpublished = ("ARRAY['drafting','consulting','legality_review','legality_failed','ready_for_discussion',"
                       "'deferred','rejected','decided']")
        self._run(f"""
            WITH items AS (SELECT min(id) AS lo, max(id) AS hi FROM decisions_catalogitem)
            INSERT INTO decisions_decision (created_at, updated_at, required_procedures, title, summary, draft_text,
                explanation, year, outside_catalog_reason, category, disclosure, withheld_reason, status,
                legality_passed, legality_opinion, round, submitted_for_review_at, decided_on, party_reported_on,
                party_report_note, published_at, publication_channel, document_number, completed_on, archived_at,
                version, catalog_item_id, created_by_id, department_id, late_publication_reason)
            SELECT g.day - interval '90 days', least(now(), g.day + (random() * interval '200 days')),
                   ARRAY['public_comment', 'legality_review', 'collective_discussion']::varchar[],
                   g.title, {self._text(2)}, {self._text(4)}, '', extract(year FROM g.day)::int,
                   CASE WHEN g.in_catalog THEN '' ELSE '临时性重大事项，经政府常务会议研究列入。' END,
                   (ARRAY['public_policy','planning','resources','construction','other'])[1 + floor(random() * 5)::int],
                   CASE WHEN g.public_if_published THEN 'public' ELSE 'withheld' END,
                   CASE WHEN g.public_if_published THEN '' ELSE '涉及国家秘密' END, g.status,
                   g.is_published, '', 0, NULL,
                   CASE WHEN g.is_published OR g.status = 'decided' THEN (g.day - interval '10 days')::date END,
                   NULL, '', CASE WHEN g.is_published THEN g.day END,
                   CASE WHEN g.is_published THEN '湖州市人民政府门户网站' ELSE '' END,
                   CASE WHEN g.is_published THEN '湖政发〔' || extract(year FROM g.day) || '〕' || g.n || '号' ELSE '' END,
                   CASE WHEN g.status IN ('completed', 'archived') THEN (g.day + interval '300 days')::date END,
                   CASE WHEN g.status = 'archived' THEN g.day + interval '400 days' END,
                   0, CASE WHEN g.in_catalog THEN items.lo + floor(random() * (items.hi - items.lo + 1))::bigint END,
                   {self.users}[1 + floor(random() * array_length({self.users}, 1))::int],
                   {self.departments}[1 + floor(random() * array_length({self.departments}, 1))::int], ''
            FROM (SELECT n, {self._title(self.vocabulary['decision_forms'])} AS title,
                         now() - (power(random(), 1.3) * interval '3650 days') AS day,
                         random() < 0.55 AS is_published, random() < 0.89 AS public_if_published,
                         random() < 0.6 AS in_catalog
                  FROM generate_series(%s, %s) n) s
            CROSS JOIN LATERAL (SELECT s.*, s.is_published AND s.public_if_published AS public,
                CASE WHEN s.is_published THEN {_uniform(published)} ELSE {_uniform(unpublished)} END AS status) g
            CROSS JOIN items""", self._range("decisions_decision", n))

    def _documents(self, n: int) -> None:
        published = "ARRAY['published','published','published','published','expired','repealed','amended']"
        unpublished = ("ARRAY['proposed','drafting','consulting','legality_review','legality_failed',"
                       "'ready_for_deliberation','not_adopted','deliberated','registered']")
        self._run(f"""
            INSERT INTO normative_docs_normativedocument (created_at, updated_at, title, doc_type, reason, body,
                explanation, interpretation, business_related, major_rights_impact, required_procedures, status,
                legality_passed, legality_opinion, round, deliberated_on, deliberation_meeting, number,
                number_normalized, registration_number, registered_on, signed_on, published_on,
                publication_channel, effective_on, valid_until, no_validity_reason, ended_on, version,
                created_by_id, drafting_department_id, filing_body_id, issuer_id, origin)
            SELECT g.day - interval '120 days', least(now(), g.day + (random() * interval '100 days')), g.title,
                   (ARRAY['guiding','measures','rules','opinions','notice','decision','other'])[1 + floor(random() * 7)::int],
                   '制定理由。', {self._text(6)}, '', '', random() < 0.4, random() < 0.2, '[]'::jsonb, g.status,
                   g.is_published, '', 0, CASE WHEN g.is_published THEN (g.day - interval '20 days')::date END, '',
                   CASE WHEN g.is_published THEN g.prefix || '〔' || g.y || '〕' || g.n || '号' ELSE '' END,
                   CASE WHEN g.is_published THEN g.prefix || '[' || g.y || ']' || g.n || '号' ELSE '' END,
                   CASE WHEN g.is_published THEN 'ZJHZ' || lpad((g.n %% 100)::text, 2, '0') || '-' || g.y || '-'
                        || lpad(g.n::text, 6, '0') ELSE '' END,
                   CASE WHEN g.is_published THEN (g.day - interval '5 days')::date END,
                   CASE WHEN g.is_published THEN (g.day - interval '7 days')::date END,
                   CASE WHEN g.is_published THEN g.day::date END,
                   CASE WHEN g.is_published THEN '湖州市人民政府公报' ELSE '' END,
                   CASE WHEN g.is_published THEN (g.day + interval '30 days')::date END,
                   CASE WHEN g.is_published THEN (g.day + interval '5 years')::date END, '',
                   CASE WHEN g.status IN ('expired', 'repealed', 'amended') THEN (g.day + interval '2 years')::date END,
                   0, {self.users}[1 + floor(random() * array_length({self.users}, 1))::int], g.issuer, {self.justice},
                   g.issuer, 'portal'
            FROM (SELECT n, {self._title(self.vocabulary['document_forms'])} AS title,
                         now() - (power(random(), 1.2) * interval '3650 days') AS day, random() < 0.6 AS is_published,
                         {self.departments}[1 + floor(random() * array_length({self.departments}, 1))::int] AS issuer,
                         (ARRAY['湖政规','湖政办规','湖发改规','湖建规','湖环规','湖市监规'])[1 + floor(random() * 6)::int]
                           AS prefix
                  FROM generate_series(%s, %s) n) s
            CROSS JOIN LATERAL (SELECT s.*, extract(year FROM s.day)::int AS y,
                CASE WHEN s.is_published THEN {_uniform(published)} ELSE {_uniform(unpublished)} END AS status) g""",
                  self._range("normative_docs_normativedocument", n))

    def _cases(self, n: int) -> None:
        statuses = ("ARRAY['closed','closed','closed','closed','archived','archived','decided','served','served',"
                    "'investigating','investigating','clue','not_opened','notified','hearing_requested','hearing_held',"
                    "'legal_review','ready_to_decide','revoked']")
        decided = "('decided','served','closed','archived','revoked')"
        self._run(f"""
            INSERT INTO enforcement_case (created_at, updated_at, number, title, clue_source, clue_received_on,
                key_area, kind, ways, party_type, party_name, party_id_number, party_phone, party_address, facts,
                complex_case, public_interest, status, opened_on, not_opened_reason, proposed_penalty_types,
                proposed_fine, notified_on, hearing_requested_on, hearing_on, hearing_notice_on, hearing_record,
                legal_review_required, legal_review_grounds, legal_review_passed, legal_review_opinion, outcome,
                penalty_types, fine_amount, no_penalty_ground, decision_number, decision_basis, decided_on, served_on,
                paid_on, paid_amount, closed_on, revoked_on, version, body_id, created_by_id, hearing_chair_id,
                no_penalty_facts, late_decision_reason, late_service_reason, party_aliases, party_key)
            SELECT g.day, least(now(), g.day + (random() * interval '120 days')),
                   '湖执〔' || extract(year FROM g.day) || '〕' || g.n || '号',
                   {_pick(self.vocabulary['words'])} || '违法行为案', '日常检查', g.day::date,
                   ({_sql_array(KEY_AREAS)})[1 + floor(random() * 10)::int], 'specialised', '[]'::jsonb,
                   'organisation', '湖州某某有限公司' || g.n, '91330500' || lpad(g.n::text, 10, '0'), '', '',
                   '经查，当事人存在违法行为。', false, false, g.status,
                   CASE WHEN g.status NOT IN ('clue', 'not_opened') THEN (g.day + interval '3 days')::date END,
                   CASE WHEN g.status = 'not_opened' THEN '违法事实不成立' ELSE '' END, '[]'::jsonb, 0,
                   NULL, NULL, NULL, NULL, '', false, '[]'::jsonb, false, '',
                   CASE WHEN g.status IN {decided} THEN 'penalty' ELSE '' END,
                   CASE WHEN g.status IN {decided} THEN '["fine"]' ELSE '[]' END::jsonb,
                   CASE WHEN g.status IN {decided} THEN (1000 + floor(random() * 50000))::numeric ELSE 0 END, '',
                   CASE WHEN g.status IN {decided} THEN '湖罚〔' || extract(year FROM g.day) || '〕' || g.n || '号'
                        ELSE '' END,
                   CASE WHEN g.status IN {decided} THEN '《中华人民共和国行政处罚法》' ELSE '' END,
                   CASE WHEN g.status IN {decided} THEN (g.day + interval '60 days')::date END,
                   CASE WHEN g.status IN ('served','closed','archived','revoked') THEN (g.day + interval '65 days')::date END,
                   NULL, 0, CASE WHEN g.status IN ('closed','archived') THEN (g.day + interval '90 days')::date END,
                   CASE WHEN g.status = 'revoked' THEN (g.day + interval '100 days')::date END, 0, g.body,
                   {self.users}[1 + floor(random() * array_length({self.users}, 1))::int], NULL, '{{}}'::jsonb, '', '', '',
                   -- synthetic organisations (credit codes, public): a stand-in for the keyed blind index, one per party
                   md5('91330500' || lpad(g.n::text, 10, '0'))
            FROM (SELECT n, now() - (power(random(), 1.2) * interval '3650 days') AS day,
                         {self.departments}[1 + floor(random() * array_length({self.departments}, 1))::int] AS body
                  FROM generate_series(%s, %s) n) s
            CROSS JOIN LATERAL (SELECT s.*, {_uniform(statuses)} AS status) g""", self._range("enforcement_case", n))

    def _notices(self) -> None:
        self._run("""
            INSERT INTO enforcement_publicnotice (created_at, updated_at, title, body_name, decision_number,
                party_masked, id_masked, content, published_on, on_time, takedown_on, withdrawn_on,
                withdrawal_statement, case_id, late_reason, late_withdrawal_reason)
            SELECT now(), now(), d.name || '行政处罚决定信息公开（' || c.decision_number || '）', d.name,
                   c.decision_number, '湖州某某有限公司', '', '处理结果：罚款' || c.fine_amount || '元。',
                   c.decided_on + 5, true, c.decided_on + 5 + 365,
                   CASE WHEN c.status = 'revoked' THEN c.revoked_on + 2 END,
                   CASE WHEN c.status = 'revoked' THEN '该决定已被撤销。' ELSE '' END, c.id, '', ''
            FROM enforcement_case c JOIN core_department d ON d.id = c.body_id
            WHERE c.decided_on IS NOT NULL AND c.decided_on + 5 <= current_date AND c.id % 10 < 7
              AND NOT EXISTS (SELECT 1 FROM enforcement_publicnotice p WHERE p.case_id = c.id)""")

    def _clocks_and_reminders(self) -> None:
        case_type = ContentType.objects.get_for_model(Case).pk
        self._run("""
            INSERT INTO deadlines_legalclock (created_at, updated_at, object_id, rule, label, length, unit, kind,
                warn_before, source, started_on, fixed_due_on, extension_length, extension_reason, status, due_on,
                warn_on, calendar_pending, ended_on, ended_note, assignee_id, content_type_id, department_id,
                extension_approved_by_id, policy_id)
            SELECT now(), now(), c.id, 'enforcement.case_decision', '作出处理决定', 90, 'calendar_days', 'statutory',
                   10, '行政处罚法第六十条', c.opened_on, NULL, 0, '',
                   CASE WHEN c.decided_on IS NULL THEN 'running' ELSE 'stopped' END, c.opened_on + 90, c.opened_on + 80,
                   false, c.decided_on, '', NULL, %s, c.body_id, NULL, NULL
            FROM enforcement_case c
            WHERE c.opened_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deadlines_legalclock k
                WHERE k.content_type_id = %s AND k.object_id = c.id AND k.rule = 'enforcement.case_decision')""",
                  [case_type, case_type])
        self._run(f"""
            INSERT INTO deadlines_reminder (object_id, rule, step, due_at, title, body, url, created_at, sent_at,
                cancelled_at, attempts, clock_id, content_type_id, recipient_id, last_error, parked_at)
            SELECT k.object_id, k.rule, 'due', k.due_on::timestamptz + interval '8 hours', '【今日到期】作出处理决定', '',
                   '/enforcement/' || k.object_id || '/', now(),
                   CASE WHEN k.due_on < current_date - 1 AND random() < 0.97 THEN k.due_on::timestamptz
                        + interval '8 hours 1 minute' END,
                   CASE WHEN k.status = 'stopped' AND k.ended_on < k.due_on THEN k.ended_on::timestamptz END, 0, k.id,
                   k.content_type_id, {self.users}[1 + (k.id %% array_length({self.users}, 1))::int], '', NULL
            FROM deadlines_legalclock k
            WHERE k.content_type_id = %s AND NOT EXISTS (SELECT 1 FROM deadlines_reminder r WHERE r.clock_id = k.id)
            ON CONFLICT DO NOTHING""", [case_type])

    def _analyze(self) -> None:
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"  # a test's transaction
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            for table in ("decisions_catalogitem", "decisions_decision", "normative_docs_normativedocument",
                          "enforcement_case", "enforcement_publicnotice", "deadlines_legalclock", "deadlines_reminder"):
                cursor.execute(f"{command} {table}")

#!/bin/bash
# perf/bench.sh: load the scale data (LOAD=1), then print perf-ratio figures (throughput as a ratio of a minimal
# Django view, see ../shared/bench/) for page 1 and a page 50 clicks deep of the public and staff lists, with the
# page cache on and off, the search p95 through the real view, and the reminder sweep time.
# Run from the checkout with DATABASE_URL set (a database of its own). Env: LOAD (0), DECISIONS (1000000),
# DOCUMENTS (100000), CASES (1000000), SEED (15), RUNS (3), DURATION (10), PERF_RATIO (../shared/bench/perf-ratio),
# PARTS ("cached uncached staff search sweep": which parts to run).
set -eu
PARTS=" ${PARTS:-cached uncached staff search sweep} "
part() { [[ $PARTS == *" $1 "* ]]; }
cd "$(dirname "$0")/.."
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-0123456789abcdefghijklmnopqrstuvwxyz}
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,testserver HUZHOU_PUBLIC_THROTTLE=100000000/min HUZHOU_ANON_THROTTLE=100000000/min
PERF_RATIO=${PERF_RATIO:-../shared/bench/perf-ratio}
py=.venv/bin/python
if [ "${LOAD:-0}" = 1 ]; then
  $py manage.py migrate -v0
  nice -n 10 $py manage.py generate_scale_data --decisions "${DECISIONS:-1000000}" --documents "${DOCUMENTS:-100000}" \
      --cases "${CASES:-1000000}" --seed "${SEED:-15}" --index
fi
$py manage.py shell -c "
from django.db import connection
with connection.cursor() as c:
    for t in ['decisions_decision','decisions_catalogitem','normative_docs_normativedocument','enforcement_case','enforcement_publicnotice','deadlines_legalclock','deadlines_reminder','search_searchentry']:
        c.execute(f'SELECT count(*) FROM {t}'); print('rows', t, c.fetchone()[0])
"
mapfile -t lines < <($py perf/prepare.py)
paths=() staff=() user=""
for line in "${lines[@]}"; do
  read -r label path <<<"$line"
  case $label in
    LOGIN) user=$path ;;
    staff-*|my-work) staff+=("$path") ;;
    *) paths+=("$path") ;;
  esac
  echo "$label $path"
done
part cached && echo "== public pages and API, page cache on (anonymous)" &&
HUZHOU_PAGE_CACHE=1 RUNS=${RUNS:-3} DURATION=${DURATION:-10} "$PERF_RATIO" "${paths[@]}" "/search/?q=%E6%B9%96%E5%B7%9E" "/search/?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83"
part uncached && echo "== public pages and API, page cache off" &&
HUZHOU_PAGE_CACHE=0 RUNS=${RUNS:-3} DURATION=${DURATION:-10} "$PERF_RATIO" "${paths[@]}" "/search/?q=%E6%B9%96%E5%B7%9E" "/search/?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83"
# sign in through the login form of a short-lived server (the session is in the database)
if part staff; then
export DJANGO_SECURE_COOKIES=0
.venv/bin/gunicorn huzhou_rule.wsgi:application -b 127.0.0.1:18109 -w 1 >/dev/null 2>&1 &
gpid=$!
sleep 5
jar=$(mktemp)
curl -s -c "$jar" -b "$jar" -o "$jar.html" http://127.0.0.1:18109/accounts/login/
token=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$jar.html" | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$jar" -b "$jar" -o /dev/null -H "Referer: http://127.0.0.1:18109/accounts/login/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$user" \
  --data-urlencode "password=${PERF_PASSWORD:-Perf#Bench2026-long-pass}" http://127.0.0.1:18109/accounts/login/
cookie="sessionid=$(awk '$6 == "sessionid" {print $7}' "$jar")"
kill $gpid
echo "== staff lists (signed in)"
WRK_HEADER="Cookie: $cookie" RUNS=${RUNS:-3} DURATION=${DURATION:-10} "$PERF_RATIO" "${staff[@]}"
fi
part search && echo "== search through the real view" && $py perf/search_p95.py
part sweep || exit 0
echo "== reminder sweep, through a Celery worker (filesystem broker in a temporary folder)"
broker=$(mktemp -d); mkdir -p "$broker/out" "$broker/processed" "$broker/control"
export CELERY_BROKER_URL=filesystem:// CELERY_BROKER_FOLDER=$broker
.venv/bin/celery -A huzhou_rule worker -P prefork -c 1 -l INFO >"$broker/worker.log" 2>&1 &
wpid=$!
for _ in $(seq 120); do grep -q "ready\." "$broker/worker.log" && break; sleep 0.5; done
$py manage.py shell -c "
import time
from django.utils import timezone
from deadlines.models import Reminder
from deadlines.tasks import deliver_due_reminders
due = Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True, parked_at__isnull=True,
                              due_at__lte=timezone.now())
before = due.count()
start = time.monotonic()
deliver_due_reminders.delay()
while due.exists():
    if time.monotonic() - start > 1800: raise SystemExit('the sweep did not finish in 30 minutes')
    time.sleep(0.5)
print(f'reminder sweep: {before} due reminders handled in {time.monotonic() - start:.1f} s')
"
echo "RSS of the Celery worker processes (KB):"; ps -o pid=,rss=,args= --pid $wpid --ppid $wpid | cut -c1-80
kill $wpid; wait $wpid 2>/dev/null; rm -rf "$broker"

#!/bin/bash
# perf/bench.sh: load the scale data (LOAD=1), then print perf-ratio figures (throughput as a ratio of a minimal
# Django view, see ../shared/bench/) for page 1 and a page 50 clicks deep of the public and staff lists, with the
# page cache on and off, the search p95 through the real view, and the reminder sweep time.
# Run from the checkout with DATABASE_URL set (a database of its own). Env: LOAD (0), DECISIONS (1000000),
# DOCUMENTS (100000), CASES (1000000), SEED (15), RUNS (3), DURATION (10), PERF_RATIO (../shared/bench/perf-ratio).
set -eu
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
paths=() staff=() cookie=""
for line in "${lines[@]}"; do
  read -r label path <<<"$line"
  case $label in
    COOKIE) cookie=$path ;;
    staff-*|my-work) staff+=("$path") ;;
    *) paths+=("$path") ;;
  esac
  echo "$label $path"
done
echo "== public pages and API, page cache on (anonymous)"
HUZHOU_PAGE_CACHE=1 RUNS=${RUNS:-3} DURATION=${DURATION:-10} "$PERF_RATIO" "${paths[@]}" "/search/?q=%E6%B9%96%E5%B7%9E" "/search/?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83"
echo "== public pages and API, page cache off"
HUZHOU_PAGE_CACHE=0 RUNS=${RUNS:-3} DURATION=${DURATION:-10} "$PERF_RATIO" "${paths[@]}" "/search/?q=%E6%B9%96%E5%B7%9E" "/search/?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83"
echo "== staff lists (signed in)"
WRK_HEADER="Cookie: $cookie" RUNS=${RUNS:-3} DURATION=${DURATION:-10} "$PERF_RATIO" "${staff[@]}"
echo "== search through the real view"
$py perf/search_p95.py
echo "== reminder sweep"
$py manage.py shell -c "
import time
from deadlines.services import reminders_deliver_due
start = time.monotonic(); n = 0
while True:
    sent = reminders_deliver_due()
    n += sent
    if not sent: break
print(f'reminder sweep: {n} delivered in {time.monotonic() - start:.1f} s')
"

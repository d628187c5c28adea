#!/bin/bash
# Feed import benchmark (docs/performance.md "Feed import"): the first load of N generated
# children with matching, then a 100,000-row incremental feed from a second source (new children,
# each classified against the directory), then a re-run of the first file (idempotent).
# Usage: bench/feed_import_bench.sh build-rel/bin/contactpoint 1000000

set -e
mkdir -p ${WORK:-/tmp/feed-bench}
BIN=$1; N=$2; D=${WORK:-/tmp/feed-bench}/data-$N
rm -rf $D; mkdir -p $D
$BIN org add --data $D --code LA-FEED --name "Feed LA" --type local_authority --area LA-FEED >/dev/null
$BIN org add --data $D --code SCH-FEED --name "Feed school" --type school --area LA-FEED >/dev/null
[ -f ${WORK:-/tmp/feed-bench}/feed-$N.csv ] || /usr/bin/time -f "generate: %e s, %M KiB" $BIN generate --children $N --out ${WORK:-/tmp/feed-bench}/feed-$N.csv
echo "== first load $N"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KiB" $BIN import --data $D --source LA-FEED --report $D/report1.csv ${WORK:-/tmp/feed-bench}/feed-$N.csv
cut -d, -f2 $D/report1.csv | sort | uniq -c
# Incremental: 100,000 rows of another generator seed (new children), from another source.
[ -f ${WORK:-/tmp/feed-bench}/inc-100k.csv ] || $BIN generate --children 100000 --seed 77 --out ${WORK:-/tmp/feed-bench}/inc-100k.csv
echo "== incremental 100000 into $N"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KiB" $BIN import --data $D --source SCH-FEED --report $D/report2.csv ${WORK:-/tmp/feed-bench}/inc-100k.csv
cut -d, -f2 $D/report2.csv | sort | uniq -c
echo "== re-run of the first load (idempotent)"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KiB" $BIN import --data $D --source LA-FEED ${WORK:-/tmp/feed-bench}/feed-$N.csv
du -sh $D

#!/usr/bin/env bash
# kill -9 a sweep midway, then --resume: finished designs are kept untouched, the rest computed,
# nothing duplicated, and the result equals an uninterrupted run.
# usage: study_resume.sh EXE STUDY.toml
set -u
exe=$1 study=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

CATHODELAB_TEST_DESIGN_DELAY_MS=150 "$exe" -q run "$study" --out "$work/a" --jobs 2 >/dev/null 2>&1 &
pid=$!
# Wait until a few designs are complete, then kill without warning.
for _ in $(seq 1 200); do
  n=$(ls "$work"/a/designs/*/COMPLETE 2>/dev/null | wc -l)
  [ "$n" -ge 4 ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
before=$(ls "$work"/a/designs/*/COMPLETE 2>/dev/null | wc -l)
[ "$before" -gt 0 ] && [ "$before" -lt 40 ] || fail "expected a partial run, found $before complete designs"
(cd "$work/a/designs" && md5sum */results.json */COMPLETE | sort) > "$work/before.md5"

out=$("$exe" -q run "$study" --out "$work/a" --resume --jobs 2) || fail "resume run failed"
echo "$out"
echo "$out" | grep -q "40 designs: 40 ok, 0 partial, 0 failed ($((40 - before)) computed, $before resumed)" ||
  fail "resume did not keep exactly the $before finished designs"
after=$(ls "$work"/a/designs/*/COMPLETE | wc -l)
[ "$after" -eq 40 ] || fail "$after complete designs after resume, expected 40"
[ -z "$(ls -A "$work/a/designs" | grep '^\.tmp-')" ] || fail "temporary folders left behind"
(cd "$work/a/designs" && md5sum */results.json */COMPLETE | sort) > "$work/after.md5"
missing=$(comm -23 "$work/before.md5" "$work/after.md5")
[ -z "$missing" ] || fail "finished designs were rewritten: $missing"
rows=$(tail -n +2 "$work/a/designs.csv" | cut -d, -f1 | sort | uniq | wc -l)
lines=$(tail -n +2 "$work/a/designs.csv" | wc -l)
[ "$rows" -eq 40 ] && [ "$lines" -eq 40 ] || fail "designs.csv has $lines rows, $rows distinct ids"

"$exe" -q run "$study" --out "$work/b" --jobs 1 >/dev/null || fail "uninterrupted run failed"
cmp -s "$work/a/designs.csv" "$work/b/designs.csv" || fail "resumed designs.csv differs from an uninterrupted run"
echo "PASS ($before designs kept, $((40 - before)) computed after kill -9)"

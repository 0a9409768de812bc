#!/usr/bin/env bash
# usage: cell_interrupt.sh EXE PARAMS
# SIGINT (and SIGTERM) during a long `cathodelab cell` run: the rows computed so far are already in
# timeseries.csv, summary.json is written with the interruption as its failure, one line says so,
# and the exit code is 128 + the signal.
set -u
exe=$1 params=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for signal in INT TERM; do
  dir="$out/$signal"
  "$exe" -q cell "$params" -e "(Discharge at C/2 until 2.5 V; Charge at C/2 until 4.3 V) x 100000" \
    --step-ends-only --out "$dir" > "$out/$signal.log" 2>&1 &
  pid=$!
  # Wait until rows arrive (they are written as they come), then signal.
  for _ in $(seq 1 300); do
    [ -f "$dir/timeseries.csv" ] && [ "$(wc -l < "$dir/timeseries.csv")" -gt 20 ] && break
    sleep 0.05
  done
  kill -"$signal" "$pid"
  wait "$pid"
  rc=$?
  cat "$out/$signal.log"
  expected=$([ "$signal" = INT ] && echo 130 || echo 143)
  [ "$rc" -eq "$expected" ] || fail "SIG$signal: exit code $rc, expected $expected"
  [ "$(wc -l < "$out/$signal.log")" -eq 1 ] || fail "SIG$signal: more than one line"
  grep -q "^interrupted: signal .* rows computed so far" "$out/$signal.log" || fail "no clear line"
  rows=$(($(wc -l < "$dir/timeseries.csv") - 1))
  [ "$rows" -gt 20 ] || fail "SIG$signal: only $rows rows kept"
  python3 - "$dir" "$rows" <<'PY' || fail "SIG$signal: summary.json"
import csv, json, sys
d, rows = sys.argv[1], int(sys.argv[2])
s = json.load(open(f"{d}/summary.json"))
assert s["failure"]["Reason"] == "interrupted", s["failure"]
times = [float(r["Time [s]"]) for r in csv.DictReader(open(f"{d}/timeseries.csv"))]
assert len(times) == rows and times == sorted(times), "rows out of order"
PY
done
echo PASS

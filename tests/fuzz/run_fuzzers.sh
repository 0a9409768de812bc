#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UBSan) in build/fuzz and runs each on its
# seed corpus in tests/fuzz/corpus/<format>/, one process at a time, for a fixed time or a fixed
# number of executions.
#
#   tests/fuzz/run_fuzzers.sh [SECONDS] [TARGET ...]   e.g. tests/fuzz/run_fuzzers.sh 60 fuzz_npy
#   tests/fuzz/run_fuzzers.sh --runs N [TARGET ...]   e.g. tests/fuzz/run_fuzzers.sh --runs 10000000
#
# SECONDS per target (default 60); with --runs, each target instead runs until it has executed N
# inputs (libFuzzer -runs, no time limit: the long campaign that docs/reliability.md records).
# TARGETs default to all. New corpus entries go to build/fuzz/corpus/<format>/ (the seeds in the
# tree stay as committed); a finding is written to build/fuzz/findings/<target>/ and makes the
# script exit non-zero. The table gives each target's executions, wall seconds and executions per
# second. Environment: FUZZ_BUILD_DIR (default build/fuzz), JOBS (build parallelism, default 2),
# CC/CXX (default clang/clang++).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build/fuzz}"
limit=(-max_total_time="${1:-60}")
if [ "${1:-}" = "--runs" ]; then
  [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] ||
    { echo "--runs needs a positive number of executions" >&2; exit 2; }
  limit=(-runs="$2")
  shift 2
else
  shift || true
fi
all=(fuzz_units fuzz_expression fuzz_experiment fuzz_npy fuzz_tiff fuzz_raw fuzz_cell_toml fuzz_cell_bpx
  fuzz_recipe fuzz_study)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

mkdir -p "$build"
# -g1 (line tables) keeps file:line in the sanitizer reports at a lower compile cost than -g.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  -DCMAKE_C_COMPILER="${CC:-clang}" -DCMAKE_CXX_COMPILER="${CXX:-clang++}" \
  -DCATHODELAB_FUZZ=ON -DCATHODELAB_SANITIZE=ON -DCATHODELAB_BUILD_TESTS=OFF \
  > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j "${JOBS:-2}" --target "${targets[@]}" > "$build/build.log" 2>&1 ||
  { tail -50 "$build/build.log"; exit 1; }

failed=0
printf '%-18s %12s %10s %10s %s\n' target executions seconds exec/s result
for target in "${targets[@]}"; do
  format="${target#fuzz_}"
  seeds="$root/tests/fuzz/corpus/$format"
  corpus="$build/corpus/$format"
  findings="$build/findings/$target"
  mkdir -p "$corpus" "$findings"
  log="$build/$target.log"
  # -rss_limit_mb bounds memory per input: an allocation the readers should have refused shows up
  # as an out-of-memory finding instead of slowing the machine down.
  start=$SECONDS
  if "$build/tests/fuzz/$target" "$corpus" "$seeds" "${limit[@]}" -workers=1 \
      -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 -artifact_prefix="$findings/" \
      > "$log" 2>&1; then
    result=ok
  else
    result="FINDING (see $log and $findings/)"
    failed=1
  fi
  elapsed=$((SECONDS - start))
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
  rate='?'
  [ -n "$runs" ] && rate=$((runs / (elapsed > 0 ? elapsed : 1)))
  printf '%-18s %12s %10s %10s %s\n' "$target" "${runs:-?}" "$elapsed" "$rate" "$result"
done
exit "$failed"

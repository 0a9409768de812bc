#!/usr/bin/env bash
# Runs tools/run_clang_tidy.sh on tests/tidy/planted_violation.cpp (through a compile database of
# its own) and passes only when the gate reports the planted finding and fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
file="$root/tests/tidy/planted_violation.cpp"
printf '[{"directory": "%s", "file": "%s", "command": "c++ -std=c++20 -c %s"}]\n' \
  "$dir" "$file" "$file" > "$dir/compile_commands.json"
if output="$(bash "$root/tools/run_clang_tidy.sh" "$dir" "$file" 2>&1)"; then
  echo "$output"
  echo "FAIL: the gate passed a file with a planted finding"
  exit 1
fi
echo "$output"
grep -q "performance-unnecessary-copy-initialization" <<<"$output" && echo PASS

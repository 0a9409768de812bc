#!/usr/bin/env bash
# Runs clang-tidy (the repository's .clang-tidy) over the project's sources and fails on any
# warning: the style gate of `make test` (ctest style.clang_tidy).
#
#   tools/run_clang_tidy.sh BUILD_DIR [FILE ...]
#
# BUILD_DIR holds compile_commands.json (CMAKE_EXPORT_COMPILE_COMMANDS is on). FILEs default to
# every .cpp under src/ and apps/ (their headers are checked through HeaderFilterRegex). Tests and
# benchmarks are left out: they would double the cost (about 13 min of CPU for the sources on this
# project's 2-core machine) for code whose failures the tests themselves show.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:?usage: run_clang_tidy.sh BUILD_DIR [FILE ...]}"
shift
tidy="$(command -v run-clang-tidy-14 || command -v run-clang-tidy)"
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(find "$root/src" "$root/apps" -name '*.cpp' | sort)
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# run-clang-tidy takes regular expressions: anchor each path so that one file selects itself only.
patterns=()
for f in "${files[@]}"; do
  # A file the database does not know would be skipped silently: refuse instead.
  if ! grep -qF "\"file\": \"$(realpath "$f")\"" "$build/compile_commands.json"; then
    echo "clang-tidy: $f is not in $build/compile_commands.json (configure that build first)"
    exit 1
  fi
  patterns+=("^$(realpath "$f")\$")
done
# The compile commands are GCC's: clang must skip GCC-only warning flags (-Wno-restrict) and keep
# -Werror (CI builds) from turning compiler warnings, which the gate does not check, into errors.
"$tidy" -p "$build" -j "${JOBS:-2}" -quiet -extra-arg=-Wno-unknown-warning-option \
  -extra-arg=-Wno-error "${patterns[@]}" > "$log" 2>&1 || true
warnings="$(grep -cE '(warning|error): ' "$log" || true)"
if [ "$warnings" -ne 0 ]; then
  grep -E '(warning|error): ' "$log" | sed 's/\x1b\[[0-9;]*m//g' | sort -u
  echo "clang-tidy: $warnings warning(s) in ${#files[@]} file(s)"
  exit 1
fi
echo "clang-tidy: no warnings in ${#files[@]} file(s)"

#!/usr/bin/env bash
# usage: expect_input_error.sh MAX_LINES REGEX COMMAND [ARG...]
# Runs COMMAND (stdout and stderr together) and passes when it exits with code 2 (a user's
# mistake), prints at least one and at most MAX_LINES lines, one of which matches the extended
# regular expression REGEX, and none of which is raw library or crash text (an internal error,
# a C++ exception name, a filesystem or JSON library message).
max_lines=$1 regex=${2//%3B/;}  # a ';' in the regex is passed as %3B (CMake lists split on ';')
shift 2
output=$("$@" 2>&1)
rc=$?
printf '%s\n' "$output"
if [ "$rc" -ne 2 ]; then echo "FAIL: exit code $rc, expected 2"; exit 1; fi
if [ -z "$output" ]; then echo "FAIL: no message"; exit 1; fi
lines=$(printf '%s\n' "$output" | wc -l)
if [ "$lines" -gt "$max_lines" ]; then echo "FAIL: $lines lines, expected at most $max_lines"; exit 1; fi
if ! printf '%s\n' "$output" | grep -Eq -- "$regex"; then echo "FAIL: output does not match $regex"; exit 1; fi
raw='internal error|precondition failed|json\.exception|filesystem error|std::|\bsto(i|l|ul|ull|d)\b|terminate called|what\(\)'
if printf '%s\n' "$output" | grep -Eq -- "$raw"; then echo "FAIL: raw library text in the message"; exit 1; fi
echo "PASS"

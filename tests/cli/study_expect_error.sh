#!/usr/bin/env bash
# usage: study_expect_error.sh EXE FILE REGEX
# Runs `EXE check FILE`; passes when it exits 2 and prints exactly one line matching REGEX.
exe=$1 file=$2 regex=$3
output=$("$exe" check "$file" 2>&1)
rc=$?
echo "$output"
if [ "$rc" -ne 2 ]; then echo "FAIL: exit code $rc, expected 2"; exit 1; fi
lines=$(printf '%s\n' "$output" | wc -l)
if [ "$lines" -ne 1 ]; then echo "FAIL: $lines lines, expected one"; exit 1; fi
if ! printf '%s\n' "$output" | grep -Eq -- "$regex"; then echo "FAIL: output does not match $regex"; exit 1; fi
echo "PASS"

#!/usr/bin/env bash
# The layering check must fail on the planted tree and name both planted violations.
set -u
out=$(python3 "$1/tools/check_layering.py" "$1/tests/layering/bad_tree")
code=$?
echo "$out"
[ "$code" -eq 1 ] || { echo "expected exit 1, got $code"; exit 1; }
grep -q "module 'transport' includes 'cathodelab/echem/p2d.hpp'" <<<"$out" || { echo "missed the bad include"; exit 1; }
grep -q "module 'echem' (level 2) depends on 'transport' (level 2)" <<<"$out" || { echo "missed the same-level dependency"; exit 1; }
echo "planted violations detected"

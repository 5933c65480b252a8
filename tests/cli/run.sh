#!/bin/sh
# CLI tests: every tests/cli/test_*.sh is sourced in turn with the helpers
# below.  A test file is a list of cases: set `case`, run a command with
# `run`, then check what it wrote.  Golden outputs live in tests/cli/expected/.
#
#   GEMA=build/gema sh tests/cli/run.sh            all files
#   GEMA=build/gema sh tests/cli/run.sh dedup       only test_dedup.sh
set -u
: "${GEMA:?set GEMA to the gema binary}"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=$ROOT/tests/data
EXPECTED=$HERE/expected
SAMPLES=$ROOT/samples
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gema-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
OUT=$TMP/stdout
ERR=$TMP/stderr
pass=0
fail=0
case=""

bad() {
    fail=$((fail + 1))
    echo "FAIL [$case] $*"
}

# run STATUS CMD...: run CMD with stdout in $OUT, stderr in $ERR; expect STATUS.
run() {
    want=$1
    shift
    "$@" >"$OUT" 2>"$ERR"
    got=$?
    if [ "$got" -ne "$want" ]; then
        bad "exit status $got, expected $want: $*"
        sed -n '1,5s/^/    stderr: /p' "$ERR"
        return 1
    fi
    pass=$((pass + 1))
    return 0
}

# same FILE GOLDEN: FILE equals GOLDEN byte for byte.
same() {
    if cmp -s "$1" "$2"; then
        pass=$((pass + 1))
    else
        bad "$1 differs from $2"
        diff "$2" "$1" 2>&1 | sed -n '1,10s/^/    /p'
    fi
}

# has FILE TEXT / hasnt FILE TEXT: fixed-string search.
has() {
    if grep -qF -- "$2" "$1"; then pass=$((pass + 1)); else bad "$1 lacks: $2"; sed -n '1,5s/^/    /p' "$1"; fi
}
hasnt() {
    if grep -qF -- "$2" "$1"; then bad "$1 should not contain: $2"; else pass=$((pass + 1)); fi
}

# lines FILE N: FILE has N lines.
lines() {
    n=$(wc -l <"$1" | tr -d ' ')
    if [ "$n" -eq "$2" ]; then pass=$((pass + 1)); else bad "$1 has $n lines, expected $2"; fi
}

# absent PATH: no such file (e.g. an output that must not appear).
absent() {
    if [ -e "$1" ]; then bad "$1 should not exist"; else pass=$((pass + 1)); fi
}

# The files to run, fixed before any is sourced: a test file may use the
# positional parameters for its own ends.
only=" $* "
for t in "$HERE"/test_*.sh; do
    name=$(basename "$t" .sh)
    name=${name#test_}
    case "$only" in
    "  " | *" $name "*) . "$t" ;;
    esac
done

echo "cli tests: $pass checks passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# Benchmarks: runs bench/suites/*.sh (or those named in $BENCH, e.g.
# BENCH="dedup clean") one after another.  Each suite writes its results as
# JSON to bench/results/SUITE.json.  Generated corpora go to bench/data/
# (not committed); labelled evaluation data is read from $GEMA_EVAL
# (default ../shared/eval, outside the repository, never shipped).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
export BUILD="${BUILD:-$ROOT/build}"
export GEMA="$BUILD/gema"
export RESULTS="$ROOT/bench/results"
export BENCH_DATA="${BENCH_DATA:-$ROOT/bench/data}"
export GEMA_EVAL="${GEMA_EVAL:-$ROOT/../shared/eval}"
export GEMA_SEEDS="${GEMA_SEEDS:-$ROOT/../shared/seeds}"
mkdir -p "$RESULTS" "$BENCH_DATA"
for s in "$ROOT"/bench/suites/*.sh; do
    name=$(basename "$s" .sh)
    if [ -n "${BENCH:-}" ]; then
        case " $BENCH " in *" $name "*) ;; *) continue ;; esac
    fi
    echo "== bench suite $name"
    sh "$s"
done

#!/usr/bin/env bash
# Runs BM_SendReceiveDelete/0 and its floor, BM_Floor_SendReceiveDelete (see
# simulator_bench.cc), in one run with their repetitions interleaved, and
# prints the median CPU time of each and their ratio (the issue's target is
# at most 1.5x the floor). It also prints what the floor costs when it
# returns the API's response objects (BM_Floor_SendReceiveDeleteWithResponses).
#
# Usage: bench/floor_ratio.sh [path/to/sqsim_bench] [extra benchmark flags]
# Default binary: build/release/bench/sqsim_bench; default 5 repetitions of
# 0.5 s each (flags given later win).
set -euo pipefail
cd "$(dirname "$0")/.."
bench="${1:-build/release/bench/sqsim_bench}"
shift || true

"$bench" --benchmark_filter='^BM_SendReceiveDelete/0$|^BM_Floor_SendReceiveDelete(WithResponses)?$' \
  --benchmark_repetitions=5 --benchmark_min_time=0.5 --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true "$@" |
  awk '
    # Console rows: name, real time, unit, CPU time, unit, iterations, counters.
    $1 == "BM_SendReceiveDelete/0_median" { sqsim = $4; unit[$5] = 1 }
    $1 == "BM_Floor_SendReceiveDelete_median" { floor = $4; unit[$5] = 1 }
    $1 == "BM_Floor_SendReceiveDeleteWithResponses_median" { answers = $4; unit[$5] = 1 }
    END {
      if (sqsim == "" || floor == "") { print "floor_ratio: medians not found" > "/dev/stderr"; exit 1 }
      for (u in unit) if (u != "ns") { print "floor_ratio: expected ns, got " u > "/dev/stderr"; exit 1 }
      printf "sqsim cycle  %8.1f ns  (%.2f M cycles/s)\n", sqsim, 1000 / sqsim
      printf "floor cycle  %8.1f ns  (%.2f M cycles/s)\n", floor, 1000 / floor
      printf "ratio        %8.2fx the floor\n", sqsim / floor
      if (answers != "")
        printf "floor + API responses %8.1f ns  (%.2fx the floor)\n", answers, answers / floor
    }'

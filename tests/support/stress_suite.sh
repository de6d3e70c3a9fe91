#!/usr/bin/env bash
# Flake hunt (not part of CI): runs the default test suite N times with
# `ctest -j2` while a CPU burner keeps one core busy, the conditions under
# which scheduler-dependent tests fail, and lists every test that failed in
# any run. Exits non-zero if one did.
#
#   tests/support/stress_suite.sh [runs (10)] [build dir (build/release)]
#
# Logs go to <build dir>/stress/run-<i>.log.
set -uo pipefail
runs="${1:-10}"
build="${2:-build/release}"
logs="$build/stress"
mkdir -p "$logs"

# One busy core: a shell loop that never sleeps.
(while :; do :; done) &
burner=$!
trap 'kill $burner 2>/dev/null' EXIT

failed_runs=0
declare -A failures=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  ctest --test-dir "$build" -LE soak -j2 --output-on-failure >"$logs/run-$i.log" 2>&1
  rc=$?
  seconds=$(($(date +%s) - start))
  summary=$(grep -E '^[0-9]+% tests passed' "$logs/run-$i.log" || echo "no summary line")
  if [ "$rc" -eq 0 ]; then
    echo "run $i: clean, $summary, ${seconds}s"
  else
    failed_runs=$((failed_runs + 1))
    echo "run $i: FAILED (exit $rc), $summary, ${seconds}s; log: $logs/run-$i.log"
    # ctest lists failures as "  <n> - <name> (Failed)" after "The following tests FAILED:".
    while read -r name; do
      failures["$name"]=$((${failures["$name"]:-0} + 1))
    done < <(sed -n '/The following tests FAILED:/,$p' "$logs/run-$i.log" |
      sed -nE 's/^[[:space:]]*[0-9]+ - (.*) \((Failed|Timeout|SEGFAULT|Subprocess aborted|Exception|Not Run)\)$/\1/p')
  fi
done

echo
echo "$((runs - failed_runs)) of $runs runs clean under load"
for name in "${!failures[@]}"; do
  echo "  failed ${failures[$name]}x: $name"
done
[ "$failed_runs" -eq 0 ]

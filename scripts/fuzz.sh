#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang 14, ASan + UBSan) and runs each
# for FUZZ_SECONDS (default 60), two at a time, from the seed corpus in
# fuzz/corpus/<target> (copied: the repository's corpus is not changed).
# Fails when any target finds a crash, leak or timeout; prints executions,
# exec/s and coverage per target. FUZZ_TARGETS limits the set.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
BUILD=build/fuzz
CXX=${FUZZ_CXX:-clang++-14}
command -v "$CXX" >/dev/null || { echo "fuzz: $CXX not found (scripts/bootstrap.sh installs clang-14)" >&2; exit 1; }

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S fuzz -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER="$CXX" "${launcher[@]}" >/dev/null
cmake --build "$BUILD" -j "$(nproc)"

targets=${FUZZ_TARGETS:-$(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')}
work="$BUILD/run"
rm -rf "$work"
mkdir -p "$work"

run_one() {
  local t=$1 dir="$work/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp fuzz/corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
  local dict=()
  [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$BUILD/$t" "$dir/corpus" "${dict[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    >"$dir/log" 2>&1
}

status=0
pids=()
names=()
for t in $targets; do
  run_one "$t" & pids+=($!); names+=("$t")
  if [ ${#pids[@]} -ge 2 ]; then
    wait "${pids[0]}" || { echo "FAIL ${names[0]}"; status=1; }
    pids=("${pids[@]:1}"); names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || { echo "FAIL ${names[$i]}"; status=1; }; done

printf '%-24s %12s %10s %8s %8s %s\n' target executions exec/s cov ft result
for t in $targets; do
  log="$work/$t/log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  result=ok
  if ls "$work/$t/artifacts/"* >/dev/null 2>&1 || grep -q 'ERROR: libFuzzer\|ERROR: AddressSanitizer\|runtime error' "$log"; then
    result="FOUND: see $log"; status=1
  fi
  printf '%-24s %12s %10s %8s %8s %s\n' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit $status

#!/usr/bin/env bash
# Run every fuzz target (fuzz/fuzz_targets/) for SECONDS each, one after another, one job each.
# Needs cargo-fuzz and a nightly toolchain (libFuzzer's sanitizer flags):
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]      (default 300 s, every target)
# Seeds (real-shaped inputs) are in fuzz/seeds/TARGET/; new inputs go to fuzz/corpus/ (not committed).
# Prints per target libFuzzer's final stats (executions, peak RSS) and the corpus size.
# A crash leaves its input in fuzz/artifacts/TARGET/; the other targets still run, and the
# script exits non-zero naming the targets that crashed.
set -euo pipefail
SECONDS_EACH=${1:-300}
shift || true
cd "$(dirname "$0")/.."
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -O
CRASHED=()
for t in "${TARGETS[@]}"; do
  echo "== $t: ${SECONDS_EACH}s"
  mkdir -p "fuzz/corpus/$t"
  cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$SECONDS_EACH" -jobs=1 -print_final_stats=1 2>&1 \
    | grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb|.*(ERROR|panicked|SUMMARY))' || true
  echo "corpus: $(find "fuzz/corpus/$t" -type f | wc -l) files"
  if [ -n "$(ls -A "fuzz/artifacts/$t" 2>/dev/null)" ]; then
    echo "$t: crash inputs in fuzz/artifacts/$t"
    CRASHED+=("$t")
  fi
done
if [ ${#CRASHED[@]} -gt 0 ]; then
  echo "crashed: ${CRASHED[*]}"
  exit 1
fi

#!/usr/bin/env bash
# Run every log-parser fuzz target (fuzz/fuzz_targets/) for SECONDS each, one after another.
# Needs cargo-fuzz and a nightly toolchain (libFuzzer's sanitizer flags):
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]      (default 300 s, every target)
# Seeds (real-shaped lines) are in fuzz/seeds/TARGET/; new inputs go to fuzz/corpus/ (not committed).
# A crash leaves its input in fuzz/artifacts/TARGET/ and stops the script with a non-zero exit.
set -euo pipefail
SECONDS_EACH=${1:-300}
shift || true
cd "$(dirname "$0")/.."
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -O
for t in "${TARGETS[@]}"; do
  echo "== $t: ${SECONDS_EACH}s"
  mkdir -p "fuzz/corpus/$t"
  cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- -max_total_time="$SECONDS_EACH" -print_final_stats=1 2>&1 \
    | grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb|.*(ERROR|panicked|SUMMARY))' || true
  test -z "$(ls -A "fuzz/artifacts/$t" 2>/dev/null)" || { echo "$t: crash inputs in fuzz/artifacts/$t"; exit 1; }
done

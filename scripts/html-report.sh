#!/usr/bin/env bash
# The HTML report's screenshots and its large-account figures (issue 19).
#   scripts/html-report.sh screenshots   # docs/img/triage-html-{light,dark}.png of ghost-sg-reference
#   scripts/html-report.sh bench [DIR]   # the 2,000-ALB account (examples/reach_scale.rs): page
#                                        # size, and load times in headless chromium (3 runs)
# Needs `chromium` (.ci/install-test-deps.sh). EDGEPATH=path/to/edgepath overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${EDGEPATH:-${CARGO_TARGET_DIR:-target}/debug/edgepath}
CHROME=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
        "--host-resolver-rules=MAP * ~NOTFOUND" --window-size=1280,2000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case "${1:-}" in
screenshots)
  "$BIN" triage --snapshot examples/ghost-sg-reference --logs examples/ghost-sg-reference/logs \
    --format html --out "$tmp/page.html" || true
  "${CHROME[@]}" --user-data-dir="$tmp/p1" --screenshot="docs/img/triage-html-light.png" \
    "file://$tmp/page.html" 2>/dev/null
  "${CHROME[@]}" --user-data-dir="$tmp/p2" --force-dark-mode --blink-settings=preferredColorScheme=0 \
    --screenshot="docs/img/triage-html-dark.png" "file://$tmp/page.html" 2>/dev/null
  ls -la docs/img/triage-html-*.png
  ;;
bench)
  DIR=${2:-/tmp/edgepath-scale-snapshot}
  if [ ! -d "$DIR" ]; then
    cargo run --no-default-features --example reach_scale -- snapshot "$DIR"
  fi
  /usr/bin/time -f "triage --format html: %e s wall, %M KB peak" \
    "$BIN" triage --snapshot "$DIR" --format html --out "$tmp/page.html" -q || true
  echo "page: $(wc -c < "$tmp/page.html") bytes"
  # A copy of the page that reports its own timings in document.title once loaded.
  sed 's|</body>|<script>addEventListener("load",function(){setTimeout(function(){var n=performance.getEntriesByType("navigation")[0];document.title="dcl "+Math.round(n.domContentLoadedEventEnd)+" ms, load "+Math.round(n.loadEventEnd)+" ms"},0)})</script></body>|' \
    "$tmp/page.html" > "$tmp/timed.html"
  for i in 1 2 3; do
    "${CHROME[@]}" --user-data-dir="$tmp/t$i" --virtual-time-budget=10000 --dump-dom \
      "file://$tmp/timed.html" 2>/dev/null | grep -o '<title>dcl[^<]*' | sed 's/<title>/chromium: /'
  done
  uptime
  ;;
*)
  echo "usage: $0 screenshots | bench [DIR]" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# Opens a report in headless Chromium and checks that it renders. Run by CTest as `report_browser`
# (the synthetic demo) and, through tests/output/report_run_check.sh, as `report_run_browser` (reports
# of real runs).
#   browser_check.sh <report-demo-executable> <artifacts-dir>
#   browser_check.sh --file <report.html> <artifacts-dir> <name>
#
# 1. The demo writes <artifacts>/report.html (every figure and table type, synthetic data); with
#    --file, the given report is checked instead and every file this script writes is named <name>*.
# 2. Static checks on the file: no http:// or https:// reference, no <script>.
# 3. A copy with one inline script appended (<name>_check.html) is loaded with --dump-dom. The script
#    runs after the whole document is parsed and writes, into a <pre id="il2sim-check">, the number of
#    <svg> elements, each one's rendered box (getBoundingClientRect, which forces layout), the
#    bounding box of its data group (getBBox) and its element count, the rendered box of each of
#    its non-empty <text> elements (OVERLAP: two that intersect by more than 1 px both ways;
#    OUTSIDE: one that leaves the figure's box), and the number of resource requests the page made
#    (Performance API). Reading the result from the dumped DOM is robust: it
#    needs no DevTools protocol and no log parsing for the measurements.
# 4. Console messages: Chromium started with --enable-logging=stderr --v=0 writes every console message
#    of the page to stderr as "INFO:CONSOLE". The report has no scripts, so any such line (an SVG
#    attribute Chromium could not parse, a blocked resource, an error in the check script) fails.
# 5. A PNG screenshot of the unmodified report, 1200 px wide and as tall as the page measured in 3
#    (so that every figure is in the picture), is saved as <artifacts>/<name>.png (name: report).
# Exit 0 = pass, 1 = fail, 77 = skipped because chromium is not installed (CTest SKIP_RETURN_CODE).
set -euo pipefail

usage="usage: browser_check.sh <report-demo> <artifacts-dir> | --file <report.html> <artifacts-dir> <name>"
given=""
if [ "${1:-}" = "--file" ]; then
  given=${2:?$usage}
  artifacts=${3:?$usage}
  name=${4:?$usage}
else
  demo=${1:?$usage}
  artifacts=${2:?$usage}
  name=report
fi

browser=""
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser=$(command -v "$candidate")
    break
  fi
done
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed (make test installs it via tools/install-deps.sh --browser)"
  exit 77
fi

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

mkdir -p "$artifacts"
check="$artifacts/${name}_check.html"
dom="$artifacts/${name}_dom.html"
png="$artifacts/$name.png"
rm -f "$check" "$png" "$dom"
if [ -n "$given" ]; then
  report=$given
  [ -f "$report" ] || fail "no report at $report"
else
  report="$artifacts/report.html"
  rm -f "$report"
  "$demo" "$report" || fail "the demo did not write the report"
fi
[ -s "$report" ] || fail "the report is empty"

# Static checks.
if grep -nE 'https?://' "$report"; then fail "the report references a network address"; fi
if grep -n '<script' "$report"; then fail "the report contains a script"; fi
expected_svgs=$(grep -o '<svg ' "$report" | wc -l)
[ "$expected_svgs" -gt 0 ] || fail "the report has no <svg> figure"

# The instrumented copy.
probe='<script>
(function () {
  var lines = [];
  var svgs = document.querySelectorAll("svg");
  svgs.forEach(function (s) {
    var r = s.getBoundingClientRect();
    var g = s.querySelector("g.data");
    var b = g ? g.getBBox() : { width: 0, height: 0 };
    var n = g ? g.children.length : 0;
    lines.push("FIG " + (s.id || "?") + " " + r.width.toFixed(1) + " " + r.height.toFixed(1) + " " +
               b.width.toFixed(1) + " " + b.height.toFixed(1) + " " + n);
    // Text labels: the rendered box of every non-empty <text> (transforms included); two that
    // intersect by more than 1 px in both directions overlap; one that leaves the figure is cut.
    var boxes = [];
    s.querySelectorAll("text").forEach(function (t) {
      var q = t.getBoundingClientRect();
      if (q.width > 0 && q.height > 0 && t.textContent.trim() !== "") boxes.push({ r: q, t: t.textContent });
    });
    lines.push("TEXTS " + (s.id || "?") + " " + boxes.length);
    for (var i = 0; i < boxes.length; ++i) {
      var a = boxes[i].r;
      if (a.left < r.left - 1 || a.right > r.right + 1 || a.top < r.top - 1 || a.bottom > r.bottom + 1)
        lines.push("OUTSIDE " + (s.id || "?") + " " + JSON.stringify(boxes[i].t));
      for (var j = i + 1; j < boxes.length; ++j) {
        var c = boxes[j].r;
        var w = Math.min(a.right, c.right) - Math.max(a.left, c.left);
        var h = Math.min(a.bottom, c.bottom) - Math.max(a.top, c.top);
        if (w > 1 && h > 1)
          lines.push("OVERLAP " + (s.id || "?") + " " + JSON.stringify(boxes[i].t) + " " +
                     JSON.stringify(boxes[j].t) + " " + w.toFixed(1) + "x" + h.toFixed(1));
      }
    }
  });
  var pre = document.createElement("pre");
  pre.id = "il2sim-check";
  pre.textContent = "SVGS " + svgs.length + "\nRESOURCES " +
      performance.getEntriesByType("resource").length + "\nHEIGHT " +
      Math.ceil(document.documentElement.scrollHeight) + "\n" + lines.join("\n") + "\nEND\n";
  document.body.appendChild(pre);
})();
</script>'
PROBE="$probe" awk '/<\/body>/ { print ENVIRON["PROBE"] } { print }' "$report" > "$check"

profile=$(mktemp -d)
profile2=$(mktemp -d)
trap 'rm -rf "$profile" "$profile2"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-component-update --disable-sync --no-first-run --enable-logging=stderr --v=0)

log="$artifacts/$name-chromium-check.log"
if ! timeout 300 "$browser" "${flags[@]}" --user-data-dir="$profile" --dump-dom \
       "file://$(realpath "$check")" > "$dom" 2> "$log"; then
  tail -20 "$log" >&2
  fail "chromium --dump-dom failed (log: $log)"
fi

result=$(awk '/<pre id="il2sim-check">/ { on = 1; sub(/.*<pre id="il2sim-check">/, "") }
              on { print } /^END$/ { exit }' "$dom")
[ -n "$result" ] || fail "the check script's output is missing from the dumped DOM"
echo "$result"

svgs=$(echo "$result" | awk '$1 == "SVGS" { print $2 }')
resources=$(echo "$result" | awk '$1 == "RESOURCES" { print $2 }')
height=$(echo "$result" | awk '$1 == "HEIGHT" { print $2 }')
[ "$svgs" = "$expected_svgs" ] || fail "the browser found $svgs <svg> elements, the file has $expected_svgs"
[ "$resources" = "0" ] || fail "the page requested $resources resources (it must be self-contained)"
bad=$(echo "$result" | awk '$1 == "FIG" && !($3 > 0 && $4 > 0 && $5 > 0 && $6 > 0 && $7 > 0)')
[ -z "$bad" ] || fail "figures that did not render (id, width, height, data bbox w/h, elements): $bad"
texts=$(echo "$result" | awk '$1 == "TEXTS" { n++ } END { print n + 0 }')
[ "$texts" = "$svgs" ] || fail "text boxes measured in $texts of $svgs figures"
overlaps=$(echo "$result" | grep -E '^(OVERLAP|OUTSIDE) ' || true)
[ -z "$overlaps" ] || fail "labels that overlap or leave their figure (figure, texts, overlap w x h px):
$overlaps"
if grep -n 'CONSOLE' "$log"; then fail "console messages while loading the report (log: $log)"; fi

# The screenshot, of the report itself.
shot_height=$height
[ "$shot_height" -le 20000 ] || shot_height=20000
shot_log="$artifacts/$name-chromium-screenshot.log"
if ! timeout 300 "$browser" "${flags[@]}" --user-data-dir="$profile2" --hide-scrollbars \
       --screenshot="$png" --window-size="1200,$shot_height" \
       "file://$(realpath "$report")" > /dev/null 2> "$shot_log"; then
  tail -20 "$shot_log" >&2
  fail "chromium --screenshot failed (log: $shot_log)"
fi
if grep -n 'CONSOLE' "$shot_log"; then fail "console messages while taking the screenshot (log: $shot_log)"; fi
[ -s "$png" ] || fail "no screenshot written"
[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
  fail "$png is not a PNG file"
echo "PASS: $svgs figures rendered, no overlapping labels, no console messages, no requests; screenshot $png"

//! The HTML report in a real browser: `edgepath … --format html` pages of the `examples/`
//! scenarios are loaded in headless Chromium (`--dump-dom`, with every host name resolving to
//! nothing) and the DOM after scripts ran is checked: the marked hop, the 5xx chart against the
//! log files, every finding's fix, no external fetch, and no script smuggled in through names,
//! tags or paths.
//!
//! Without `chromium` on PATH the browser tests say why and pass, unless
//! `EDGEPATH_REQUIRE_CHROMIUM` is set (CI sets it after `.ci/install-test-deps.sh`, which
//! installs Debian's `chromium`). The checks on the page's static HTML run everywhere.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs edgepath from the repository root; (exit code, stdout).
fn edgepath(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("EDGEPATH_SNAPSHOT")
        .args(args)
        .output()
        .expect("run edgepath");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `triage` of a scenario (with its logs when it has some) in `format`.
fn triage(scenario: &str, format: &str) -> String {
    let dir = format!("examples/{scenario}");
    let logs = format!("{dir}/logs");
    let mut args = vec!["triage", "--snapshot", dir.as_str()];
    if root().join(&logs).is_dir() {
        args.extend(["--logs", logs.as_str()]);
    }
    args.extend(["--format", format]);
    let (code, out) = edgepath(&args);
    assert!(matches!(code, 0 | 1 | 3), "triage {scenario} exited {code}");
    out
}

fn scenarios() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("cloudfront-get-distribution.json").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

/// Chromium, or `None` (the test then passes with a note) when it is not installed and
/// `EDGEPATH_REQUIRE_CHROMIUM` is unset.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("EDGEPATH_REQUIRE_CHROMIUM").is_none(),
            "EDGEPATH_REQUIRE_CHROMIUM is set but chromium is not installed (run .ci/install-test-deps.sh)"
        );
        eprintln!(
            "skipping the browser part: chromium is not installed (.ci/install-test-deps.sh installs it)"
        );
    }
    found
}

/// The DOM of `page` after Chromium loaded it and ran its scripts. No host name resolves, so
/// a page that tried to fetch anything from the network would get nothing.
fn dump_dom(chromium: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).expect("read the DOM");
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!(
                "chromium did not finish within 120 s for {}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let dom = reader.join().expect("reader");
    assert!(
        dom.contains("</html>"),
        "chromium printed no DOM for {}",
        page.display()
    );
    dom
}

/// Writes `html` to a file in `dir` and returns its DOM.
fn dom_of(chromium: &Path, dir: &Path, name: &str, html: &str) -> String {
    let page = dir.join(name);
    std::fs::write(&page, html).expect("write the page");
    dump_dom(chromium, &page)
}

/// Text with the five HTML entities the serializers use turned back into characters.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The elements of `dom` (start tags with their content up to the matching close of the same
/// name, not nested) whose start tag matches `tag_re`.
fn elements<'a>(dom: &'a str, tag: &str, attr_re: &str) -> Vec<&'a str> {
    let re = Regex::new(&format!(r"<{tag}\b[^>]*{attr_re}[^>]*>")).expect("regex");
    let close = format!("</{tag}>");
    re.find_iter(dom)
        .map(|m| {
            let end = dom[m.start()..]
                .find(&close)
                .map_or(dom.len(), |e| m.start() + e + close.len());
            &dom[m.start()..end]
        })
        .collect()
}

/// (minute → 5xx) of the CloudFront standard logs of a scenario, read here independently of
/// edgepath: `YYYY-MM-DDTHH:MM:00Z` of every record, 5xx counted by `sc-status`.
fn log_minutes(scenario: &str) -> Vec<(String, u64)> {
    let dir = root()
        .join("examples")
        .join(scenario)
        .join("logs/cloudfront");
    let mut minutes: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("logs/cloudfront") {
        let path = entry.expect("entry").path();
        let mut text = String::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).expect("open log"))
            .read_to_string(&mut text)
            .expect("gunzip log");
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let minute = format!("{}T{}:00Z", f[0], &f[1][..5]);
            let is_5xx = f[8].starts_with('5');
            *minutes.entry(minute).or_default() += u64::from(is_5xx);
        }
    }
    minutes.into_iter().collect()
}

fn minute_index(m: &str) -> i64 {
    // YYYY-MM-DDTHH:MM — the logs of one scenario are within one day.
    let h: i64 = m[11..13].parse().expect("hour");
    let min: i64 = m[14..16].parse().expect("minute");
    h * 60 + min
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let re = Regex::new(&format!(r#"\s{name}="([^"]*)""#)).expect("regex");
    re.captures(tag).map(|c| c.get(1).expect("group").as_str())
}

/// No `src`/`href`/`url()`/`@import` that could make the browser fetch anything.
fn assert_nothing_to_fetch(html: &str, what: &str) {
    let fetch = Regex::new(
        r#"(?i)(\bsrc\s*=|\bhref\s*=|\bxlink:href\s*=|\baction\s*=|\bposter\s*=)\s*["']?\s*(https?:|//|file:|data:text/html)|url\(|@import|<link\b|<iframe\b|<object\b|<embed\b|<img\b"#,
    )
    .expect("regex");
    if let Some(m) = fetch.find(html) {
        panic!(
            "{what}: the page could fetch something: …{}…",
            &html[m.start().saturating_sub(60)..(m.end() + 60).min(html.len())]
        );
    }
}

#[test]
fn ghost_sg_reference_marks_the_failing_hop_and_charts_every_minute() {
    let html = triage("ghost-sg-reference", "html");
    assert_nothing_to_fetch(&html, "ghost-sg-reference");
    let Some(chromium) = chromium() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dom = dom_of(&chromium, tmp.path(), "ghost.html", &html);

    // The marked hops: exactly the alb->target hop of each drawn route, and its evidence
    // (hover title and the open fold) names the group the targets still trust.
    let marked = elements(&dom, "g", r#"data-failing="true""#);
    assert!(!marked.is_empty(), "no hop is marked failing");
    for g in &marked {
        let start = &g[..g.find('>').expect("tag end")];
        assert_eq!(
            attr(start, "data-hop").map(unescape).as_deref(),
            Some("alb->target"),
            "marked hop: {start}"
        );
        assert_eq!(attr(start, "data-verdict"), Some("blocked"));
        assert!(g.contains("sg-0old000000000000c3"), "marked hop: {g}");
        assert!(g.contains("fails here"));
    }
    let hops = elements(&dom, "g", r#"data-hop="[^"]*""#);
    for g in hops
        .iter()
        .filter(|g| !g.contains(r#"data-failing="true""#))
    {
        let start = &g[..g.find('>').expect("tag end")];
        assert!(
            !start.contains("failing"),
            "unmarked hop has the class: {start}"
        );
    }
    let folds = elements(&dom, "details", r#"data-failing="true""#);
    assert_eq!(
        folds.len(),
        marked.len(),
        "one open evidence fold per marked hop"
    );
    for d in &folds {
        assert!(
            d.contains("near miss") && d.contains("sg-0old000000000000c3"),
            "{d}"
        );
        assert!(
            d[..d.find('>').expect("tag end")].contains(" open"),
            "fold not open: {d}"
        );
    }

    // The chart: one bar per minute of the logs, in order, with the logs' 5xx counts; the onset
    // marker at the first minute of the 5xx (the README's 05:49).
    let minutes = log_minutes("ghost-sg-reference");
    let first = minute_index(&minutes[0].0);
    let last = minute_index(&minutes[minutes.len() - 1].0);
    let bars: Vec<&str> = elements(&dom, "rect", r#"class="bar minute""#);
    assert_eq!(
        i64::try_from(bars.len()).expect("count"),
        last - first + 1,
        "bars vs. minutes of the log window"
    );
    for (k, bar) in bars.iter().enumerate() {
        let minute = attr(bar, "data-minute").expect("data-minute");
        assert_eq!(minute_index(minute), first + i64::try_from(k).expect("k"));
        let want = minutes
            .iter()
            .find(|(m, _)| m == minute)
            .map_or(0, |(_, n)| *n);
        assert_eq!(
            attr(bar, "data-count"),
            Some(want.to_string().as_str()),
            "{minute}"
        );
    }
    let first_5xx = &minutes
        .iter()
        .find(|(_, n)| *n > 0)
        .expect("5xx in the logs")
        .0;
    assert_eq!(first_5xx, "2026-11-20T05:49:00Z");
    let onset = elements(&dom, "g", r#"class="onset-marker""#);
    assert_eq!(onset.len(), 1, "one onset marker");
    assert_eq!(attr(onset[0], "data-minute"), Some(first_5xx.as_str()));
    // Drawn over that minute's bar.
    let bar = bars
        .iter()
        .find(|b| attr(b, "data-minute") == Some(first_5xx.as_str()))
        .expect("bar of the onset minute");
    let bar_x: i64 = attr(bar, "x").expect("x").parse().expect("x");
    let bar_w: i64 = attr(bar, "width").expect("w").parse().expect("w");
    let line = elements(onset[0], "line", r#"class="onset""#)[0];
    let line_x: i64 = attr(line, "x1").expect("x1").parse().expect("x1");
    assert!(
        (bar_x..=bar_x + bar_w + 1).contains(&line_x),
        "onset line at x={line_x}, bar at {bar_x}+{bar_w}"
    );

    // The page's own script ran (copy buttons shown) and nothing else did.
    let button = elements(&dom, "button", r#"data-copy="fix-1""#);
    assert_eq!(button.len(), 1, "the fix's copy button");
    assert!(
        !button[0][..button[0].find('>').expect("tag end")].contains("hidden"),
        "the page's script did not run: {}",
        button[0]
    );
    assert_eq!(dom.matches("<script").count(), 1);
}

/// A change from CloudTrail is a marker on the chart at its minute, naming its actor.
#[test]
fn changes_are_marked_with_their_actor() {
    let json: serde_json::Value =
        serde_json::from_str(&triage("change-seed-story", "json")).expect("json");
    let changes: Vec<&serde_json::Value> = json["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| e["kind"] == "change")
        .collect();
    assert!(!changes.is_empty(), "the scenario has a change");
    let html = triage("change-seed-story", "html");
    let Some(chromium) = chromium() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dom = dom_of(&chromium, tmp.path(), "change.html", &html);
    let markers = elements(&dom, "g", r#"class="change-marker""#);
    assert_eq!(markers.len(), changes.len());
    for (m, c) in markers.iter().zip(&changes) {
        assert_eq!(attr(m, "data-time"), c["time"].as_str());
        let actor = c["actor"].as_str().expect("actor");
        assert!(!actor.is_empty());
        assert_eq!(attr(m, "data-actor").map(unescape).as_deref(), Some(actor));
        assert!(
            unescape(m).contains(actor),
            "the marker's title names the actor: {m}"
        );
    }
}

/// Every finding's fix of every scenario is in the page (static HTML, everywhere), and in the
/// browser's DOM for the scenarios with the most findings.
#[test]
fn every_findings_fix_is_on_the_page() {
    let chromium = chromium();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut in_browser = 0;
    for scenario in scenarios() {
        let json: serde_json::Value =
            serde_json::from_str(&triage(&scenario, "json")).expect("triage json");
        let fixes: BTreeSet<String> = json["diagnoses"]
            .as_array()
            .expect("diagnoses")
            .iter()
            .map(|d| d["fix"].as_str().expect("fix").to_owned())
            .collect();
        let html = triage(&scenario, "html");
        assert_nothing_to_fetch(&html, &scenario);
        let text = unescape(&html);
        for fix in &fixes {
            assert!(
                text.contains(fix.as_str()),
                "{scenario}: fix missing: {fix}"
            );
        }
        // The browser for the first scenarios with two or more findings (each run takes ~2 s).
        if let (Some(c), true) = (&chromium, fixes.len() >= 2 && in_browser < 8) {
            let dom = dom_of(c, tmp.path(), &format!("{scenario}.html"), &html);
            let blocks: Vec<String> = elements(&dom, "pre", r#"id="fix-\d+""#)
                .iter()
                .map(|p| {
                    let inner = p.split_once("<code>").expect("code").1;
                    unescape(inner.split_once("</code>").expect("/code").0)
                })
                .collect();
            for fix in &fixes {
                assert!(blocks.contains(fix), "{scenario}: no fix block holds {fix}");
            }
            in_browser += 1;
        }
    }
    if chromium.is_some() {
        assert!(
            in_browser >= 3,
            "only {in_browser} scenarios checked in the browser"
        );
    }
}

/// A snapshot whose names, tags, descriptions and directory carry markup and quotes: the page
/// shows them as text and runs none of it (each payload would set `document.title`).
#[test]
fn markup_in_names_tags_and_paths_never_runs() {
    const PAYLOAD: &str =
        r#""'><script>document.title='pwned'</script><svg onload="document.title='pwned'">"#;
    let tmp = tempfile::tempdir().expect("tempdir");
    // The directory name reaches the page as the report's source (no `/` in a file name).
    let dir = tmp
        .path()
        .join(r#"snap"'><svg onload="document.title='pwned'">"#);
    let src = root().join("examples/ghost-sg-reference");
    copy_dir(&src, &dir);
    // Every name-like value, replaced wherever it appears as a whole JSON string.
    let names = [
        "web-alb",
        "web-tg",
        "web-alb-origin",
        "legacy-allow-all",
        "alb-cloudfront",
        "app-targets",
    ];
    let mut injected = 0;
    for entry in walkdir::WalkDir::new(&dir) {
        let path = entry.expect("walk").into_path();
        if path.extension().is_some_and(|e| e == "json") {
            let mut v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
            injected += inject(&mut v, &names, PAYLOAD, None);
            std::fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("write");
        }
    }
    assert!(injected > 5, "only {injected} values carry the payload");
    let dir_s = dir.to_str().expect("utf-8 path");
    let logs = format!("{dir_s}/logs");
    let (code, html) = edgepath(&[
        "triage",
        "--snapshot",
        dir_s,
        "--logs",
        &logs,
        "--format",
        "html",
    ]);
    assert_eq!(code, 1, "the seed story still fails with the payloads");
    // The payload reached the page, escaped.
    assert!(
        html.contains("&lt;script&gt;document.title="),
        "payload not on the page"
    );
    assert!(html.contains("Tag&quot;&#39;&gt;") || html.contains("Tag&quot;'&gt;"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!html.contains("<svg onload"));
    assert_nothing_to_fetch(&html, "injected");
    let Some(chromium) = chromium() else { return };
    let out = tmp.path().join("page.html");
    std::fs::write(&out, &html).expect("write");
    let dom = dump_dom(&chromium, &out);
    let title = Regex::new(r"<head>.*?<title>([^<]*)</title>")
        .expect("regex")
        .captures(&dom)
        .expect("title")[1]
        .to_owned();
    assert_eq!(title, "edgepath triage", "a payload ran");
    assert!(!dom.contains("pwned</title>"));
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "a script element was injected"
    );
}

/// Replaces every string equal to one of `names` and every tag value / description with
/// `names + payload`; returns how many values it changed.
fn inject(v: &mut serde_json::Value, names: &[&str], payload: &str, key: Option<&str>) -> usize {
    match v {
        serde_json::Value::String(s) => {
            let taggy = matches!(key, Some("Value" | "Description" | "Comment" | "GroupName"));
            if names.contains(&s.as_str()) || (taggy && !s.is_empty()) {
                *s = format!("{s}Tag{payload}");
                1
            } else {
                0
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().map(|x| inject(x, names, payload, key)).sum(),
        serde_json::Value::Object(o) => o
            .iter_mut()
            .map(|(k, x)| inject(x, names, payload, Some(k.as_str())))
            .sum(),
        _ => 0,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// The other pages are self-contained too and carry their command's answer.
#[test]
fn check_what_if_and_blockers_pages() {
    let chromium = chromium();
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("blockers.html");
    let page_s = page.to_str().expect("utf-8");
    let (code, stdout) = edgepath(&[
        "blockers",
        "--snapshot",
        "examples/sg-cannot-delete",
        "sg-0old000000000000c3",
        "--format",
        "html",
        "--out",
        page_s,
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "--out writes the file, not stdout");
    let blockers = std::fs::read_to_string(&page).expect("--out file");
    assert_nothing_to_fetch(&blockers, "blockers");
    let json: serde_json::Value = serde_json::from_str(
        &edgepath(&[
            "blockers",
            "--snapshot",
            "examples/sg-cannot-delete",
            "sg-0old000000000000c3",
            "--format",
            "json",
        ])
        .1,
    )
    .expect("json");
    let steps = json["steps"].as_array().expect("steps");
    let items = elements(&blockers, "li", r"data-step=");
    assert_eq!(items.len(), steps.len(), "one checklist item per step");
    for (li, s) in items.iter().zip(steps) {
        let destructive = s["destructive"].as_bool().expect("bool");
        let start = &li[..li.find('>').expect("tag end")];
        let label = &li[..li.find("</label>").expect("label")];
        assert_eq!(
            start.contains(r#"data-destructive="true""#),
            destructive,
            "{li}"
        );
        assert_eq!(label.contains("⚠ destructive"), destructive, "{li}");
        assert!(unescape(li).contains(s["command"].as_str().expect("command")));
    }

    let (_, whatif) = edgepath(&[
        "what-if",
        "--snapshot",
        "examples/seed-story-before",
        "--detach-sg",
        "sg-0old000000000000c3",
        "--from",
        "web-alb",
        "--format",
        "html",
    ]);
    assert_nothing_to_fetch(&whatif, "what-if");
    assert!(whatif.contains(r#"data-before="allowed" data-after="blocked""#));

    let (code, check) = edgepath(&[
        "check",
        "--snapshot",
        "examples/ghost-sg-reference",
        "--format",
        "html",
    ]);
    assert_eq!(code, 1);
    assert_nothing_to_fetch(&check, "check");
    assert!(
        check.contains(r#"data-hop="alb-&gt;target" data-verdict="blocked" data-failing="true""#)
    );

    let Some(chromium) = chromium else { return };
    for (name, html) in [("whatif.html", &whatif), ("check.html", &check)] {
        let dom = dom_of(&chromium, tmp.path(), name, html);
        assert!(dom.contains("<h1>edgepath "), "{name}: {dom}");
    }
    let dom = dump_dom(&chromium, &page);
    assert_eq!(elements(&dom, "li", r"data-step=").len(), steps.len());
}

/// A generated account with more failing routes than are drawn: failing routes are drawn up to
/// the limit and the rest listed, healthy ones collapsed into a count, and every path counted.
#[test]
fn a_large_account_draws_failing_routes_and_collapses_the_rest() {
    use edgepath::source::snapshot::write_snapshot;
    use edgepath::synth::{SynthSpec, generate};
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("snap");
    let inv = generate(&SynthSpec {
        distributions: 160,
        behaviors: 0,
        targets_per_group: 3,
        extra_sgs: 0,
        rules_per_sg: 0,
        listener_rules: 0,
    });
    write_snapshot(&inv, &dir).expect("write the snapshot");
    let dir_s = dir.to_str().expect("utf-8");
    let (_, json) = edgepath(&["check", "--snapshot", dir_s, "--format", "json", "-q"]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let paths = json["paths"].as_array().expect("paths");
    let route = |p: &serde_json::Value| {
        [
            "distribution",
            "behavior",
            "origin",
            "load_balancer",
            "listener",
            "sub_path",
            "target_group",
        ]
        .map(|k| p[k].to_string())
    };
    let failing: BTreeSet<_> = paths
        .iter()
        .filter(|p| p["verdict"] != "allowed")
        .map(route)
        .collect();
    let healthy: BTreeSet<_> = paths
        .iter()
        .filter(|p| p["verdict"] == "allowed")
        .map(route)
        .collect();
    assert!(
        failing.len() > 30,
        "the account needs more failing routes than are drawn: {}",
        failing.len()
    );
    assert!(!healthy.is_empty(), "and some healthy ones");

    let (_, html) = edgepath(&["check", "--snapshot", dir_s, "--format", "html", "-q"]);
    assert_nothing_to_fetch(&html, "large account");
    let drawn = elements(&html, "div", r#"class="route failing-route""#);
    assert_eq!(drawn.len(), 30, "failing routes drawn");
    let more = elements(&html, "details", r#"class="more-failing""#);
    assert_eq!(more.len(), 1);
    assert_eq!(
        more[0].matches("<tr>").count() - 1,
        failing.len() - 30,
        "the rest listed"
    );
    let collapsed = elements(&html, "details", r#"class="healthy""#);
    assert_eq!(collapsed.len(), 1);
    assert_eq!(
        attr(collapsed[0], "data-routes"),
        Some(healthy.len().to_string().as_str())
    );
    let summary = elements(&html, "p", r#"class="summary""#)[0];
    let n_failing = paths.iter().filter(|p| p["verdict"] != "allowed").count();
    assert_eq!(
        attr(summary, "data-failing-paths"),
        Some(n_failing.to_string().as_str())
    );
    assert_eq!(
        attr(summary, "data-healthy-paths"),
        Some((paths.len() - n_failing).to_string().as_str())
    );
    assert!(html.len() < 2_000_000, "page of {} bytes", html.len());
}

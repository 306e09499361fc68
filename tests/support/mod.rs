//! Test harness shared by the moto tests: starts `moto_server` (and, when asked, the
//! permission-denying proxy in `deny_proxy.py`) on free ports of 127.0.0.1 and stops them on
//! drop. Without `moto_server` or `aws` on PATH the tests say so and pass, unless
//! `EDGEPATH_REQUIRE_MOTO` is set (CI sets it, after `.ci/install-test-deps.sh`).

#![allow(dead_code, unreachable_pub)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed on drop (with the server it fronts, if any).
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The server this one proxies, kept alive as long as it is.
    upstream: Option<Box<Server>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        drop(self.upstream.take());
    }
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("free port")
        .local_addr()
        .expect("addr")
        .port()
}

fn wait_for(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{what} did not start within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The project's `tests/support` directory.
pub fn support_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support")
}

/// Starts moto_server, or `None` (the test then passes with a note) when it is not installed
/// and `EDGEPATH_REQUIRE_MOTO` is unset.
pub fn start_moto() -> Option<Server> {
    if !have("moto_server") || !have("aws") {
        assert!(
            std::env::var_os("EDGEPATH_REQUIRE_MOTO").is_none(),
            "EDGEPATH_REQUIRE_MOTO is set but moto_server or aws is not installed (run .ci/install-test-deps.sh)"
        );
        eprintln!("skipping: moto_server or aws not installed (pip install 'moto[server]' awscli)");
        return None;
    }
    let port = free_port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        upstream: None,
    };
    wait_for(port, "moto_server");
    // moto lacks the VPC Block Public Access describes (it answers 500): every test talks to
    // moto through the proxy, which answers them (mode off, no exclusions) and forwards the rest.
    let mut proxy = start_proxy(&server, &[], &[]);
    proxy.upstream = Some(Box::new(server));
    Some(proxy)
}

/// Starts `deny_proxy.py` in front of `upstream`, answering `actions` with a 403 denial.
pub fn start_deny_proxy(upstream: &Server, actions: &[&str]) -> Server {
    start_proxy(upstream, actions, &[])
}

/// Starts `deny_proxy.py` in front of `upstream`: `actions` answered with a 403 denial, each
/// `(path, file)` of `stubs` answered with the file's content (a recorded response).
pub fn start_proxy(upstream: &Server, actions: &[&str], stubs: &[(&str, &Path)]) -> Server {
    start_fault_proxy(upstream, actions, stubs, &[])
}

/// Starts `deny_proxy.py` as [`start_proxy`] does, also injecting `faults` (each a `--fault`
/// spec of `deny_proxy.py`: `op=OPERATION|*,kind=throttle|500|503|slow|reset[,every=N]
/// [,attempts=M][,delay=S]`).
pub fn start_fault_proxy(
    upstream: &Server,
    actions: &[&str],
    stubs: &[(&str, &Path)],
    faults: &[&str],
) -> Server {
    let mut args = deny_args(actions);
    for (path, file) in stubs {
        args.extend(["--stub".to_owned(), format!("{path}={}", file.display())]);
    }
    for f in faults {
        args.extend(["--fault".to_owned(), (*f).to_owned()]);
    }
    start_proxy_with(upstream, &args)
}

/// Starts `deny_proxy.py` in front of `upstream` answering VPC Block Public Access with `mode`
/// (`block-bidirectional`, `block-ingress`, `off`) and no exclusions, denying `actions`.
pub fn start_bpa_proxy(upstream: &Server, mode: &str, actions: &[&str]) -> Server {
    let mut args = vec!["--bpa-mode".to_owned(), mode.to_owned()];
    args.extend(deny_args(actions));
    start_proxy_with(upstream, &args)
}

/// `--deny ACTION` for each action.
fn deny_args(actions: &[&str]) -> Vec<String> {
    actions
        .iter()
        .flat_map(|a| ["--deny".to_owned(), (*a).to_owned()])
        .collect()
}

/// The faults `deny_proxy.py` injected so far: `{"OPERATION": {"KIND": count}}`.
pub fn injected_faults(proxy: &Server) -> serde_json::Value {
    let url = proxy.url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(url).expect("proxy answers");
    std::io::Write::write_all(
        &mut stream,
        format!("GET /__faults HTTP/1.1\r\nHost: {url}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .expect("request sent");
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).expect("answer read");
    let body = answer
        .split("\r\n\r\n")
        .nth(1)
        .expect("an HTTP answer with a body");
    serde_json::from_str(body).expect("deny_proxy.py answers /__faults with JSON")
}

/// Starts `deny_proxy.py` in front of `upstream` with extra arguments (`--stub-target`,
/// `--request-log`).
pub fn start_proxy_with(upstream: &Server, args: &[String]) -> Server {
    let port = free_port();
    let child = Command::new("python3")
        .arg(support_dir().join("deny_proxy.py"))
        .args(["--upstream", &upstream.url, "--port", &port.to_string()])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start deny_proxy.py");
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        upstream: None,
    };
    wait_for(port, "deny_proxy.py");
    server
}

/// Builds the test account of `moto_account.py` in `moto`; returns its JSON (ids created).
pub fn build_account(moto: &Server, args: &[&str]) -> serde_json::Value {
    run_builder(moto, "moto_account.py", args)
}

/// Runs `script` (a Python builder in tests/support/) against `moto` with `args`; returns the
/// JSON it prints (the ids it created).
pub fn run_builder(moto: &Server, script: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(support_dir().join(script))
        .args(["--endpoint", &moto.url])
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{script} prints JSON: {e}"))
}

/// The environment that points the AWS SDK and CLI at `server` with dummy credentials.
pub fn aws_env(server: &Server) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", server.url.clone()),
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_MAX_ATTEMPTS", "1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_CONFIG_FILE", "/dev/null".into()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".into()),
    ]
}

/// Runs `aws ARGS --output text --region us-east-1` against `server`; returns stdout.
pub fn aws(server: &Server, args: &[&str]) -> String {
    let out = Command::new("aws")
        .args(args)
        .args(["--output", "text", "--region", "us-east-1"])
        .envs(aws_env(server))
        .output()
        .expect("aws runs");
    assert!(
        out.status.success(),
        "aws {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

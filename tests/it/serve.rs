//! `sitpress serve` end to end: the real binary on a free port, a plain HTTP client, edits on
//! disk, and the event stream an open page listens to.

use crate::support::{fixture_copy, read_tree};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RELOAD_TAG: &str = sitpress::internals::RELOAD_TAG;

/// How long a test waits for an event that should come, as a bound on a failing test only:
/// every wait ends as soon as its event arrives.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `sitpress serve`, stopped (Ctrl-C) when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    /// Everything it printed to stdout so far, read on a thread.
    stdout: Arc<Mutex<String>>,
    /// Told when stdout closes: the process is exiting.
    closed: mpsc::Receiver<()>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// Starts it with more arguments and waits until it says it is serving (after the first
    /// build), so every test starts from a built site.
    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitpress"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .args(args)
            .env("SOURCE_DATE_EPOCH", crate::support::EPOCH_2025)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stdout = Arc::new(Mutex::new(String::new()));
        let (ready, listening) = mpsc::channel();
        let (eof, closed) = mpsc::channel();
        let pipe = child.stdout.take().expect("piped stdout");
        let seen = Arc::clone(&stdout);
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if line.starts_with("serving ") {
                    let _ = ready.send(());
                }
                let mut seen = seen.lock().unwrap();
                seen.push_str(&line);
                seen.push('\n');
            }
            let _ = eof.send(());
        });
        let server = Server { child, port, stdout, closed };
        assert!(listening.recv_timeout(PATIENCE).is_ok(), "serve did not start on {port}: {}", server.stdout());
        server
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Stops with SIGINT, as Ctrl-C would; returns the exit status (`None` if it did not stop
    /// within [`PATIENCE`]) and stdout.
    pub fn interrupt(mut self) -> (Option<i32>, String) {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        if self.closed.recv_timeout(PATIENCE).is_err() {
            return (None, self.stdout());
        }
        (self.child.wait().ok().and_then(|s| s.code()), self.stdout())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A minimal HTTP/1.1 GET: status and body.
pub fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = request(port, path);
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A GET with `Host: 127.0.0.1`: status, head (lower case) and body.
fn request(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    raw(port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
}

/// Sends `text` as it is and reads the response to its end: status, head (lower case) and
/// body (de-chunked).
fn raw(port: u16, text: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.write_all(text.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut body = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, head, body)
}

/// The value of header `name` (lower case) in a head from [`raw`].
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(':')).map(str::trim)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
    out
}

/// The event name a stream from [`events`] sends when the server ends it.
const ENDED: &str = "<ended>";

/// The event stream an open page listens to, read on a thread: (event name, data) pairs, then
/// ([`ENDED`], "") if the server ends it. Returns once the server says it is subscribed, so
/// no change made after it is missed.
pub fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let (subscribed, confirmed) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET /__sitpress/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if line == ": subscribed" {
                let _ = subscribed.send(());
            } else if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ")
                && tx.send((name.clone(), d.to_string())).is_err()
            {
                return;
            }
        }
        let _ = tx.send((ENDED.to_string(), String::new()));
    });
    assert!(confirmed.recv_timeout(PATIENCE).is_ok(), "the event stream did not open");
    rx
}

/// The next event named `name`, skipping others; `None` if the stream ends or nothing comes
/// within [`PATIENCE`].
fn next_event(rx: &mpsc::Receiver<(String, String)>, name: &str) -> Option<String> {
    let deadline = Instant::now() + PATIENCE;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((n, d)) if n == name => return Some(d),
            Ok((n, _)) if n == ENDED => return None,
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// The URL paths of each `reload` event, in order, up to the first that names `url`: a
/// rebuild reloads the edited pages first, the pages listing them next, the search page last.
fn reloads_until(rx: &mpsc::Receiver<(String, String)>, url: &str) -> Vec<Vec<String>> {
    let mut reloads = Vec::new();
    while let Some(event) = next_event(rx, "reload") {
        let urls: Vec<String> = serde_json::from_str(&event).unwrap_or_else(|_| panic!("a list of URL paths: {event}"));
        let done = urls.iter().any(|u| u == url);
        reloads.push(urls);
        if done {
            return reloads;
        }
    }
    panic!("no reload named {url} after {reloads:?}");
}

/// Waits until `path` serves a body containing `needle`: checks, then checks again after
/// each reload the server announces.
fn wait_for(server: &Server, rx: &mpsc::Receiver<(String, String)>, path: &str, needle: &str) -> bool {
    loop {
        if server.get(path).1.contains(needle) {
            return true;
        }
        if next_event(rx, "reload").is_none() {
            return false;
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serves_pages_safely() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let (status, body) = server.get("/briefings/b1/");
    assert_eq!(status, 200);
    assert!(body.contains("First") && body.contains(RELOAD_TAG), "the reload script is injected");
    let (_, head, _) = request(server.port, "/style.css");
    assert!(head.to_ascii_lowercase().contains("content-type: text/css"), "{head}");
    let (_, head, _) = request(server.port, "/atom.xml");
    assert!(head.to_ascii_lowercase().contains("content-type: application/atom+xml"), "{head}");
    let (_, head, _) = request(server.port, "/data.json");
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
    // Links are relative to the page, whatever base_url's path (this fixture's is /reports/).
    assert!(body.contains("href=\"../../actors/aland/\""), "{body}");
    let secret = site.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET").unwrap();
    for attack in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/content/briefings/b1.md",
        "/sitpress.yaml",
        "/etc/passwd",
        "/%00",
    ] {
        let (status, body) = server.get(attack);
        assert_eq!(status, 404, "{attack}");
        assert!(!body.contains("TOP-SECRET") && !body.contains("root:") && !body.contains("title: First"), "{attack}");
    }
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "the site's own 404 page");
    let (status, _) = server.get("/briefings/b1");
    assert_eq!(status, 301, "folder without slash redirects");
    assert!(!site.path().join("public").exists(), "serve writes nothing");
}

#[test]
fn edits_reload_errors_show_and_recover() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let rx = events(server.port);
    let b1 = site.path().join("content/briefings/b1.md");

    edit(&b1, "title: First", "title: First, revised");
    assert!(next_event(&rx, "reload").is_some(), "a save reloads");
    assert!(server.get("/briefings/b1/").1.contains("First, revised"));

    // Break it: the error reaches the browser; the last good page is still served.
    edit(&b1, "actors: [aland]", "actors: [alnd]");
    let error = next_event(&rx, "build-error").expect("a build error event");
    assert!(error.contains("content/briefings/b1.md:5:10"), "{error}");
    assert!(error.contains("unknown actor `alnd`"), "{error}");
    assert!(error.contains("did you mean `aland`?"), "{error}");
    let (status, body) = server.get("/briefings/b1/");
    assert_eq!(status, 200);
    assert!(body.contains("First, revised"), "the last good page");
    // A page opened now learns of the error at once.
    let late = events(server.port);
    assert!(next_event(&late, "build-error").is_some());

    // Fix it: reload, and the overlay's cause is gone.
    edit(&b1, "actors: [alnd]", "actors: [aland]");
    assert!(next_event(&rx, "reload").is_some(), "recovery reloads");
    let (code, out) = server.interrupt();
    assert_eq!(code, Some(0), "Ctrl-C stops cleanly");
    assert!(out.contains("stopped"), "{out}");
}

#[test]
fn a_body_edit_shows_at_once_and_the_rebuild_behind_it_agrees() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let rx = events(server.port);
    let b1 = site.path().join("content/briefings/b1.md");
    let text = std::fs::read_to_string(&b1).unwrap();
    // As vim saves: a scratch file made and removed, then the file written.
    let scratch = site.path().join("content/briefings/4913");
    std::fs::write(&scratch, "").unwrap();
    std::fs::remove_file(&scratch).unwrap();
    std::fs::write(&b1, format!("{text}\nA paragraph added in the preview.\n")).unwrap();
    // The preview's reload names the one page it changed, which already shows the new text.
    let first = next_event(&rx, "reload").expect("a reload");
    assert_eq!(first, r#"["/briefings/b1/"]"#);
    let previewed = request(server.port, "/briefings/b1/").2;
    assert!(String::from_utf8_lossy(&previewed).contains("A paragraph added in the preview."));
    // The rebuild behind it changes no page the preview did not show (the feed, which no open
    // page shows, aside) but the search page, whose index holds briefings' bodies.
    let second = next_event(&rx, "reload").expect("the rebuild's reload");
    assert_eq!(second, r#"["/search/"]"#);
    assert_eq!(request(server.port, "/briefings/b1/").2, previewed, "the rebuild renders the same page");
    let out = tempfile::tempdir().unwrap();
    crate::support::sitpress()
        .args(["build", "--quiet", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(out.path().join("site"))
        .args(["--base-url", &format!("http://127.0.0.1:{}/", server.port)])
        .assert()
        .success();
    let fresh = std::fs::read(out.path().join("site/briefings/b1/index.html")).unwrap();
    let served = String::from_utf8_lossy(&previewed).replacen(RELOAD_TAG, "", 1).into_bytes();
    assert!(served == fresh, "the previewed page is the page a build makes");

    // A front matter edit is not previewed: the rebuild shows it, and names what changed: the
    // edited briefing's page alone first, then the briefing pages linking to it, the home page
    // that lists it after.
    edit(&b1, "title: First", "title: First, renamed");
    let reloads = reloads_until(&rx, "/");
    assert_eq!(reloads[0], ["/briefings/b1/"], "{reloads:?}");
    assert!(reloads[1].iter().all(|u| u.starts_with("/briefings/")), "{reloads:?}");
    assert!(reloads.len() > 2, "the home page after the briefings: {reloads:?}");
    assert!(server.get("/briefings/b1/").1.contains("First, renamed"));
    let (_, out) = server.interrupt();
    assert_eq!(out.matches("showed /briefings/b1/").count(), 1, "{out}");
    // The rebuild after the body edit reused every page whose context it did not change: only
    // the page and the site feed (which carries whole bodies) were rendered again.
    let rebuilt = out.lines().filter(|l| l.starts_with("rebuilt ")).nth(1).expect("a rebuild line");
    assert!(rebuilt.starts_with("rebuilt 2 pages in "), "{rebuilt}");
}

#[test]
fn after_edits_deletes_and_renames_the_served_site_equals_a_fresh_build() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let rx = events(server.port);
    let briefings = site.path().join("content/briefings");
    let step = |f: &dyn Fn()| {
        f();
        assert!(next_event(&rx, "reload").is_some(), "each change rebuilds");
    };
    step(&|| edit(&briefings.join("b2.md"), "confidence: high", "confidence: low"));
    step(&|| edit(&briefings.join("b0.md"), "date: 2024-10-01", "date: 2024-12-25"));
    step(&|| std::fs::remove_file(briefings.join("b0.md")).unwrap());
    step(&|| std::fs::rename(briefings.join("b3.md"), briefings.join("b3-final.md")).unwrap());
    step(&|| edit(&site.path().join("content/actors/cor.md"), "name: Cor Pact", "name: Cor Alliance"));
    step(&|| {
        // An editor's atomic save: write a temporary file, then rename it over the original.
        let tmp = briefings.join(".b2.md.tmp");
        std::fs::write(
            &tmp,
            std::fs::read_to_string(briefings.join("b2.md")).unwrap().replace("Second", "Second (v2)"),
        )
        .unwrap();
        std::fs::rename(&tmp, briefings.join("b2.md")).unwrap();
    });
    assert!(wait_for(&server, &rx, "/briefings/b2/", "Second (v2)"));
    assert_eq!(server.get("/briefings/b0/").0, 404, "the deleted briefing's page is gone");
    assert_eq!(server.get("/briefings/b3/").0, 404, "the renamed briefing's old page is gone");
    assert_eq!(server.get("/briefings/b3-final/").0, 200);

    let out = tempfile::tempdir().unwrap();
    let fresh = out.path().join("site");
    crate::support::sitpress()
        .args(["build", "--quiet", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&fresh)
        .args(["--base-url", &format!("http://127.0.0.1:{}/", server.port)])
        .assert()
        .success();
    let expected: Vec<(String, Vec<u8>)> =
        read_tree(&fresh).into_iter().filter(|(p, _)| p != sitpress::internals::MARKER).collect();
    let manifest: Vec<String> = serde_json::from_str(&server.get("/__sitpress/manifest.json").1).unwrap();
    let mut served: Vec<String> = manifest;
    served.sort();
    let mut expected_paths: Vec<&String> = expected.iter().map(|(p, _)| p).collect();
    expected_paths.sort();
    assert_eq!(served.iter().collect::<Vec<_>>(), expected_paths, "the same files");
    let mut different = Vec::new();
    for (path, bytes) in &expected {
        let (status, _, body) = request(server.port, &format!("/{path}"));
        let body = if path.ends_with(".html") {
            String::from_utf8_lossy(&body).replacen(RELOAD_TAG, "", 1).into_bytes()
        } else {
            body
        };
        if status != 200 && path != "404.html" || body != *bytes {
            different.push(path.clone());
        }
    }
    assert!(different.is_empty(), "served differs from a fresh build: {different:?}");
}

#[test]
fn a_port_in_use_is_named() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = fixture_copy("data-site");
    let out = Command::new(env!("CARGO_BIN_EXE_sitpress"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("port {port}")) && err.contains("--port"), "{err}");
}

#[test]
fn a_site_that_never_built_is_still_served_with_its_errors() {
    let site = fixture_copy("data-site");
    edit(&site.path().join("content/briefings/b1.md"), "actors: [aland]", "actors: [alnd]");
    let server = Server::start(site.path());
    let (status, body) = server.get("/");
    assert_eq!(status, 503);
    assert!(body.contains(RELOAD_TAG));
    let rx = events(server.port);
    assert!(next_event(&rx, "build-error").is_some_and(|e| e.contains("b1.md:5:10")));
    edit(&site.path().join("content/briefings/b1.md"), "actors: [alnd]", "actors: [aland]");
    assert!(next_event(&rx, "reload").is_some());
    assert_eq!(server.get("/").0, 200);
}

/// Whether the browser tests can run: node, playwright-core and Debian's chromium. With
/// SITPRESS_REQUIRE_BROWSER=1 (as in CI) a missing piece fails the test instead of skipping.
pub fn browser_available() -> bool {
    let root = crate::support::repo_root();
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let playwright = root.join("node_modules/playwright-core").is_dir();
    let chromium = Path::new(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())).exists();
    if node && playwright && chromium {
        return true;
    }
    let missing = format!("node: {node}, node_modules/playwright-core: {playwright}, chromium: {chromium}");
    if std::env::var("SITPRESS_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("browser test required but not runnable ({missing}); run `npm ci` and install chromium");
    }
    eprintln!("skipping browser test ({missing})");
    false
}

#[test]
fn an_open_page_reloads_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let out = Command::new("node")
        .arg(crate::support::repo_root().join("tests/browser/serve-reload.mjs"))
        .arg(format!("http://127.0.0.1:{}/briefings/b1/", server.port))
        .arg(site.path().join("content/briefings/b1.md"))
        .arg("Reloaded by itself")
        .output()
        .expect("node runs");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_source_folder_created_while_serving_is_watched() {
    let site = fixture_copy("data-site");
    assert!(!site.path().join("static").exists());
    let server = Server::start(site.path());
    let rx = events(server.port);
    std::fs::create_dir(site.path().join("static")).unwrap();
    // The folder is watched before the build its creation triggers, so before this reload.
    assert!(next_event(&rx, "reload").is_some(), "the new folder rebuilds");
    std::fs::write(site.path().join("static/notes.txt"), "first").unwrap();
    assert!(wait_for(&server, &rx, "/notes.txt", "first"), "files in it are watched");
    std::fs::write(site.path().join("static/logo.txt"), "logo").unwrap();
    assert!(wait_for(&server, &rx, "/logo.txt", "logo"));
}

/// A request with the given `Host` (none when `None`) and extra header lines.
fn with_host(port: u16, method: &str, path: &str, host: Option<&str>, extra: &[&str]) -> (u16, String, Vec<u8>) {
    let mut text = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if let Some(h) = host {
        text.push_str(&format!("Host: {h}\r\n"));
    }
    for line in extra {
        text.push_str(line);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    raw(port, &text)
}

#[test]
fn only_its_own_host_names_are_answered() {
    let site = fixture_copy("data-site");
    let server = Server::start_with(site.path(), &["--allow-host", "Preview.Example"]);
    let port = server.port;
    let here = format!("localhost:{port}");
    for host in [here.as_str(), "127.0.0.1", "[::1]", "localhost", "preview.example", "PREVIEW.example:8443"] {
        let (status, _, body) = with_host(port, "GET", "/briefings/b1/", Some(host), &[]);
        assert_eq!(status, 200, "{host}");
        assert!(String::from_utf8_lossy(&body).contains("First"), "{host}");
    }
    // A rebinding page's name, with or without the port, and other names of the loopback.
    let attacker = format!("attacker.example:{port}");
    for host in [attacker.as_str(), "attacker.example", "127.0.0.1.nip.io", "localhost.attacker.example"] {
        let (status, head, body) = with_host(port, "GET", "/briefings/b1/", Some(host), &[]);
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 403, "{host}");
        assert!(!body.contains("First"), "{host}: nothing of the site");
        assert!(header(&head, "content-type").is_some_and(|t| t.starts_with("text/plain")), "{head}");
        let name = host.split(':').next().unwrap();
        assert!(body.contains(&format!("--allow-host {name}`")), "{host}: says how to allow it: {body}");
    }
    for path in ["/search-index/manifest.js", "/data.json", "/__sitpress/events", "/__sitpress/manifest.json"] {
        assert_eq!(with_host(port, "GET", path, Some("attacker.example"), &[]).0, 403, "{path}");
    }
    let (status, _, body) = with_host(port, "GET", "/", None, &[]);
    assert_eq!(status, 403, "no Host");
    assert!(String::from_utf8_lossy(&body).contains("no Host header"));
    // An absolute-form target names its host too.
    assert_eq!(with_host(port, "GET", "http://attacker.example/", Some("localhost"), &[]).0, 403);
}

#[test]
fn it_listens_only_on_the_loopback_by_default() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    // This machine's address on its network, if it has one (no packet is sent).
    let lan = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").and(s.local_addr()))
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified());
    match lan {
        Some(ip) => assert!(TcpStream::connect((ip, server.port)).is_err(), "reachable on {ip}"),
        None => eprintln!("no network address to try"),
    }
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_ok());
}

#[test]
fn other_sites_cannot_load_its_files() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let port = server.port;
    let fetch = |site: &str, mode: &str, dest: &str| {
        [format!("Sec-Fetch-Site: {site}"), format!("Sec-Fetch-Mode: {mode}"), format!("Sec-Fetch-Dest: {dest}")]
    };
    // `<script src="http://localhost:PORT/search-index/manifest.js">` on another site.
    let script = fetch("cross-site", "no-cors", "script");
    let lines: Vec<&str> = script.iter().map(String::as_str).collect();
    let (status, head, body) = with_host(port, "GET", "/search-index/manifest.js", Some("localhost"), &lines);
    assert_eq!(status, 403);
    assert!(!String::from_utf8_lossy(&body).contains("SITPRESS_SEARCH"));
    assert_eq!(header(&head, "cross-origin-resource-policy"), Some("same-origin"));
    // The search page loading its own index.
    let own = fetch("same-origin", "no-cors", "script");
    let lines: Vec<&str> = own.iter().map(String::as_str).collect();
    let (status, _, body) = with_host(port, "GET", "/search-index/manifest.js", Some("localhost"), &lines);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("SITPRESS_SEARCH"));
    // Another program on another port of localhost, and another site's EventSource.
    for (site, mode, dest, path) in
        [("same-site", "cors", "empty", "/data.json"), ("cross-site", "cors", "empty", "/__sitpress/events")]
    {
        let headers = fetch(site, mode, dest);
        let lines: Vec<&str> = headers.iter().map(String::as_str).collect();
        assert_eq!(with_host(port, "GET", path, Some("localhost"), &lines).0, 403, "{site} {path}");
    }
    // A link from another site still opens the page.
    let open = fetch("cross-site", "navigate", "document");
    let lines: Vec<&str> = open.iter().map(String::as_str).collect();
    assert_eq!(with_host(port, "GET", "/briefings/b1/", Some("localhost"), &lines).0, 200);
}

#[test]
fn every_response_is_for_its_own_origin_only() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let port = server.port;
    let cases: [(&str, &str, Option<&str>, u16); 10] = [
        ("GET", "/briefings/b1/", Some("localhost"), 200),
        ("HEAD", "/briefings/b1/", Some("localhost"), 200),
        ("GET", "/style.css", Some("localhost"), 200),
        ("GET", "/search-index/manifest.js", Some("localhost"), 200),
        ("GET", "/__sitpress/reload.js", Some("localhost"), 200),
        ("GET", "/__sitpress/manifest.json", Some("localhost"), 200),
        ("GET", "/briefings/b1", Some("localhost"), 301),
        ("GET", "/no/such/page/", Some("localhost"), 404),
        ("POST", "/briefings/b1/", Some("localhost"), 405),
        ("GET", "/", Some("attacker.example"), 403),
    ];
    for (method, path, host, expected) in cases {
        let (status, head, _) = with_host(port, method, path, host, &["Content-Length: 0"]);
        assert_eq!(status, expected, "{method} {path}");
        assert_eq!(header(&head, "cross-origin-resource-policy"), Some("same-origin"), "{method} {path}: {head}");
    }
    // The event stream's response never ends: read its head alone.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.write_all(b"GET /__sitpress/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let head: Vec<String> = BufReader::new(s).lines().map_while(Result::ok).take_while(|l| !l.is_empty()).collect();
    let head = head.join("\n").to_ascii_lowercase();
    assert!(head.contains("text/event-stream"), "{head}");
    assert_eq!(header(&head, "cross-origin-resource-policy"), Some("same-origin"), "{head}");
}

#[test]
fn redirects_never_leave_the_origin() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    for path in ["/briefings/b1", "//briefings/b1", "///briefings/b1", "/%2F%2Fbriefings/b1", "/%2f/briefings/b1"] {
        let (status, head, _) = request(server.port, path);
        assert_eq!(status, 301, "{path}");
        assert_eq!(header(&head, "location"), Some("/briefings/b1/"), "{path}");
    }
    // Whatever these answer, no redirect names another host.
    for path in [
        "//evil.example",
        "//evil.example/",
        "///evil.example",
        "/\\evil.example",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "//evil.example/briefings/b1",
        "/\\/evil.example",
    ] {
        let (status, head, _) = request(server.port, path);
        let location = header(&head, "location").unwrap_or("");
        assert!(!location.contains("evil"), "{path}: {status} to {location}");
        if (300..400).contains(&status) {
            let rest = location.strip_prefix('/').expect("a path on this origin");
            assert!(!rest.starts_with(['/', '\\']), "{path}: {location}");
        }
    }
}

#[test]
fn static_files_stream_and_head_sends_only_the_length() {
    let site = fixture_copy("data-site");
    std::fs::create_dir(site.path().join("static")).unwrap();
    // Larger than any single read, so the body comes in many pieces.
    let big: Vec<u8> = (0..1_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::write(site.path().join("static/data.bin"), &big).unwrap();
    let server = Server::start(site.path());
    let (status, head, body) = request(server.port, "/data.bin");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-length"), Some("1000000"), "{head}");
    assert!(body == big, "the file's bytes");
    for path in ["/data.bin", "/briefings/b1/", "/style.css", "/search-index/manifest.js"] {
        let (_, _, got) = request(server.port, path);
        let (status, head, body) =
            raw(server.port, &format!("HEAD {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&head, "content-length"), Some(got.len().to_string().as_str()), "{path}: {head}");
        assert!(body.is_empty(), "{path}: HEAD has no body");
    }
}

#[test]
fn idle_connections_stop_neither_a_request_nor_ctrl_c() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    // More than the server keeps open: some say nothing, some start a request and stall.
    let idle: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
            if i % 2 == 0 {
                s.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
            }
            s
        })
        .collect();
    assert!(idle.len() > sitpress::internals::MAX_CONNECTIONS);
    let (status, body) = server.get("/briefings/b1/");
    assert_eq!(status, 200);
    assert!(body.contains("First"));
    // The cap held: the server has no more sockets open than it allows, besides its listener
    // and the socket pair tokio reads signals from.
    let fds = std::fs::read_dir(format!("/proc/{}/fd", server.child.id())).map(|d| {
        d.filter_map(Result::ok)
            .filter(|e| std::fs::read_link(e.path()).is_ok_and(|l| l.to_string_lossy().starts_with("socket:")))
            .count()
    });
    if let Ok(sockets) = fds {
        assert!(sockets <= sitpress::internals::MAX_CONNECTIONS + 8, "{sockets} sockets open");
    }
    let (code, out) = server.interrupt();
    assert_eq!(code, Some(0), "Ctrl-C stops it with idle connections open: {out}");
    drop(idle);
}

#[test]
fn a_client_sending_its_head_a_byte_at_a_time_is_cut_off() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let mut reader = s.try_clone().unwrap();
    // Slowloris: a header line that never ends, one byte a second, for far longer than the
    // server waits for a request's head.
    let writer = std::thread::spawn(move || {
        let start = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: ";
        if s.write_all(start).is_err() {
            return;
        }
        let pace = Duration::from_secs(1);
        for _ in 0..(PATIENCE.as_secs() * 2) {
            if s.write_all(b"a").is_err() {
                return;
            }
            std::thread::sleep(pace);
        }
    });
    reader.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut answer = Vec::new();
    let ended = match reader.read_to_end(&mut answer) {
        Ok(_) => true,
        Err(e) => matches!(e.kind(), std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe),
    };
    assert!(ended, "the server closed the connection");
    assert!(!String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"), "no page for a head never finished");
    let _ = reader.shutdown(std::net::Shutdown::Both);
    let _ = writer.join();
    assert!(sitpress::internals::HEADER_TIMEOUT < PATIENCE);
    assert_eq!(server.get("/").0, 200, "the server still answers");
}

#[test]
fn event_streams_are_capped_oldest_first() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let oldest = events(server.port);
    let rest: Vec<_> = (0..sitpress::internals::MAX_EVENT_STREAMS).map(|_| events(server.port)).collect();
    // One past the cap: the oldest stream ends; the newest still gets every reload.
    let ended = oldest.recv_timeout(PATIENCE).is_ok_and(|(name, _)| name == ENDED);
    assert!(ended, "the oldest stream ended");
    edit(&site.path().join("content/briefings/b1.md"), "title: First", "title: First, capped");
    assert!(next_event(rest.last().unwrap(), "reload").is_some());
    assert!(next_event(&rest[0], "reload").is_some());
}

#[test]
fn an_edited_static_file_is_served_and_reloads_every_page() {
    let site = fixture_copy("data-site");
    std::fs::create_dir(site.path().join("static")).unwrap();
    let css = site.path().join("static/extra.css");
    std::fs::write(&css, "body { color: black }").unwrap();
    let server = Server::start(site.path());
    let rx = events(server.port);
    assert_eq!(server.get("/extra.css").1, "body { color: black }");
    // Edited, not created: the same path, new bytes. Any page may use it (through a
    // stylesheet, a script), so every open page reloads.
    std::fs::write(&css, "body { color: navy }").unwrap();
    assert_eq!(next_event(&rx, "reload").as_deref(), Some("*"));
    assert_eq!(server.get("/extra.css").1, "body { color: navy }");
}

#[test]
fn other_sites_cannot_read_the_preview_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let out = Command::new("node")
        .arg(crate::support::repo_root().join("tests/browser/serve-cross-site.mjs"))
        .arg(server.port.to_string())
        .output()
        .expect("node runs");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// Every file of the search index is served, as a build writes it; a change to the index
/// reloads the search page (once, by its URL), never every page, and names no index file.
#[test]
fn the_search_index_is_served_and_reloads_only_the_search_page() {
    let site = fixture_copy("data-site");
    let built = crate::support::build_ok(site.path());
    let files = read_tree(&built.join("search-index"));
    assert!(files.len() > 5, "{} index files", files.len());
    let server = Server::start(site.path());
    let rx = events(server.port);
    for (path, bytes) in &files {
        let (status, _, body) = request(server.port, &format!("/search-index/{path}"));
        assert_eq!(status, 200, "/search-index/{path}");
        assert_eq!(&body, bytes, "/search-index/{path} as built");
    }
    let (status, text) = server.get("/search/text.js");
    assert_eq!(status, 200);
    assert!(text.contains("SITPRESS_TEXT"));
    // A claim's words change the index (its term and document files) and the pages showing
    // the claim.
    edit(
        &site.path().join("content/briefings/b1.md"),
        "The president spoke about Bor.",
        "The president spoke about Cor.",
    );
    let reloads = reloads_until(&rx, "/search/");
    let urls: Vec<String> = reloads.concat();
    assert_eq!(urls.iter().filter(|u| *u == "/search/").count(), 1, "{urls:?}");
    assert!(!urls.iter().any(|u| u.contains("search-index")), "{urls:?}");
    assert!(urls.contains(&"/briefings/b1/".to_string()), "{urls:?}");
}

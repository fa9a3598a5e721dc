//! `sitpress serve` end to end: the real binary on a free port, a plain HTTP client, edits on
//! disk, and the event stream an open page listens to.

use crate::support::{fixture_copy, read_tree};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const RELOAD_TAG: &str = sitpress::serve::RELOAD_TAG;

/// A running `sitpress serve`, stopped (Ctrl-C) when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_sitpress"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .env("SOURCE_DATE_EPOCH", crate::support::EPOCH_2025)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("serve did not listen on {port}");
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    /// Stops with SIGINT, as Ctrl-C would; returns the exit status and stdout.
    pub fn interrupt(mut self) -> (Option<i32>, String) {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut out = String::new();
                if let Some(mut s) = self.child.stdout.take() {
                    let _ = s.read_to_string(&mut out);
                }
                return (status.code(), out);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        (None, String::new())
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

fn request(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut body = raw[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, head, body)
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

/// The event stream an open page listens to, read on a thread: (event name, data) pairs.
pub fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET /__sitpress/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send((name.clone(), d.to_string())).is_err() {
                    break;
                }
            }
        }
    });
    // Let the subscription reach the server before the caller edits anything.
    std::thread::sleep(Duration::from_millis(300));
    rx
}

/// The next event named `name` within `within`, skipping others.
fn next_event(rx: &mpsc::Receiver<(String, String)>, name: &str, within: Duration) -> Option<String> {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((n, d)) if n == name => return Some(d),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Waits until `path` serves a body containing `needle`.
fn wait_for(server: &Server, path: &str, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if server.get(path).1.contains(needle) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
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

    let start = Instant::now();
    edit(&b1, "title: First", "title: First, revised");
    assert!(next_event(&rx, "reload", Duration::from_secs(2)).is_some(), "reload within 2 s");
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(server.get("/briefings/b1/").1.contains("First, revised"));

    // Break it: the error reaches the browser; the last good page is still served.
    edit(&b1, "actors: [aland]", "actors: [alnd]");
    let error = next_event(&rx, "build-error", Duration::from_secs(2)).expect("a build error event");
    assert!(error.contains("content/briefings/b1.md:5:10"), "{error}");
    assert!(error.contains("unknown actor `alnd`"), "{error}");
    assert!(error.contains("did you mean `aland`?"), "{error}");
    let (status, body) = server.get("/briefings/b1/");
    assert_eq!(status, 200);
    assert!(body.contains("First, revised"), "the last good page");
    // A page opened now learns of the error at once.
    let late = events(server.port);
    assert!(next_event(&late, "build-error", Duration::from_secs(2)).is_some());

    // Fix it: reload, and the overlay's cause is gone.
    edit(&b1, "actors: [alnd]", "actors: [aland]");
    assert!(next_event(&rx, "reload", Duration::from_secs(2)).is_some(), "recovery reloads");
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
    let first = next_event(&rx, "reload", Duration::from_secs(3)).expect("a reload");
    assert_eq!(first, r#"["/briefings/b1/"]"#);
    let previewed = request(server.port, "/briefings/b1/").2;
    assert!(String::from_utf8_lossy(&previewed).contains("A paragraph added in the preview."));
    // The rebuild behind it changes no page the preview did not show (the feed, which no open
    // page shows, aside) but the search page, whose index holds briefings' bodies.
    let second = next_event(&rx, "reload", Duration::from_secs(5)).expect("the rebuild's reload");
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

    // A front matter edit is not previewed: the rebuild shows it, and names what changed.
    edit(&b1, "title: First", "title: First, renamed");
    let third = next_event(&rx, "reload", Duration::from_secs(5)).expect("a reload");
    assert!(third.contains(r#""/briefings/b1/""#) && third.contains(r#""/""#), "{third}");
    assert!(server.get("/briefings/b1/").1.contains("First, renamed"));
    let (_, out) = server.interrupt();
    assert_eq!(out.matches("showed /briefings/b1/").count(), 1, "{out}");
    // The rebuild after the body edit reused every page whose context it did not change: only
    // the page and the site feed (which carries whole bodies) were rendered again.
    let rebuilt = out.lines().filter(|l| l.contains("rebuilt in")).nth(1).expect("a rebuild line");
    assert!(rebuilt.contains(" 2 pages rendered, "), "{rebuilt}");
}

#[test]
fn after_edits_deletes_and_renames_the_served_site_equals_a_fresh_build() {
    let site = fixture_copy("data-site");
    let server = Server::start(site.path());
    let rx = events(server.port);
    let briefings = site.path().join("content/briefings");
    let step = |f: &dyn Fn()| {
        f();
        assert!(next_event(&rx, "reload", Duration::from_secs(3)).is_some(), "each change rebuilds");
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
    assert!(wait_for(&server, "/briefings/b2/", "Second (v2)"));
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
        read_tree(&fresh).into_iter().filter(|(p, _)| p != sitpress::output::MARKER).collect();
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
    assert!(next_event(&rx, "build-error", Duration::from_secs(2)).is_some_and(|e| e.contains("b1.md:5:10")));
    edit(&site.path().join("content/briefings/b1.md"), "actors: [alnd]", "actors: [aland]");
    assert!(next_event(&rx, "reload", Duration::from_secs(3)).is_some());
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
    assert!(next_event(&rx, "reload", Duration::from_secs(3)).is_some(), "the new folder rebuilds");
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(site.path().join("static/notes.txt"), "first").unwrap();
    assert!(wait_for(&server, "/notes.txt", "first"));
    std::thread::sleep(Duration::from_millis(300));
    while rx.try_recv().is_ok() {}
    std::fs::write(site.path().join("static/logo.txt"), "logo").unwrap();
    assert!(next_event(&rx, "reload", Duration::from_secs(3)).is_some(), "files in it are watched");
    assert!(wait_for(&server, "/logo.txt", "logo"));
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
    let reload = next_event(&rx, "reload", Duration::from_secs(5)).expect("a reload");
    assert_ne!(reload, "*", "only the changed pages reload");
    let urls: Vec<String> = serde_json::from_str(&reload).expect("a list of URL paths");
    assert_eq!(urls.iter().filter(|u| *u == "/search/").count(), 1, "{urls:?}");
    assert!(!urls.iter().any(|u| u.contains("search-index")), "{urls:?}");
    assert!(urls.contains(&"/briefings/b1/".to_string()), "{urls:?}");
}

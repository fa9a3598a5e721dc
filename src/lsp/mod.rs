//! `sitpress lsp`: a Language Server Protocol server over stdio, for the site whose root holds
//! `sitpress.yaml` or `content/`.
//!
//! Each change of an open buffer is analysed at once through the pipeline's incremental load
//! (`build::analyze`: only the changed file is parsed again; the site is resolved and linted
//! whole, in milliseconds), with the buffers read instead of the files on disk; when typing
//! pauses, a whole `check` of the same texts runs on another thread and its diagnostics,
//! those of `sitpress check` exactly, replace the quick ones. The editor features read the
//! [`index::Index`] of the last analysis.
//!
//! Built on `lsp-server`, rust-analyzer's scaffold: a synchronous loop over a channel of
//! messages, no async runtime; the server decides itself what runs when.

mod cursor;
mod features;
mod index;
mod text;

use crate::build::{self, RebuildCaches, Report, SitePaths};
use crate::content;
use crate::diagnostic::{Diagnostic, Severity};
use anyhow::{Context, Result};
use crossbeam_channel::{Receiver, Sender, select};
use features::At;
use index::{Index, Target};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionList, CompletionParams,
    CompletionResponse, DiagnosticRelatedInformation, DocumentChangeOperation, DocumentChanges, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, InitializeParams, Location, MarkupContent, MarkupKind,
    NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier, Position, PublishDiagnosticsParams, Range,
    ReferenceParams, RenameFile, RenameParams, ResourceOp, ServerCapabilities, TextDocumentEdit,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long typing pauses before the whole check runs.
const PAUSE: Duration = Duration::from_millis(300);

/// Serves the site at `root` (or, when `None`, the one the editor's workspace holds) on
/// stdin and stdout until the editor says `exit`.
pub fn run(root: Option<PathBuf>, today: jiff::civil::Date) -> Result<()> {
    let (connection, io) = Connection::stdio();
    serve(&connection, root, today)?;
    drop(connection);
    io.join().context("the editor's connection failed")?;
    Ok(())
}

fn serve(connection: &Connection, root: Option<PathBuf>, today: jiff::civil::Date) -> Result<()> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).context("invalid `initialize` parameters")?;
    #[allow(deprecated)] // `root_uri`: what clients without workspace folders send
    let from_client = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())
        .and_then(path_of);
    let start = root.or(from_client).map_or_else(std::env::current_dir, Ok)?;
    let root = site_root(&start).with_context(|| {
        format!("no sitpress site at or above `{}` (no sitpress.yaml or content/)", start.display())
    })?;
    // File operations come only in `documentChanges`, so a client that can rename files reads
    // them (Neovim 0.7 says the one and not the other).
    let can_rename_files = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.workspace_edit.as_ref()?.resource_operations.as_ref())
        .is_some_and(|ops| ops.contains(&lsp_types::ResourceOperationKind::Rename));
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(["[", " ", ",", "#", "-"].map(String::from).to_vec()),
            ..Default::default()
        }),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": {"name": "sitpress", "version": env!("CARGO_PKG_VERSION")},
    });
    connection.initialize_finish(id, result)?;
    // Files changed by other programs (a `git pull`, `sitpress new`): told of when the editor
    // watches them for us.
    let watches = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref()?.dynamic_registration)
        .unwrap_or(false);
    if watches {
        let watchers: Vec<_> = ["**/*.md", "**/sitpress.yaml", "**/templates/**", "**/static/**"]
            .into_iter()
            .map(|glob| lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String(glob.into()),
                kind: None,
            })
            .collect();
        let registration = lsp_types::Registration {
            id: "sitpress-files".into(),
            method: note::DidChangeWatchedFiles::METHOD.into(),
            register_options: Some(serde_json::to_value(lsp_types::DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })?),
        };
        let params = lsp_types::RegistrationParams { registrations: vec![registration] };
        let request = Request::new("sitpress-watch".to_string().into(), req::RegisterCapability::METHOD.into(), params);
        connection.sender.send(request.into())?;
    }
    let mut server = Server::new(root, today, connection.sender.clone(), can_rename_files);
    server.main_loop(&connection.receiver)
}

/// The site root at or above `start`: the first folder holding `sitpress.yaml` or `content/`.
fn site_root(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start.ancestors().find(|d| d.join("sitpress.yaml").is_file() || d.join("content").is_dir()).map(Path::to_path_buf)
}

fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

fn uri_of(path: &Path) -> Option<Uri> {
    url::Url::from_file_path(path).ok()?.as_str().parse().ok()
}

/// An open buffer.
struct Doc {
    text: Arc<str>,
    version: i32,
}

/// What a whole check in the background hands back: the generation of the texts it read.
type Checked = (u64, Result<Report>);

struct Server {
    root: PathBuf,
    opts: build::Options,
    /// Open buffers by relative path.
    docs: BTreeMap<String, Doc>,
    caches: RebuildCaches,
    index: Index,
    /// The output paths of the last whole check, for the quick `dangling-link` lint.
    paths: Option<SitePaths>,
    /// Counts the changes of texts: a check of older texts does not replace newer results.
    generation: u64,
    /// The texts changed since the last analysis.
    dirty: bool,
    /// When the whole check is due, if it is.
    check_due: Option<Instant>,
    checking: bool,
    checked: (Sender<Checked>, Receiver<Checked>),
    /// Diagnostics of the last quick analysis and of the last whole check (with its
    /// generation).
    quick: Vec<Diagnostic>,
    whole: Option<(u64, Vec<Diagnostic>)>,
    /// What each file was last shown, by relative path.
    shown: HashMap<String, Vec<Diagnostic>>,
    sender: Sender<Message>,
    can_rename_files: bool,
    /// The editor sent `shutdown`: nothing but `exit` is carried out.
    shut_down: bool,
    /// The threads whole checks run on, half the cores: a check takes seconds on a large
    /// site, and on the threads every analysis shares it would hold back the diagnostics
    /// of the next keystroke until it ends.
    check_pool: rayon::ThreadPool,
}

impl Server {
    fn new(root: PathBuf, today: jiff::civil::Date, sender: Sender<Message>, can_rename_files: bool) -> Server {
        Server {
            opts: build::Options::new(root.clone(), today),
            root,
            docs: BTreeMap::new(),
            caches: RebuildCaches::default(),
            index: Index::default(),
            paths: None,
            generation: 0,
            dirty: true,
            check_due: Some(Instant::now()),
            checking: false,
            checked: crossbeam_channel::unbounded(),
            quick: Vec::new(),
            whole: None,
            shown: HashMap::new(),
            sender,
            can_rename_files,
            shut_down: false,
            check_pool: check_pool(),
        }
    }

    fn main_loop(&mut self, receiver: &Receiver<Message>) -> Result<()> {
        loop {
            if self.dirty && receiver.is_empty() {
                self.analyze();
            }
            if !self.checking && self.check_due.is_some_and(|due| due <= Instant::now()) {
                self.start_check();
            }
            let wait = match self.check_due {
                Some(due) if !self.checking => due.saturating_duration_since(Instant::now()),
                _ => Duration::from_secs(3600),
            };
            let checked = self.checked.1.clone();
            select! {
                recv(receiver) -> message => {
                    let Ok(message) = message else { return Ok(()) };
                    match &message {
                        Message::Notification(n) if n.method == note::Exit::METHOD => return Ok(()),
                        // After `shutdown` (which a client may send twice), only `exit`.
                        Message::Request(r) if r.method == req::Shutdown::METHOD || self.shut_down => {
                            self.shut_down = true;
                            let response = if r.method == req::Shutdown::METHOD {
                                Response::new_ok(r.id.clone(), ())
                            } else {
                                Response::new_err(r.id.clone(), ErrorCode::InvalidRequest as i32, "shut down".into())
                            };
                            self.sender.send(response.into())?;
                        }
                        _ if self.shut_down => {}
                        _ => self.handle(message)?,
                    }
                }
                recv(checked) -> done => {
                    if let Ok(done) = done {
                        self.check_done(done);
                    }
                }
                default(wait) => {}
            }
        }
    }

    fn handle(&mut self, message: Message) -> Result<()> {
        match message {
            Message::Request(r) => {
                let id = r.id.clone();
                let response = match self.request(r) {
                    Ok(value) => Response::new_ok(id, value),
                    Err(Refusal(code, message)) => Response::new_err(id, code as i32, message),
                };
                self.sender.send(response.into())?;
            }
            Message::Notification(n) => self.notification(n),
            Message::Response(_) => {}
        }
        Ok(())
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                    && let Some(rel) = self.relative(&p.text_document.uri)
                {
                    let doc = Doc { text: p.text_document.text.into(), version: p.text_document.version };
                    self.docs.insert(rel, doc);
                    self.changed();
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                    && let Some(rel) = self.relative(&p.text_document.uri)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    let doc = Doc { text: change.text.into(), version: p.text_document.version };
                    self.docs.insert(rel, doc);
                    self.changed();
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                    && let Some(rel) = self.relative(&p.text_document.uri)
                {
                    self.docs.remove(&rel);
                    self.changed();
                }
            }
            // Saved files, files changed by other programs, `sitpress.yaml`: read again.
            note::DidSaveTextDocument::METHOD | note::DidChangeWatchedFiles::METHOD => self.changed(),
            _ => {}
        }
    }

    fn changed(&mut self) {
        self.generation += 1;
        self.dirty = true;
        self.check_due = Some(Instant::now() + PAUSE);
    }

    /// The path of `uri` relative to the site root, when it is in the site.
    fn relative(&self, uri: &Uri) -> Option<String> {
        let path = path_of(uri)?;
        let inside = match path.strip_prefix(&self.root) {
            Ok(_) => path,
            // The editor may name the site through a link: compare real paths.
            Err(_) => path.parent()?.canonicalize().ok()?.join(path.file_name()?),
        };
        inside.starts_with(&self.root).then(|| content::relative(&self.root, &inside))
    }

    fn uri(&self, rel: &str) -> Option<Uri> {
        uri_of(&self.root.join(rel))
    }

    /// The open buffers, as the pipeline reads them.
    fn overlay(&self) -> content::Overlay {
        content::Overlay::new(self.docs.iter().map(|(rel, d)| (self.root.join(rel), d.text.clone())).collect())
    }

    /// The text of the file at `rel`: its buffer when open, else the file.
    fn text(&self, rel: &str) -> Option<Arc<str>> {
        match self.docs.get(rel) {
            Some(d) => Some(d.text.clone()),
            None => std::fs::read_to_string(self.root.join(rel)).ok().map(Into::into),
        }
    }

    /// [`Server::text`] for one request that positions many places: each file read once.
    fn texts(&self) -> impl Fn(&str) -> Option<Arc<str>> + '_ {
        let read = std::cell::RefCell::new(HashMap::<String, Option<Arc<str>>>::new());
        move |rel: &str| read.borrow_mut().entry(rel.to_string()).or_insert_with(|| self.text(rel)).clone()
    }

    /// The quick analysis of the current texts, shown at once.
    fn analyze(&mut self) {
        self.dirty = false;
        self.opts.overlay = self.overlay();
        let mut report = Report::default();
        match build::analyze(&self.opts, &mut report, &mut self.caches, self.paths.as_ref()) {
            Ok(analysis) => {
                if let Some(build::Analysis { config, files }) = &analysis {
                    let previous = std::mem::take(&mut self.index);
                    self.index = Index::new(files, config, previous);
                }
                self.quick = report.diagnostics;
            }
            Err(e) => self.log(&format!("sitpress: {e:#}")),
        }
        self.publish();
    }

    /// Starts the whole check of the current texts on another thread.
    fn start_check(&mut self) {
        self.check_due = None;
        self.checking = true;
        let mut opts = self.opts.clone();
        opts.overlay = self.overlay();
        let generation = self.generation;
        let done = self.checked.0.clone();
        self.check_pool.spawn(move || {
            // A check that panics is reported as an error, not left running forever.
            let report = std::panic::catch_unwind(|| build::check(&opts))
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the check panicked")));
            let _ = done.send((generation, report));
        });
    }

    fn check_done(&mut self, (generation, report): Checked) {
        self.checking = false;
        match report {
            Ok(mut report) => {
                if let Some(paths) = report.site_paths.take() {
                    self.paths = Some(paths);
                }
                if generation == self.generation {
                    self.whole = Some((generation, report.diagnostics));
                    self.publish();
                } else {
                    // Older texts: the next pause checks the new ones.
                    self.check_due.get_or_insert_with(|| Instant::now() + PAUSE);
                }
            }
            Err(e) => self.log(&format!("sitpress check: {e:#}")),
        }
    }

    /// The diagnostics of the current texts: the whole check's when it read them, else the
    /// quick analysis's, with what only the whole check finds in other files (templates).
    fn current(&self) -> Vec<Diagnostic> {
        match &self.whole {
            Some((g, whole)) if *g == self.generation => whole.clone(),
            Some((_, whole)) => {
                let elsewhere: Vec<Diagnostic> = whole
                    .iter()
                    .filter(|d| !d.loc.path.starts_with("content/") && !self.quick.contains(d))
                    .cloned()
                    .collect();
                self.quick.iter().cloned().chain(elsewhere).collect()
            }
            None => self.quick.clone(),
        }
    }

    /// Sends each file whose diagnostics changed its new list (an empty one to clear it).
    fn publish(&mut self) {
        let mut by_file: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for d in self.current() {
            by_file.entry(d.loc.path.clone()).or_default().push(d);
        }
        let cleared: Vec<String> = self.shown.keys().filter(|p| !by_file.contains_key(*p)).cloned().collect();
        for path in cleared {
            self.send_diagnostics(&path, &[]);
            self.shown.remove(&path);
        }
        for (path, diags) in by_file {
            if self.shown.get(&path) != Some(&diags) {
                self.send_diagnostics(&path, &diags);
                self.shown.insert(path, diags);
            }
        }
    }

    fn send_diagnostics(&self, rel: &str, diags: &[Diagnostic]) {
        let Some(uri) = self.uri(rel) else { return };
        let text = self.text(rel).unwrap_or_default();
        let diagnostics = diags.iter().map(|d| self.to_lsp(&uri, &text, d)).collect();
        let version = self.docs.get(rel).map(|d| d.version);
        let params = PublishDiagnosticsParams { uri, diagnostics, version };
        self.notify::<note::PublishDiagnostics>(params);
    }

    /// The range a diagnostic underlines in `text`: what the terminal underlines.
    fn range_of(text: &str, d: &Diagnostic) -> Range {
        if d.loc.line == 0 {
            return Range::default();
        }
        let n = d.loc.line - 1;
        text::range_of_bytes(text, n, d.span(text::line(text, n)))
    }

    fn to_lsp(&self, uri: &Uri, text: &str, d: &Diagnostic) -> lsp_types::Diagnostic {
        let range = Self::range_of(text, d);
        let related = d.help.as_ref().map(|help| {
            vec![DiagnosticRelatedInformation {
                location: Location { uri: uri.clone(), range },
                message: format!("help: {help}"),
            }]
        });
        lsp_types::Diagnostic {
            range,
            severity: Some(match d.severity {
                Severity::Error => lsp_types::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp_types::DiagnosticSeverity::WARNING,
            }),
            code: d.lint.map(|l| NumberOrString::String(l.to_string())),
            source: Some("sitpress".into()),
            message: d.message.clone(),
            related_information: related,
            ..Default::default()
        }
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        let _ = self.sender.send(Notification::new(N::METHOD.to_string(), params).into());
    }

    fn log(&self, message: &str) {
        self.notify::<note::LogMessage>(lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: message.to_string(),
        });
    }

    fn request(&mut self, r: Request) -> Result<serde_json::Value, Refusal> {
        // Requests are answered from the texts as they are now.
        if self.dirty {
            self.analyze();
        }
        // A file outside the site (another Markdown file the editor attached the server to):
        // nothing to say.
        if let Some(uri) = r.params.pointer("/textDocument/uri").and_then(|u| u.as_str())
            && uri.parse::<Uri>().ok().and_then(|u| self.relative(&u)).is_none()
        {
            return Ok(serde_json::Value::Null);
        }
        let json = |v: Result<serde_json::Value, serde_json::Error>| v.map_err(|e| Refusal::internal(e.to_string()));
        match r.method.as_str() {
            req::Completion::METHOD => {
                let p: CompletionParams = params(r.params)?;
                let (rel, text) = self.doc(&p.text_document_position.text_document.uri)?;
                let at = At { path: &rel, text: &text, pos: p.text_document_position.position };
                let result = features::completion(&self.index, &at)
                    .map(|(items, cut)| CompletionResponse::List(CompletionList { is_incomplete: cut, items }));
                json(serde_json::to_value(result))
            }
            req::HoverRequest::METHOD => {
                let p: HoverParams = params(r.params)?;
                let (rel, text) = self.doc(&p.text_document_position_params.text_document.uri)?;
                let at = At { path: &rel, text: &text, pos: p.text_document_position_params.position };
                let result = features::hover(&self.index, &at).map(|(value, range)| Hover {
                    contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
                    range: Some(range),
                });
                json(serde_json::to_value(result))
            }
            req::GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(r.params)?;
                let result = self.definition(&p.text_document_position_params)?;
                json(serde_json::to_value(result))
            }
            req::References::METHOD => {
                let p: ReferenceParams = params(r.params)?;
                let result = self.references(&p.text_document_position, p.context.include_declaration)?;
                json(serde_json::to_value(result))
            }
            req::Rename::METHOD => {
                let p: RenameParams = params(r.params)?;
                let result = self.rename(&p.text_document_position, &p.new_name)?;
                json(serde_json::to_value(result))
            }
            req::CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(r.params)?;
                let result = self.code_actions(&p)?;
                json(serde_json::to_value(result))
            }
            _ => Err(Refusal(ErrorCode::MethodNotFound, format!("sitpress does not answer `{}`", r.method))),
        }
    }

    /// The relative path and text of the document `uri`.
    fn doc(&self, uri: &Uri) -> Result<(String, Arc<str>), Refusal> {
        let rel = self.relative(uri).ok_or_else(|| Refusal::invalid("this file is not in the site"))?;
        let text = self.text(&rel).ok_or_else(|| Refusal::invalid("this file cannot be read"))?;
        Ok((rel, text))
    }

    fn target(&self, p: &TextDocumentPositionParams) -> Result<Option<(Target, Range)>, Refusal> {
        let (rel, text) = self.doc(&p.text_document.uri)?;
        Ok(features::target_at(&self.index, &At { path: &rel, text: &text, pos: p.position }))
    }

    fn location(&self, rel: &str, range: Range) -> Option<Location> {
        Some(Location { uri: self.uri(rel)?, range })
    }

    fn definition(&self, p: &TextDocumentPositionParams) -> Result<Option<GotoDefinitionResponse>, Refusal> {
        let Some((target, _)) = self.target(p)? else { return Ok(None) };
        let Some(loc) = self.index.definition(&target) else { return Ok(None) };
        let at = Position::new((loc.line.max(1) - 1) as u32, 0);
        let range = match self.text(&loc.path) {
            Some(text) if loc.line > 0 => {
                let line = text::line(&text, loc.line - 1);
                let byte = text::byte_of_char(line, loc.column.max(1) - 1);
                text::range_of_bytes(&text, loc.line - 1, byte..byte)
            }
            _ => Range::new(at, at),
        };
        Ok(self.location(&loc.path, range).map(GotoDefinitionResponse::Scalar))
    }

    fn references(&self, p: &TextDocumentPositionParams, declaration: bool) -> Result<Vec<Location>, Refusal> {
        let Some((target, _)) = self.target(p)? else { return Ok(Vec::new()) };
        let texts = self.texts();
        let mut out = Vec::new();
        if declaration
            && let Target::Actor(id) = &target
            && let Some(a) = self.index.actors.get(id)
        {
            out.extend(self.location(&a.path, Range::default()));
        }
        for o in self.index.occurrences(&target) {
            if let Some(range) = features::occurrence_range(&texts, &o, false) {
                out.extend(self.location(&o.path, range));
            }
        }
        Ok(out)
    }

    fn rename(&self, p: &TextDocumentPositionParams, new: &str) -> Result<Option<WorkspaceEdit>, Refusal> {
        let Some((target, _)) = self.target(p)? else {
            return Err(Refusal::invalid(
                "put the cursor on an actor id, a claim id or ref, or a source id to rename it",
            ));
        };
        if !crate::model::is_valid_id(new) {
            return Err(Refusal::invalid(format!(
                "`{new}` is not an id: ids are lowercase letters, digits and `-`, starting with a letter or digit"
            )));
        }
        // An actor's id is its dossier's file name, renamed with it.
        let rename_file = match &target {
            Target::Briefing(_) => {
                return Err(Refusal::invalid("a briefing is renamed by its `id:` key or its file name, not here"));
            }
            Target::Actor(id) => {
                let Some(a) = self.index.actors.get(id) else {
                    return Err(Refusal::invalid(format!("no dossier `content/actors/{id}.md` to rename")));
                };
                if self.index.actors.contains_key(new) {
                    return Err(Refusal::invalid(format!("the actor `{new}` exists already")));
                }
                if !self.can_rename_files {
                    return Err(Refusal::invalid("renaming an actor renames its file, which this editor cannot do"));
                }
                let old_path = self.root.join(&a.path);
                let new_path = old_path.with_file_name(format!("{new}.md"));
                let (Some(old_uri), Some(new_uri)) = (uri_of(&old_path), uri_of(&new_path)) else {
                    return Err(Refusal::internal("the dossier's path is not a file URI".into()));
                };
                Some(RenameFile { old_uri, new_uri, options: None, annotation_id: None })
            }
            // Ids are unique within their briefing: renaming onto one it has would merge two.
            Target::Claim { briefing, .. } => {
                if self.index.briefings.get(briefing).is_some_and(|b| b.claim_ids.iter().any(|c| c == new)) {
                    return Err(Refusal::invalid(format!("the briefing `{briefing}` has a claim `{new}` already")));
                }
                None
            }
            Target::Source { briefing, .. } => {
                if self.index.briefings.get(briefing).is_some_and(|b| b.file.front.sources.iter().any(|s| s.id == new))
                {
                    return Err(Refusal::invalid(format!("the briefing `{briefing}` has a source `{new}` already")));
                }
                None
            }
        };
        let texts = self.texts();
        let mut by_file: BTreeMap<String, Vec<TextEdit>> = BTreeMap::new();
        for (rel, edit) in features::rename_edits(&self.index, &texts, &target, new) {
            by_file.entry(rel).or_default().push(edit);
        }
        let mut ops = Vec::new();
        for (rel, edits) in by_file {
            let Some(uri) = self.uri(&rel) else { continue };
            let version = self.docs.get(&rel).map(|d| d.version);
            ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }));
        }
        ops.extend(rename_file.map(|r| DocumentChangeOperation::Op(ResourceOp::Rename(r))));
        Ok(Some(WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(ops)), ..Default::default() }))
    }

    fn code_actions(&self, p: &CodeActionParams) -> Result<Vec<CodeActionOrCommand>, Refusal> {
        let (rel, text) = self.doc(&p.text_document.uri)?;
        let texts = self.texts();
        let version = self.docs.get(&rel).map(|d| d.version);
        let mut out = Vec::new();
        for d in self.shown.get(&rel).into_iter().flatten() {
            let range = Self::range_of(&text, d);
            let overlaps = range.start <= p.range.end && p.range.start <= range.end;
            if !overlaps {
                continue;
            }
            let Some((title, edit)) = features::fix_edit(&self.index, &texts, &rel, &text, d, range) else { continue };
            let edit = WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: p.text_document.uri.clone(),
                        version,
                    },
                    edits: vec![OneOf::Left(edit)],
                }])),
                ..Default::default()
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![self.to_lsp(&p.text_document.uri, &text, d)]),
                edit: Some(edit),
                is_preferred: Some(true),
                ..Default::default()
            }));
        }
        Ok(out)
    }
}

fn check_pool() -> rayon::ThreadPool {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    rayon::ThreadPoolBuilder::new()
        .num_threads((cores / 2).max(1))
        .thread_name(|i| format!("sitpress-check-{i}"))
        .build()
        .unwrap_or_else(|_| rayon::ThreadPoolBuilder::new().build().expect("a thread pool"))
}

/// A request the server does not carry out, and why.
struct Refusal(ErrorCode, String);

impl Refusal {
    fn invalid(message: impl Into<String>) -> Refusal {
        Refusal(ErrorCode::InvalidParams, message.into())
    }

    fn internal(message: String) -> Refusal {
        Refusal(ErrorCode::InternalError, message)
    }
}

fn params<P: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<P, Refusal> {
    serde_json::from_value(value).map_err(|e| Refusal::invalid(format!("invalid parameters: {e}")))
}

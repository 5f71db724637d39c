//! Walk the input folder: every file gets an entry, in a stable order.
//!
//! The walk visits every folder's entries sorted by name, so files come in
//! path order (compared component by component) before any parsing: the
//! per-file outputs are written in this order whatever the thread count
//! (ripgrep's advice for deterministic parallel output), and the walk is
//! streamed, never held whole. Nothing is silently ignored: a file the tool
//! does not read is an entry with a reason. A `.zip` is opened here (its
//! directory only) and its reports become entries of their own,
//! `archive.zip/inner/name.docx`. This file decides what each file is; it
//! does not read reports.

use crate::error::{RejectKind, Rejection, Why, why};
use crate::names;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// How a report file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// Plain text: tab rows, one cell per line, pdftotext output, Markdown.
    Text,
    /// A web page.
    Html,
    /// A Word document (.docx).
    Docx,
    /// A Word 97-2003 document (.doc), or a WPS 文字 one (.wps).
    Doc,
    /// A PDF: its text layer (a scan is rejected).
    Pdf,
}

impl DocKind {
    /// The name files.csv gives the format read.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Text => "text",
            DocKind::Html => "html",
            DocKind::Docx => "docx",
            DocKind::Doc => "doc",
            DocKind::Pdf => "pdf",
        }
    }
}

/// What to do with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Read it as a report.
    Read(DocKind),
    /// Not a report (image, spreadsheet, our own output): listed as skipped.
    Skip(Why),
    /// A report the tool cannot read, or could not reach.
    Reject(Rejection),
}

/// Where a file's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Entry `index` of the zip archive at the path.
    Zipped(PathBuf, usize),
}

impl Source {
    /// The file on disk (the archive, for a zipped report).
    pub fn path(&self) -> &Path {
        match self {
            Source::File(p) | Source::Zipped(p, _) => p,
        }
    }
}

/// One file under the input folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the input folder, `/`-separated, names that are not
    /// UTF-8 escaped (`\xNN`): the `file` column.
    pub rel: String,
    /// Where to read it.
    pub source: Source,
    /// What to do with it.
    pub action: Action,
    /// The nearest enclosing folder named like a county (…县/…市/…区/…旗),
    /// canonical; shared by the files of a folder.
    pub folder_county: Option<Arc<str>>,
}

/// Classify a file by its name.
pub fn classify(name: &str) -> Action {
    if name.starts_with('.') {
        return Action::Skip(why("hidden file", "隐藏文件"));
    }
    if name.starts_with("~$") {
        return Action::Skip(why("Word/WPS lock file (~$…), not a report", "Word/WPS 临时锁定文件（~$…），不是报告"));
    }
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("txt" | "text" | "md" | "markdown") => Action::Read(DocKind::Text),
        Some("htm" | "html" | "shtml" | "xhtml" | "mht") => Action::Read(DocKind::Html),
        Some("docx") => Action::Read(DocKind::Docx),
        Some("pdf") => Action::Read(DocKind::Pdf),
        Some("doc" | "wps") => Action::Read(DocKind::Doc),
        Some("rtf") => Action::Reject(Rejection::doc(
            RejectKind::Unsupported,
            "RTF is not read: open it in Word or WPS and save it as .docx",
            "不读取 RTF 文件：请用 Word 或 WPS 打开，另存为 .docx",
        )),
        Some("docm" | "dotx" | "odt" | "wpt" | "dot") => Action::Reject(Rejection::doc(
            RejectKind::Unsupported,
            "this document format is not read: save it as .docx (Word/WPS: 另存为 .docx)",
            "不读取这种文档格式：请用 Word 或 WPS 另存为 .docx",
        )),
        Some("xls" | "xlsx" | "et" | "csv" | "ods") => {
            Action::Skip(why("spreadsheet, not a report", "电子表格，不是报告"))
        }
        Some("jpg" | "jpeg" | "png" | "gif" | "bmp" | "tif" | "tiff" | "webp" | "svg") => {
            Action::Skip(why("image, not a report", "图片，不是报告"))
        }
        Some("rar" | "7z" | "tar" | "gz") => Action::Reject(Rejection::doc(
            RejectKind::Unsupported,
            "archive not read: unpack it into the folder, or pack it as .zip",
            "不读取这种压缩包：请解压到文件夹中，或改用 .zip 压缩",
        )),
        Some(e) => Action::Skip(why(format!("not a report file type (.{e})"), format!("不是报告的文件类型（.{e}）"))),
        None => Action::Skip(why("no file extension: not a report file type", "没有扩展名：不是报告的文件类型")),
    }
}

/// Is the file a zip archive (by its name)?
fn is_zip(name: &str) -> bool {
    Path::new(name).extension().and_then(OsStr::to_str).is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// The canonical county a folder name names, if it is county-level.
pub fn county_folder(name: &str) -> Option<String> {
    names::is_county(name).then(|| names::county(name))
}

/// Walk `root`, skipping `out` (our own output) if it lies inside, and return
/// every file in path order (see [`Walk`]). Holds every entry: for tests and
/// small folders; the run itself streams a [`Walk`].
pub fn discover(root: &Path, out: Option<&Path>) -> Vec<Entry> {
    Walk::new(root, out).collect()
}

/// The files under a folder, one [`Entry`] at a time, in path order: folders
/// are read with their entries sorted by name, so the walk yields paths
/// sorted component by component, the same order every run and whatever the
/// thread count, without holding the list of all files (a walk over a million
/// reports keeps only the open folders' listings).
pub struct Walk {
    root: PathBuf,
    root_county: Option<Arc<str>>,
    out: Option<PathBuf>,
    walker: walkdir::IntoIter,
    /// Entries waiting to be handed out (our output folder's files, a zip's reports).
    queue: std::collections::VecDeque<Entry>,
    /// The last folder a file was found in, and its county: the files of a
    /// folder come together, and its name is looked at once, not per file.
    county_of_dir: Option<(PathBuf, Option<Arc<str>>)>,
}

impl Walk {
    /// Start walking `root`; `out` (our output folder) is listed as skipped.
    pub fn new(root: &Path, out: Option<&Path>) -> Walk {
        let root_name = root.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
        Walk {
            root: root.to_path_buf(),
            root_county: root_name.as_deref().and_then(county_folder).map(Arc::from),
            out: out.and_then(|o| o.canonicalize().ok()),
            walker: sorted_walk(root),
            queue: Default::default(),
            county_of_dir: None,
        }
    }

    fn county_of(&mut self, dir: &Path) -> Option<Arc<str>> {
        match &self.county_of_dir {
            Some((d, county)) if d == dir => county.clone(),
            _ => {
                let county = dir
                    .strip_prefix(&self.root)
                    .ok()
                    .and_then(|p| p.components().rev().find_map(|c| county_folder(&c.as_os_str().to_string_lossy())))
                    .map(Arc::from)
                    .or_else(|| self.root_county.clone());
                self.county_of_dir = Some((dir.to_path_buf(), county.clone()));
                county
            }
        }
    }
}

/// Our own temporary output folder (`.county-rollup-…`) inside the output
/// folder: this run's outputs being written while the walk goes on.
fn is_our_temp(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with(".county-rollup-") || (name.starts_with('.') && name.ends_with(".tmp"))
}

fn sorted_walk(dir: &Path) -> walkdir::IntoIter {
    WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter()
}

impl Iterator for Walk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Some(e);
            }
            let root = self.root.clone();
            let item = match self.walker.next()? {
                Ok(i) => i,
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                    return Some(Entry {
                        rel: rel_of(&root, &path),
                        source: Source::File(path),
                        action: Action::Reject(Rejection::doc(
                            RejectKind::Io,
                            format!("cannot read: {}", io_reason(&e)),
                            format!("无法读取：{}", io_reason(&e)),
                        )),
                        folder_county: None,
                    });
                }
            };
            if item.file_type().is_dir() {
                if item.depth() > 0
                    && self.out.as_ref().is_some_and(|o| item.path().canonicalize().ok().as_ref() == Some(o))
                {
                    // Our own output folder inside the input: list its files as skipped.
                    for f in sorted_walk(item.path()).flatten() {
                        if f.file_type().is_dir()
                            || f.path().ancestors().any(|a| a.file_name().is_some_and(is_our_temp))
                        {
                            continue;
                        }
                        self.queue.push_back(Entry {
                            rel: rel_of(&root, f.path()),
                            source: Source::File(f.path().to_path_buf()),
                            action: Action::Skip(why("output of county-rollup", "county-rollup 的输出文件")),
                            folder_county: None,
                        });
                    }
                    self.walker.skip_current_dir();
                }
                continue;
            }
            let rel = rel_of(&root, item.path());
            let name = item.file_name().to_string_lossy();
            let dir = item.path().parent().unwrap_or(&root).to_path_buf();
            let folder_county = self.county_of(&dir);
            if !item.path_is_symlink() && item.file_type().is_file() && is_zip(&name) {
                match zip_entries(item.path(), &rel, folder_county.clone()) {
                    Ok(entries) if !entries.is_empty() => {
                        self.queue.extend(entries);
                        continue;
                    }
                    Ok(_) => {
                        return Some(Entry {
                            rel,
                            source: Source::File(item.into_path()),
                            action: Action::Skip(why("empty zip archive", "空的 zip 压缩包")),
                            folder_county,
                        });
                    }
                    Err(r) => {
                        return Some(Entry {
                            rel,
                            source: Source::File(item.into_path()),
                            action: Action::Reject(r),
                            folder_county,
                        });
                    }
                }
            }
            let action = if item.path_is_symlink() {
                Action::Skip(why("symbolic link, not followed", "符号链接，不跟随"))
            } else if !item.file_type().is_file() {
                Action::Skip(why("not a regular file", "不是普通文件"))
            } else {
                classify(&name)
            };
            return Some(Entry { rel, source: Source::File(item.into_path()), action, folder_county });
        }
    }
}

/// The most entries a zip archive may list (a county's reports are a few hundred).
const MAX_ZIP_ENTRIES: usize = 10_000;

/// The reports inside a zip archive, as entries `archive.zip/inner/path`.
/// The archive's directory is read here; entries are extracted when read.
fn zip_entries(path: &Path, rel: &str, outer_county: Option<Arc<str>>) -> Result<Vec<Entry>, Rejection> {
    let bad = |e: &dyn std::fmt::Display| {
        Rejection::doc(
            RejectKind::Io,
            format!("damaged zip archive ({e}): unpack it with another program and add the files"),
            format!("zip 压缩包已损坏（{e}）：请用其他解压软件解压后放入文件夹"),
        )
    };
    let file = crate::read::open_regular(path)
        .map_err(|e| Rejection::doc(RejectKind::Io, format!("cannot read: {e}"), format!("无法读取：{e}")))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| bad(&e))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(Rejection::doc(
            RejectKind::Unsupported,
            format!("zip archive of {} entries (more than {MAX_ZIP_ENTRIES}): not read", zip.len()),
            format!("zip 压缩包有 {} 个文件（超过 {MAX_ZIP_ENTRIES} 个）：不读取", zip.len()),
        ));
    }
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| bad(&e))?;
        if f.is_dir() {
            continue;
        }
        let inner = entry_name(f.name_raw());
        let rel = format!("{rel}/{inner}");
        let base = inner.rsplit('/').next().unwrap_or(&inner).to_string();
        let county =
            inner.split('/').rev().skip(1).find_map(county_folder).map(Arc::from).or_else(|| outer_county.clone());
        let action = if is_zip(&base) {
            Action::Reject(Rejection::doc(
                RejectKind::Unsupported,
                "a zip inside a zip is not read: unpack the outer one",
                "不读取压缩包中的压缩包：请先解压外层压缩包",
            ))
        } else if f.encrypted() {
            Action::Reject(Rejection::doc(
                RejectKind::Unsupported,
                "encrypted zip entry: unpack it with its password and add the file",
                "压缩包中的文件有密码：请用密码解压后放入文件夹",
            ))
        } else {
            classify(&base)
        };
        out.push(Entry { rel, source: Source::Zipped(path.to_path_buf(), i), action, folder_county: county });
    }
    Ok(out)
}

/// A zip entry's name: UTF-8 when it is valid UTF-8, else GB18030 (the
/// Windows archivers of Chinese offices write names in the system code page
/// without marking them).
fn entry_name(raw: &[u8]) -> String {
    let s = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(raw).0.into_owned(),
    };
    s.replace('\\', "/").trim_start_matches('/').to_string()
}

/// A path's bytes as text: UTF-8 as it is, any byte that is not part of
/// valid UTF-8 as `\xNN`, so two different names never print the same. On
/// Windows a name is UTF-16 (whatever the code page: `D:\2024年报\人和镇.docx`
/// reads as it shows), and a lone surrogate, which no text can hold, is
/// written `\uD800`.
fn escaped(s: &OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in s.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        let mut out = String::new();
        for c in char::decode_utf16(s.encode_wide()) {
            match c {
                Ok(c) => out.push(c),
                Err(e) => out.push_str(&format!("\\u{:04X}", e.unpaired_surrogate())),
            }
        }
        out
    }
    #[cfg(not(any(unix, windows)))]
    {
        s.to_string_lossy().into_owned()
    }
}

/// The `file` column: the path below the input folder, its components
/// joined with `/` on every system (never `\`, which Windows gives).
fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| escaped(c.as_os_str())).collect();
    if parts.is_empty() { escaped(path.as_os_str()) } else { parts.join("/") }
}

fn io_reason(e: &walkdir::Error) -> String {
    if e.loop_ancestor().is_some() {
        return "symbolic link loop".into();
    }
    e.io_error().map_or_else(|| e.to_string(), |io| io.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_by_extension() {
        assert_eq!(classify("a.txt"), Action::Read(DocKind::Text));
        assert_eq!(classify("a.HTML"), Action::Read(DocKind::Html));
        assert_eq!(classify("a.docx"), Action::Read(DocKind::Docx));
        assert_eq!(classify("a.DOC"), Action::Read(DocKind::Doc));
        assert_eq!(classify("a.wps"), Action::Read(DocKind::Doc));
        assert!(matches!(classify("a.rtf"), Action::Reject(_)));
        assert!(matches!(classify("a.png"), Action::Skip(_)));
        assert!(matches!(classify("a.xlsx"), Action::Skip(_)));
        assert_eq!(classify("a.pdf"), Action::Read(DocKind::Pdf));
        assert_eq!(classify("a.PDF"), Action::Read(DocKind::Pdf));
        assert!(matches!(classify(".DS_Store"), Action::Skip(_)));
        assert!(matches!(classify("~$人和镇.docx"), Action::Skip(_)));
        assert!(matches!(classify("a.odt"), Action::Reject(_)));
    }

    #[test]
    fn walk_is_in_path_order_component_by_component() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.txt", "a/z.txt", "a-b/c.txt", "a/b/c.txt", "A.txt"] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let rels: Vec<String> = discover(dir.path(), None).into_iter().map(|e| e.rel).collect();
        assert_eq!(rels, ["A.txt", "a/b/c.txt", "a/z.txt", "a-b/c.txt", "b.txt"]);
        let mut by_path = rels.clone();
        by_path.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
        assert_eq!(rels, by_path, "the same order as sorting the paths");
    }

    #[test]
    fn each_file_has_its_nearest_county_folder_canonical() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("民权县/2024/a.txt", Some("民权县")),
            ("民权县/c.md", Some("民权县")),
            ("上海市/浦东新区/2024/d.txt", Some("浦东新区")),
            ("興國縣/2024/e.txt", Some("兴国县")),
            ("杂项/f.txt", None),
            ("g.txt", None),
        ];
        for (f, _) in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let got: Vec<(String, Option<String>)> =
            discover(dir.path(), None).into_iter().map(|e| (e.rel, e.folder_county.map(|c| c.to_string()))).collect();
        let mut want: Vec<(String, Option<String>)> =
            files.iter().map(|(f, c)| (f.to_string(), c.map(String::from))).collect();
        want.sort_by(|a, b| Path::new(&a.0).cmp(Path::new(&b.0)));
        assert_eq!(got, want);
    }

    #[test]
    fn zip_entries_are_listed_with_their_inner_paths() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let mut w = zip::ZipWriter::new(std::fs::File::create(dir.path().join("报告.zip")).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        w.add_directory("民权县/", opts).unwrap();
        w.start_file("民权县/人和镇.txt", opts).unwrap();
        w.write_all(b"x").unwrap();
        w.start_file("inner.zip", opts).unwrap();
        w.write_all(b"PK").unwrap();
        w.start_file("~$人和镇.docx", opts).unwrap();
        w.write_all(b"x").unwrap();
        w.finish().unwrap();
        let got: Vec<(String, Option<String>, bool)> = discover(dir.path(), None)
            .into_iter()
            .map(|e| (e.rel, e.folder_county.map(|c| c.to_string()), matches!(e.action, Action::Read(_))))
            .collect();
        assert_eq!(
            got,
            [
                ("报告.zip/民权县/人和镇.txt".to_string(), Some("民权县".to_string()), true),
                ("报告.zip/inner.zip".to_string(), None, false),
                ("报告.zip/~$人和镇.docx".to_string(), None, false),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_escaped_apart() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        for name in [&b"a\xff.txt"[..], &b"a\xfe.txt"[..]] {
            std::fs::write(dir.path().join(OsStr::from_bytes(name)), "x").unwrap();
        }
        let rels: Vec<String> = discover(dir.path(), None).into_iter().map(|e| e.rel).collect();
        assert_eq!(rels, ["a\\xFE.txt", "a\\xFF.txt"]);
    }
}

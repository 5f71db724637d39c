//! Walk the input folder: every file gets an entry, in a stable order.
//!
//! The walk visits every folder's entries sorted by name, so files come in
//! path order (compared component by component) before any parsing: the
//! per-file outputs are written in this order whatever the thread count
//! (ripgrep's advice for deterministic parallel output), and the walk is
//! streamed, never held whole. Nothing is silently ignored: a file the tool
//! does not read is an entry with a reason.

use crate::error::{RejectKind, Rejection};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// How a report file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// Plain text: tab rows, one cell per line, pdftotext output, Markdown.
    Text,
    /// A web page.
    Html,
    /// A Word document (.docx).
    Docx,
    /// A PDF: its text layer (a scan is rejected).
    Pdf,
}

/// What to do with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Read it as a report.
    Read(DocKind),
    /// Not a report (image, spreadsheet, our own output): listed as skipped.
    Skip(String),
    /// A report the tool cannot read (old .doc) or could not reach.
    Reject(Rejection),
}

/// One file under the input folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the input folder, `/`-separated: the `file` column.
    pub rel: String,
    /// Path to open.
    pub path: PathBuf,
    /// What to do with it.
    pub action: Action,
    /// The nearest enclosing folder named like a county (…县/…市/…区/…旗);
    /// shared by the files of a folder.
    pub folder_county: Option<std::sync::Arc<str>>,
}

/// Classify a file by its extension.
pub fn classify(name: &str) -> Action {
    if name.starts_with('.') {
        return Action::Skip("hidden file".into());
    }
    // Lower-cased on the stack (no extension we read is longer than 8 bytes).
    let ext = Path::new(name).extension().and_then(|e| e.to_str());
    let mut buf = [0u8; 8];
    let lower = match ext {
        Some(e) if e.len() <= buf.len() => {
            let b = &mut buf[..e.len()];
            b.copy_from_slice(e.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).ok()
        }
        _ => None,
    };
    match lower.or(ext) {
        Some("txt" | "text" | "md" | "markdown") => Action::Read(DocKind::Text),
        Some("htm" | "html" | "shtml" | "xhtml") => Action::Read(DocKind::Html),
        Some("docx") => Action::Read(DocKind::Docx),
        Some("pdf") => Action::Read(DocKind::Pdf),
        Some("doc" | "wps" | "rtf") => Action::Reject(Rejection::doc(
            RejectKind::Unsupported,
            "old Word/WPS format: save it as .docx (Word: File > Save As > .docx)",
        )),
        Some("xls" | "xlsx" | "et" | "csv" | "ods") => Action::Skip("spreadsheet, not a report".into()),
        Some("jpg" | "jpeg" | "png" | "gif" | "bmp" | "tif" | "tiff" | "webp" | "svg") => {
            Action::Skip("image, not a report".into())
        }
        Some(e) => Action::Skip(format!("not a report file type (.{})", e.to_ascii_lowercase())),
        None => Action::Skip("no file extension: not a report file type".into()),
    }
}

/// Is this folder name a county-level name (民权县, 义乌市, 洪泽区, 科尔沁右翼前旗)?
pub fn county_folder(name: &str) -> Option<String> {
    let n = crate::text::normalize(name);
    let last = n.chars().last()?;
    (n.chars().count() >= 2 && matches!(last, '县' | '市' | '区' | '旗')).then(|| name.to_string())
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
    root_name: Option<String>,
    out: Option<PathBuf>,
    walker: walkdir::IntoIter,
    /// The files of our own output folder, when the walk is inside it.
    inside_out: Option<walkdir::IntoIter>,
    /// The last folder a file was found in, and its county: the files of a
    /// folder come together, and its name is looked at once, not per file.
    county_of_dir: Option<(PathBuf, Option<std::sync::Arc<str>>)>,
}

impl Walk {
    /// Start walking `root`; `out` (our output folder) is listed as skipped.
    pub fn new(root: &Path, out: Option<&Path>) -> Walk {
        Walk {
            root: root.to_path_buf(),
            root_name: root.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())),
            out: out.and_then(|o| o.canonicalize().ok()),
            walker: sorted_walk(root),
            inside_out: None,
            county_of_dir: None,
        }
    }
}

fn is_our_temp(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') && name.ends_with(".tmp")
}

fn sorted_walk(dir: &Path) -> walkdir::IntoIter {
    WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter()
}

impl Iterator for Walk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        let root = self.root.as_path();
        loop {
            if let Some(inner) = &mut self.inside_out {
                match inner.next() {
                    // Our temporary files (`.files.csv.tmp`) are this run's
                    // outputs being written while the walk goes on: not listed.
                    Some(Ok(f)) if !f.file_type().is_dir() && !is_our_temp(f.file_name()) => {
                        return Some(Entry {
                            rel: rel_of(root, f.path()),
                            path: f.path().to_path_buf(),
                            action: Action::Skip("output of county-rollup".into()),
                            folder_county: None,
                        });
                    }
                    Some(_) => continue,
                    None => self.inside_out = None,
                }
            }
            let item = match self.walker.next()? {
                Ok(i) => i,
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                    return Some(Entry {
                        rel: rel_of(root, &path),
                        path,
                        action: Action::Reject(Rejection::doc(
                            RejectKind::Io,
                            format!("cannot read: {}", io_reason(&e)),
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
                    self.inside_out = Some(sorted_walk(item.path()));
                    self.walker.skip_current_dir();
                }
                continue;
            }
            let rel = rel_of(root, item.path());
            let action = if item.path_is_symlink() {
                Action::Skip("symbolic link, not followed".into())
            } else if !item.file_type().is_file() {
                Action::Skip("not a regular file".into())
            } else {
                classify(&item.file_name().to_string_lossy())
            };
            let dir = item.path().parent().unwrap_or(root);
            let folder_county = match &self.county_of_dir {
                Some((d, county)) if d == dir => county.clone(),
                _ => {
                    let county = dir
                        .strip_prefix(root)
                        .ok()
                        .and_then(|p| {
                            p.components().rev().find_map(|c| county_folder(&c.as_os_str().to_string_lossy()))
                        })
                        .or_else(|| self.root_name.as_deref().and_then(county_folder))
                        .map(std::sync::Arc::from);
                    self.county_of_dir = Some((dir.to_path_buf(), county.clone()));
                    county
                }
            };
            return Some(Entry { rel, path: item.into_path(), action, folder_county });
        }
    }
}

fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // The walk joins names to the root, so the part after the root is names
    // and separators only: where the separator is `/`, it is the answer as
    // it stands (one string, not one per component).
    if std::path::MAIN_SEPARATOR == '/' && !rel.as_os_str().is_empty() {
        let s = rel.to_string_lossy();
        if !s.starts_with(['/', '.']) && !s.contains("//") && !s.contains("/./") && !s.ends_with('/') {
            return s.into_owned();
        }
    }
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.is_empty() { path.to_string_lossy().into_owned() } else { parts.join("/") }
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
        assert!(matches!(classify("a.png"), Action::Skip(_)));
        assert!(matches!(classify("a.xlsx"), Action::Skip(_)));
        assert_eq!(classify("a.pdf"), Action::Read(DocKind::Pdf));
        assert_eq!(classify("a.PDF"), Action::Read(DocKind::Pdf));
        assert!(matches!(classify("a.doc"), Action::Reject(_)));
        assert!(matches!(classify(".DS_Store"), Action::Skip(_)));
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
    fn each_file_has_its_nearest_county_folder_and_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("民权县/2024/a.txt", Some("民权县")),
            ("民权县/2024/b.TXT", Some("民权县")),
            ("民权县/c.md", Some("民权县")),
            ("上海市/浦东新区/2024/d.txt", Some("浦东新区")),
            ("上海市/e.txt", Some("上海市")),
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
        // The relative path as one string is the components joined by `/`.
        for p in ["a/b.txt", "民权县/2024/x.txt", "x", "a//b", "./a/b", "a/./b", "a/b/", "/a/b"] {
            let root = Path::new("/r");
            let path = root.join(p);
            let parts: Vec<String> = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let want = if parts.is_empty() { path.to_string_lossy().into_owned() } else { parts.join("/") };
            assert_eq!(rel_of(root, &path), want, "{p}");
        }
    }

    #[test]
    fn county_folders() {
        assert_eq!(county_folder("民权县").as_deref(), Some("民权县"));
        assert_eq!(county_folder("2024"), None);
        assert_eq!(county_folder("县"), None);
    }
}

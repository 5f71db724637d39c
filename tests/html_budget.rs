//! Hostile web pages (issue 16): each is read or rejected with the limit it
//! went past named, quickly and in bounded memory, whatever it holds. The
//! heap is measured by a counting allocator; the cases run one after the
//! other in one test so that each peak is its own.

use county_rollup::layout::html;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = NOW.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        NOW.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new > l.size() {
                grew(new - l.size());
            } else {
                NOW.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Read `page`; the time taken and the heap it used beyond the page itself.
fn measure(page: &str) -> (Result<usize, String>, Duration, usize) {
    let base = NOW.load(Relaxed);
    PEAK.store(base, Relaxed);
    let t = Instant::now();
    let r = html::read(page).map(|l| l.len()).map_err(|e| e.detail);
    let took = t.elapsed();
    (r, took, PEAK.load(Relaxed) - base)
}

#[test]
fn hostile_pages_are_rejected_with_their_limit_fast_and_in_bounded_memory() {
    // Debug builds are ten or more times slower than release; the bounds
    // below are for debug on a shared machine (release: see bench/profile.md).
    let second = Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 2 });
    let mut cells = String::from("<table>");
    while cells.len() < 13 << 20 {
        cells.push_str("<tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td><td>8</td></tr>");
    }
    cells.push_str("</table>");
    let cases: Vec<(&str, String, &str)> = vec![
        // Stray end tags do not lower the nesting (the old estimate did).
        ("32,000 <div></x>", "<div></x>".repeat(32_000), "nesting limit"),
        ("100,000 nested <div>s", "<div>".repeat(100_000), "nesting limit"),
        ("13 MB table of tiny cells", cells, "element limit"),
        (
            "colspan=1000 rowspan=65534",
            format!(
                "<table><tr><td colspan=1000 rowspan=65534>x</td></tr>{}</table>",
                "<tr><td>y</td></tr>".repeat(200)
            ),
            "cell limit",
        ),
        (
            "a cell of 999 characters spanned 1000 × 100",
            format!(
                "<table><tr><td colspan=1000 rowspan=100>{}</td></tr>{}</table>",
                "字".repeat(999),
                "<tr></tr>".repeat(99)
            ),
            "cell text limit",
        ),
        (
            // Each stray end tag looks down past every open inline element.
            "12 MB of stray </x> under 2,900 <span>s",
            "<p>".to_string() + &"<span>".repeat(2_900) + &"</x>".repeat(3 << 20),
            "work limit",
        ),
        ("12 MB of </p> under 2,900 <div>s", "<div>".repeat(2_900) + &"</p>".repeat(3 << 20), "element limit"),
        ("16 MB of lines in <pre>", format!("<pre>{}</pre>", "x\n".repeat(8 << 20)), "line limit"),
    ];
    for (what, page, limit) in &cases {
        let (r, took, heap) = measure(page);
        eprintln!("{what}: {took:?}, {} MB heap: {r:?}", heap >> 20);
        match r {
            Err(e) => assert!(e.contains(limit), "{what}: rejected for {e:?}, not the {limit}"),
            Ok(n) => panic!("{what}: read ({n} lines), expected the {limit}"),
        }
        assert!(took < second, "{what}: {took:?}");
        assert!(heap < 64 << 20, "{what}: {} MB of heap", heap >> 20);
    }
}

#[test]
fn a_big_real_table_is_read_in_linear_time() {
    // 2,000 rows of eight cells: well inside every limit.
    let row = "<tr><td>规章</td><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td></tr>";
    let small = format!("<table>{}</table>", row.repeat(250));
    let big = format!("<table>{}</table>", row.repeat(2_000));
    assert_eq!(html::read(&big).unwrap().len(), 2_000);
    let time = |p: &str| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                html::read(p).unwrap();
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let (a, b) = (time(&small), time(&big));
    // Eight times the page, at most about eight times the time (with slack
    // for a shared machine).
    assert!(b < a * 24, "{a:?} for 250 rows, {b:?} for 2,000");
}

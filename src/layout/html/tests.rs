//! Tests of the HTML layout: blocks and hidden content, spans on the grid,
//! implied end tags, layout tables, the text rules and the limits.

use super::builder::Acc;
use super::*;

fn cells<'a>(lines: &'a [Line<'static>]) -> Vec<Vec<&'a str>> {
    lines.iter().map(|l| l.cells.iter().map(|c| c.text.as_ref()).collect()).collect()
}

fn table(body: &str) -> Vec<Line<'static>> {
    read(&format!("<html><body><table>{body}</table></body></html>")).unwrap()
}

#[test]
fn blocks_become_lines_and_hidden_content_is_skipped() {
    let l = read(
        "<html><head><title>人和镇2024年报告_首页</title><style>p{}</style></head><body>\
             <script>var a = '2023年政府信息公开工作年度报告';</script>\
             <noscript>请启用脚本</noscript>\
             <div>首页 <a href=#>政务公开</a></div>\
             <h1>民权县人和镇人民政府<br>2024 年政府信息公开工作年度报告</h1>\
             <div style=\"display: none\">隐藏</div>\
             <p>一、总体情况</p><p>　　2024年，我镇&nbsp;认真学习。</p>\
             <ul><li>甲</li><li>乙</li></ul></body></html>",
    )
    .unwrap();
    assert_eq!(
        cells(&l),
        vec![
            vec!["首页 政务公开"],
            vec!["民权县人和镇人民政府"],
            vec!["2024 年政府信息公开工作年度报告"],
            vec!["一、总体情况"],
            vec!["2024年，我镇 认真学习。"],
            vec!["甲"],
            vec!["乙"],
        ]
    );
    assert!(l.iter().all(|l| !l.is_grid()));
    let numbers: Vec<usize> = l.iter().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=7).collect::<Vec<_>>());
}

#[test]
fn rowspan_and_colspan_copy_text_into_every_covered_cell() {
    let l = table(
        "<tr><td colspan=2 rowspan=2>申请人</td><td colspan=2>法人</td></tr>\
             <tr><td>商业</td><td>科研</td></tr>\
             <tr><td rowspan=3>三、本年度办理结果</td><td>(一) 予以公开</td><td>1</td><td>2</td></tr>\
             <tr><td>(二) 部分公开</td><td>3</td><td>4</td></tr>\
             <tr><td>(七) 总计</td><td>4</td><td>6</td></tr>\
             <tr><td colspan=2>四、结转</td><td>0</td><td>0</td></tr>",
    );
    assert_eq!(
        cells(&l),
        vec![
            vec!["申请人", "申请人", "法人", "法人"],
            vec!["申请人", "申请人", "商业", "科研"],
            vec!["三、本年度办理结果", "(一) 予以公开", "1", "2"],
            vec!["三、本年度办理结果", "(二) 部分公开", "3", "4"],
            vec!["三、本年度办理结果", "(七) 总计", "4", "6"],
            vec!["四、结转", "四、结转", "0", "0"],
        ]
    );
    assert!(l.iter().all(|l| l.is_grid()));
    assert_eq!(l[0].cells.iter().map(|c| c.copied).collect::<Vec<_>>(), [false, true, false, true]);
}

#[test]
fn rowspan_in_the_middle_and_beyond_the_table_and_zero() {
    let l = table(
        "<tr><td>a</td><td rowspan=9>x</td><td>1</td></tr>\
             <tr><td>b</td><td>2</td></tr>\
             <tr><td rowspan=0>c</td><td>3</td></tr>\
             <tr><td>4</td></tr>",
    );
    assert_eq!(cells(&l), vec![vec!["a", "x", "1"], vec!["b", "x", "2"], vec!["c", "x", "3"], vec!["c", "x", "4"]]);
}

#[test]
fn split_numbers_join_and_nbsp_cells_are_empty() {
    let l = table(
        "<tr><td><p>一、本年<br>新收</p></td><td><p><span>1</span><span>2</span></p></td>\
             <td>&nbsp;</td><td><p><span>&nbsp;</span></p></td><td><p>3</p>\n  <p>4</p></td>\
             <td>\u{200B}</td><td> &nbsp; </td></tr>",
    );
    assert_eq!(cells(&l), vec![vec!["一、本年新收", "12", "", "", "34", "", ""]]);
}

#[test]
fn implied_end_tags_close_cells_rows_and_paragraphs() {
    // No </td>, no </tr>, no <tbody>; a <p> closed by a block.
    let l = read("<p>标题<div>正文</div><table><tr><td>规章<td>1<td>2<tr><td>行政许可<td>5</table><p>尾").unwrap();
    assert_eq!(cells(&l), vec![vec!["标题"], vec!["正文"], vec!["规章", "1", "2"], vec!["行政许可", "5"], vec!["尾"]]);
    // Stray end tags change nothing; unclosed <div>s end with the page.
    let l = read("<div>a</x></span>b</td></tr><div><div>c").unwrap();
    assert_eq!(cells(&l), vec![vec!["ab"], vec!["c"]]);
}

#[test]
fn ragged_rows_are_not_padded() {
    let l = table("<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr><tr><td>行政许可</td><td>5</td></tr>");
    assert_eq!(cells(&l), vec![vec!["规章", "1", "2", "3"], vec!["行政许可", "5"]]);
}

#[test]
fn a_layout_table_around_the_report_is_read_as_blocks() {
    let l = read(
        "<table><tr><td>网站首页</td><td>政府信息公开年度报告</td></tr>\
             <tr><td colspan=2><h2>某镇2024年报告</h2><p>一、总体情况</p>\
             <table><tr><td colspan=2>规章</td><td>5</td></tr><tr><td>a</td><td>b</td><td>&nbsp;</td></tr></table>\
             <p>三、收到</p></td></tr></table><p>尾</p>",
    )
    .unwrap();
    assert_eq!(
        cells(&l),
        vec![
            vec!["网站首页"],
            vec!["政府信息公开年度报告"],
            vec!["某镇2024年报告"],
            vec!["一、总体情况"],
            vec!["规章", "规章", "5"],
            vec!["a", "b", ""],
            vec!["三、收到"],
            vec!["尾"],
        ]
    );
    assert_eq!(
        l.iter().map(|l| l.is_grid()).collect::<Vec<_>>(),
        [false, false, false, false, true, true, false, false]
    );
}

#[test]
fn a_cell_holding_the_whole_report_text_is_layout() {
    let prose = "我镇认真学习条例。".repeat(150);
    let l = read(&format!("<table><tr><td><p>标题</p><p>{prose}</p></td></tr></table>")).unwrap();
    assert_eq!(l.len(), 2);
    assert_eq!(&l[0].cells[..], ["标题"]);
    assert!(!l[1].is_grid());
}

#[test]
fn tables_pasted_as_paragraphs_are_one_cell_lines() {
    let l = read("<p>规章</p><p>0</p><p>&nbsp;</p><p>3</p>").unwrap();
    assert_eq!(cells(&l), vec![vec!["规章"], vec!["0"], vec!["3"]]);
}

#[test]
fn caption_comes_before_the_rows() {
    let l = table("<caption>表一</caption><tr><td>a</td></tr>");
    assert_eq!(cells(&l), vec![vec!["表一"], vec!["a"]]);
    assert!(!l[0].is_grid() && l[1].is_grid());
}

#[test]
fn text_misplaced_in_a_table_comes_before_it_as_a_browser_puts_it() {
    let l = read("<p>前</p><table><tr><td>1</td>多余<td>2</td></tr></table>").unwrap();
    assert_eq!(cells(&l), vec![vec!["前"], vec!["多余"], vec!["1", "2"]]);
    // Without a DOCTYPE (quirks mode) a table stays inside an open <p>,
    // and what is put before it joins the paragraph's text.
    let l = read("<p>前<table><tr><td>1</td>多余<td>2</td></tr></table>").unwrap();
    assert_eq!(cells(&l), vec![vec!["前多余"], vec!["1", "2"]]);
}

#[test]
fn pre_keeps_its_lines() {
    let l = read("<pre>\n规章  1\r\n规范性文件  2\r行政许可  3</pre>").unwrap();
    assert_eq!(cells(&l), vec![vec!["规章 1"], vec!["规范性文件 2"], vec!["行政许可 3"]]);
}

#[test]
fn deep_nesting_is_read_without_recursion_or_refused() {
    let html = format!("{}x{}", "<div><span>".repeat(1_400), "</span></div>".repeat(1_400));
    assert_eq!(cells(&read(&html).unwrap()), vec![vec!["x"]]);
    // Each level is four open elements: table, tbody, tr, td.
    let tables = format!("{}y{}", "<table><tr><td>".repeat(700), "</td></tr></table>".repeat(700));
    assert_eq!(cells(&read(&tables).unwrap()), vec![vec!["y"]]);
    let deep = "<div>".repeat(1_000_000);
    let t = std::time::Instant::now();
    let r = read(&deep).unwrap_err();
    assert!(r.detail.contains("nesting limit"), "{r}");
    assert!(t.elapsed().as_secs() < 10);
}

#[test]
fn tags_sort_names_as_the_block_and_hidden_lists_do() {
    for name in ["head", "title", "script", "style", "noscript", "svg", "canvas"] {
        assert_eq!(Tag::of(name), Tag::Hidden, "{name}");
    }
    for name in ["table", "td", "th", "tr", "caption", "pre", "p", "div", "h3", "li", "tbody", "html"] {
        assert!(Tag::of(name).is_block(), "{name}");
    }
    for name in ["br", "span", "a", "font", "b", "o:p", "TD", ""] {
        assert!(!Tag::of(name).is_block(), "{name}");
    }
    assert_eq!(Tag::of("td"), Tag::Cell);
    assert_eq!(Tag::of("th"), Tag::Cell);
    assert_eq!(Tag::of("br"), Tag::Br);
    assert_eq!(Tag::of("span"), Tag::Other);
}

#[test]
fn style_hides_matches_display_none_ignoring_case_and_whitespace() {
    // The rule it replaces, kept here as the reference.
    let reference = |s: &str| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        s.to_ascii_lowercase().contains("display:none")
    };
    let cases = [
        "display:none",
        "display: none",
        "DISPLAY : NoNe;",
        "color:red;display:none",
        "d i s p l a y\u{3000}:\n n o n e",
        "display:\u{A0}none",
        "mso-display:none",
        "display:nonesuch",
        "display:block",
        "display:non e",
        "displayy:none",
        "display::none",
        "display:;none",
        "dis:play:none",
        ":none",
        "display:",
        "display:nonE:none",
        "显示display:none显示",
        "display：none",
        "",
        "::::",
    ];
    for c in cases {
        assert_eq!(style_hides(c), reference(c), "{c:?}");
    }
}

#[test]
fn acc_push_copies_runs_with_html_whitespace_rules() {
    // The char-by-char rule it replaces, kept here as the reference.
    let reference = |parts: &[&str]| {
        let (mut text, mut space) = (String::new(), false);
        for s in parts {
            for c in s.chars() {
                if is_invisible(c) {
                    continue;
                }
                if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{C}' | '\u{A0}') {
                    space = !text.is_empty();
                    continue;
                }
                if space {
                    text.push(' ');
                    space = false;
                }
                text.push(c);
            }
        }
        (text, space)
    };
    let mut cases: Vec<Vec<String>> = [
        &["  a  b  "][..],
        &["\u{A0}一\u{200B}二 ", " 三"],
        &["\u{200B}", " ", "x"],
        &["x\u{FEFF}y", "\t\r\n", "\u{3000}z\u{C}"],
        &["", "", "a"],
        &["a ", "\u{AD}", "b"],
        &["  ", "  "],
        &["数字12 345\u{A0}\u{A0}6"],
        &["\u{2060}\u{200C}\u{200D}é\u{1F600}\u{20AC}\u{2061}\u{200E}"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    // Random strings over the characters that matter and their neighbours.
    let alphabet = [
        " ",
        "\t",
        "\n",
        "a",
        "中",
        "\u{A0}",
        "\u{A1}",
        "\u{AD}",
        "\u{AC}",
        "\u{200B}",
        "\u{200A}",
        "\u{200E}",
        "\u{2060}",
        "\u{2061}",
        "\u{FEFF}",
        "\u{FEFE}",
        "\u{1F600}",
        "é",
    ];
    let mut x: u64 = 7;
    for _ in 0..500 {
        let mut parts = Vec::new();
        for _ in 0..3 {
            let mut s = String::new();
            for _ in 0..6 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                s.push_str(alphabet[(x >> 33) as usize % alphabet.len()]);
            }
            parts.push(s);
        }
        cases.push(parts);
    }
    for parts in &cases {
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let mut acc = Acc::default();
        for p in &parts {
            acc.push(p);
        }
        assert_eq!((acc.text, acc.space), reference(&parts), "{parts:?}");
    }
}

#[test]
fn huge_spans_are_rejected_not_expanded() {
    let rows = "<tr><td colspan=1000 rowspan=0>x</td></tr>".to_string() + &"<tr></tr>".repeat(5000);
    let r = read(&format!("<table>{rows}</table>")).unwrap_err();
    assert_eq!(r.kind, RejectKind::NotAReport);
    assert!(r.detail.contains("cell limit"), "{r}");
}

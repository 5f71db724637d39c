//! Tests of the .docx reader: paragraphs, grids, layout tables and text
//! boxes from WordprocessingML, list numbers, and damaged, oversized and
//! hostile packages rejected with a reason.

use super::document::enter_scope;
use super::numbering::format_number;
use super::package::{CAPS, Caps, open_package_capped};
use super::*;
use quick_xml::Reader;
use quick_xml::events::Event;
use quick_xml::name::NamespaceResolver;
use std::io::Cursor;
use std::io::Write;

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>"#;
const TAIL: &str = "</w:body></w:document>";

fn doc(body: &str) -> Vec<Line<'static>> {
    let xml = format!("{HEAD}{body}{TAIL}");
    let body = parse(&xml, &mut Numbering::default()).unwrap();
    let mut out = Out::default();
    out.blocks(body).unwrap();
    out.lines
}

fn cells<'a>(lines: &'a [Line<'static>]) -> Vec<Vec<&'a str>> {
    lines.iter().map(|l| l.cells.iter().map(|c| c.text.as_ref()).collect()).collect()
}

fn p(t: &str) -> String {
    format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>")
}

fn tc(props: &str, body: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn paragraphs_join_runs_and_break_at_br() {
    let l = doc("<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>\
             <w:r><w:t>民权县人和镇人民政府</w:t></w:r><w:r><w:br/></w:r>\
             <w:r><w:t xml:space=\"preserve\">20</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>24 年</w:t></w:r>\
             <w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p><w:p/>\
             <w:p><w:r><w:t>规章</w:t><w:tab/><w:t>1</w:t><w:tab/><w:t>0</w:t></w:r></w:p>\
             <w:p><w:r><w:t>A &amp; B &#x4E00;</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>\
             <w:r><w:instrText>PAGE</w:instrText></w:r></w:p>");
    assert_eq!(
        cells(&l),
        vec![
            vec!["民权县人和镇人民政府"],
            vec!["2024 年政府信息公开工作年度报告"],
            vec!["规章", "1", "0"],
            vec!["A & B 一"],
        ]
    );
    assert!(l.iter().all(|l| !l.is_grid()));
    assert_eq!(l.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3, 4]);
}

#[test]
fn grid_span_repeats_and_vmerge_copies_the_cell_above() {
    let rows = [
        format!(
            "<w:tr>{}{}{}</w:tr>",
            tc("<w:vMerge w:val=\"restart\"/>", &p("三、本年度办理结果")),
            tc("<w:gridSpan w:val=\"2\"/>", &p("(一) 予以公开")),
            tc("", "<w:p><w:r><w:t>1</w:t></w:r><w:r><w:t>2</w:t></w:r></w:p>")
        ),
        format!(
            "<w:tr>{}{}{}{}</w:tr>",
            tc("<w:vMerge/>", "<w:p/>"),
            tc("<w:vMerge w:val=\"restart\"/>", &p("(三) 不予公开")),
            tc("", &p("1. 属于国家秘密")),
            tc("", &p("0"))
        ),
        format!(
            "<w:tr>{}{}{}{}</w:tr>",
            tc("<w:vMerge w:val=\"continue\"/>", "<w:p/>"),
            tc("<w:vMerge/>", ""),
            tc("", &format!("{}{}", p("2. 其他法律"), p("行政法规禁止公开"))),
            tc("", "<w:p><w:r><w:t>\u{A0}</w:t></w:r></w:p>")
        ),
        format!(
            "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}</w:tr>",
            tc("<w:gridSpan w:val=\"2\"/>", &p("x")),
            tc("", &p("5"))
        ),
    ];
    let l = doc(&format!("<w:tbl><w:tblGrid/>{}</w:tbl>", rows.concat()));
    assert_eq!(
        cells(&l),
        vec![
            vec!["三、本年度办理结果", "(一) 予以公开", "(一) 予以公开", "12"],
            vec!["三、本年度办理结果", "(三) 不予公开", "1. 属于国家秘密", "0"],
            vec!["三、本年度办理结果", "(三) 不予公开", "2. 其他法律行政法规禁止公开", ""],
            vec!["", "x", "x", "5"],
        ]
    );
    assert!(l.iter().all(|l| l.is_grid()));
}

#[test]
fn nested_table_makes_the_outer_one_layout() {
    let inner = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc("", &p("规章")), tc("", &p("3")));
    let l = doc(&format!(
        "<w:tbl><w:tr>{}</w:tr><w:tr>{}</w:tr></w:tbl>",
        tc("", &p("标题")),
        tc("", &format!("{}{inner}{}", p("二、主动公开"), p("三、")))
    ));
    assert_eq!(cells(&l), vec![vec!["标题"], vec!["二、主动公开"], vec!["规章", "3"], vec!["三、"]]);
    assert_eq!(l.iter().map(|l| l.is_grid()).collect::<Vec<_>>(), [false, false, true, false]);
}

#[test]
fn text_box_fallback_is_not_read_twice() {
    let l = doc("<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>\
             <w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>\
             </mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>");
    assert_eq!(cells(&l), vec![vec!["框"], vec!["正文"]]);
}

#[test]
fn a_whole_docx_is_read_from_its_zip() {
    let xml = format!("{HEAD}{}{TAIL}", p("你好"));
    let bytes = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", xml.as_bytes())]);
    assert_eq!(cells(&read(&bytes).unwrap()), vec![vec!["你好"]]);
}

#[test]
fn main_part_under_another_name_is_found_by_its_relationship() {
    let xml = format!("{HEAD}{}{TAIL}", p("你好"));
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
    let bytes = zip_of(&[("_rels/.rels", rels), ("word/document2.xml", xml.as_bytes())]);
    assert_eq!(cells(&read(&bytes).unwrap()), vec![vec!["你好"]]);
}

#[test]
fn not_a_zip_is_rejected_with_a_reason() {
    let r = read("民权县人和镇 2024 年报告".as_bytes()).unwrap_err();
    assert_eq!(r.kind, RejectKind::Encoding);
    assert!(r.detail.contains("not a zip archive"), "{r}");
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    let r = read(&ole).unwrap_err();
    assert!(r.detail.contains("old Word .doc"), "{r}");
}

#[test]
fn zip_without_document_xml_is_rejected() {
    let bytes = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
    let r = read(&bytes).unwrap_err();
    assert_eq!(r.kind, RejectKind::NotAReport);
    assert!(r.detail.contains("no word/document.xml"), "{r}");
}

#[test]
fn bad_xml_is_rejected() {
    let bytes = zip_of(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]);
    let r = read(&bytes).unwrap_err();
    assert_eq!(r.kind, RejectKind::Encoding);
    assert!(r.detail.contains("not well-formed XML"), "{r}");
    let bytes = zip_of(&[("word/document.xml", b"\xff\xfe<\x00d")]);
    assert_eq!(read(&bytes).unwrap_err().kind, RejectKind::Encoding);
}

#[test]
fn list_parts_past_their_cap_or_the_total_are_left_out() {
    let document = format!("{HEAD}{}{TAIL}", p("人和镇"));
    let big = vec![b' '; 3 << 20];
    let bytes = zip_of(&[
        ("word/document.xml", document.as_bytes()),
        ("word/numbering.xml", &big),
        ("word/styles.xml", b"<w:styles/>"),
    ]);
    let caps = Caps { document: 4 << 20, lists: 2 << 20, total: 8 << 20 };
    let p = open_package_capped(&bytes, caps).unwrap();
    assert!(p.numbering.is_none() && p.styles.is_some(), "numbering is past its cap");
    let p = open_package_capped(&bytes, Caps { lists: 4 << 20, ..caps }).unwrap();
    assert!(p.numbering.is_some());
    // What is left of the total after the document decides.
    let p = open_package_capped(&bytes, Caps { lists: 4 << 20, total: 2 << 20, ..caps }).unwrap();
    assert!(p.numbering.is_none() && p.styles.is_some());
    // The reservation covers what the parts inflate to.
    let p = open_package_capped(&bytes, Caps { lists: 4 << 20, ..caps }).unwrap();
    assert!(p.reserved.bytes() >= (3 << 20) * COST_PER_BYTE);
}

#[test]
fn a_zip_bomb_is_capped() {
    // 3 MB of spaces deflate to a few KB; with a 2 MB cap it is refused
    // before it is inflated (the real cap is 32 MB).
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(&vec![b' '; 3 << 20]).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    assert!(bytes.len() < 64 << 10);
    let r = open_package_capped(&bytes, Caps { document: 2 << 20, ..CAPS }).err().unwrap();
    assert_eq!(r.kind, RejectKind::NotAReport);
    assert!(r.detail.contains("zip bomb"), "{r}");
    assert!(open_package_capped(&bytes, Caps { document: 4 << 20, ..CAPS }).is_ok());
    let r = open_package_capped(&bytes, Caps { total: 2 << 20, ..CAPS }).err().unwrap();
    assert!(r.detail.contains("zip bomb"), "{r}");
}

const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
        <w:abstractNum w:abstractNumId="3">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
          <w:lvl w:ilvl="2"><w:start w:val="1"/>
            <mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="01, 02, 03, ..."/></mc:Choice>
            <mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>
            <w:lvlText w:val="%3."/></w:lvl>
        </w:abstractNum>
        <w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF06C;"/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="3"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
        <w:num w:numId="7"><w:abstractNumId w:val="4"/></w:num>
        </w:numbering>"#;

const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
        <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Mine"><w:basedOn w:val="1"/></w:style>
        </w:styles>"#;

fn numbered(num: Option<(u32, u32)>, style: Option<&str>, text: &str) -> String {
    let np = num.map_or(String::new(), |(id, l)| {
        format!("<w:numPr><w:ilvl w:val=\"{l}\"/><w:numId w:val=\"{id}\"/></w:numPr>")
    });
    let st = style.map_or(String::new(), |s| format!("<w:pStyle w:val=\"{s}\"/>"));
    format!("<w:p><w:pPr>{st}{np}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
}

#[test]
fn list_numbers_word_draws_are_put_back() {
    let body = [
        numbered(Some((1, 0)), None, "总体情况"),
        numbered(Some((1, 1)), None, "主动公开情况"),
        numbered(Some((1, 1)), None, "依申请公开情况"),
        numbered(Some((1, 2)), None, "属于国家秘密"),
        numbered(None, Some("1"), "主动公开政府信息情况"),
        numbered(Some((1, 1)), None, "重新从一"),
        numbered(None, Some("Mine"), "收到和处理政府信息公开申请情况"),
        numbered(Some((0, 0)), Some("1"), "不编号"),
        numbered(Some((7, 0)), None, "圆点"),
        numbered(Some((2, 0)), None, "从五开始"),
    ]
    .concat();
    let xml = format!("{HEAD}{body}{TAIL}");
    let bytes = zip_of(&[
        ("word/document.xml", xml.as_bytes()),
        ("word/numbering.xml", NUMBERING.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
    ]);
    let l = read(&bytes).unwrap();
    let texts: Vec<&str> = l.iter().map(|l| l.cells[0].text.as_ref()).collect();
    assert_eq!(
        texts,
        [
            "一、总体情况",
            "（一） 主动公开情况",
            "（二） 依申请公开情况",
            "1. 属于国家秘密",
            "二、主动公开政府信息情况",
            "（一） 重新从一",
            "三、收到和处理政府信息公开申请情况",
            "不编号",
            "圆点",
            "五、从五开始",
        ]
    );
}

#[test]
fn number_formats() {
    let f = format_number;
    assert_eq!(
        [f(1, "chineseCounting"), f(10, "chineseCounting"), f(11, "chineseCountingThousand")],
        ["一", "十", "十一"]
    );
    assert_eq!(
        [f(20, "chineseCounting"), f(101, "chineseCounting"), f(1010, "chineseCounting")],
        ["二十", "一百零一", "一千零一十"]
    );
    assert_eq!(
        [f(10, "chineseLegalSimplified"), f(3, "decimalEnclosedCircle"), f(12, "ideographDigital")],
        ["壹拾", "③", "一二"]
    );
    assert_eq!([f(2, "ideographTraditional"), f(28, "lowerLetter"), f(14, "upperRoman")], ["乙", "bb", "XIV"]);
    assert_eq!([f(7, "decimalFullWidth"), f(7, "none"), f(7, "whatever")], ["７", "", "7"]);
}

#[test]
fn tables_nested_too_deep_are_rejected() {
    let body = format!("{}{}", "<w:tbl><w:tr><w:tc>".repeat(40), "</w:tc></w:tr></w:tbl>".repeat(40));
    let r = parse(&format!("{HEAD}{body}{TAIL}"), &mut Numbering::default()).unwrap_err();
    assert_eq!(r.kind, RejectKind::NotAReport);
}

#[test]
fn enter_scope_keeps_the_scopes_namespace_push_keeps() {
    // The same tags through `push` (what NsReader does) and
    // `enter_scope`: same depth and same resolution after each.
    let xml = "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main' \
                   xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'>\
                   <w:body a='xmlns'><x:p xmlns:x='http://purl.oclc.org/ooxml/wordprocessingml/main'>\
                   <w:r xmlns='urn:d'><t/><w:t xmlns:w='urn:other'/></w:r></x:p><mc:Fallback/>\
                   <p xmlns=''/></w:body></w:document>";
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let (mut pushed, mut entered) = (NamespaceResolver::default(), NamespaceResolver::default());
    let mut starts = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                pushed.push(&e).unwrap();
                enter_scope(&mut entered, &e).unwrap();
                starts += 1;
                assert_eq!(pushed.level(), entered.level());
                for name in ["w:p", "x:p", "mc:Fallback", "p", "y:p"] {
                    let q = quick_xml::name::QName(name);
                    assert_eq!(
                        format!("{:?}", pushed.resolve_element(q)),
                        format!("{:?}", entered.resolve_element(q)),
                        "{name}"
                    );
                }
            }
            Event::End(_) => {
                pushed.pop();
                entered.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(starts, 8);
    assert_eq!(entered.level(), 0);
    // A prefix other than `w:` bound to Word's namespace is still read.
    let l = doc("<x:p xmlns:x='http://purl.oclc.org/ooxml/wordprocessingml/main'>\
                     <x:r><x:t>甲</x:t></x:r></x:p><w:p><w:r><w:t>乙</w:t></w:r></w:p>");
    assert_eq!(cells(&l), vec![vec!["甲"], vec!["乙"]]);
}

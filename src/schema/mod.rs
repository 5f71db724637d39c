//! The report's tables as data: every row, column, key and label, defined once.
//!
//! The reader finds rows by their `heads`, the checks walk the same rows by
//! their `group`, and the writers print their `key` and `label`, CSV headers
//! included. Nothing else in the crate spells out a row of the form, so a
//! change to the form is a change to these files alone (the same idea as
//! tokei's `languages.json`). Rows, columns, items and proceedings are enums
//! indexing constant tables: an unknown key is a compile error, not a silent 0.

pub mod table2;
pub mod table3;
pub mod table4;

pub use table2::*;
pub use table3::*;
pub use table4::*;

/// The two versions of the State Council's report form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The form for reports on 2019 and 2020.
    F2019,
    /// The form for reports on 2021 and later (国办公开办函〔2021〕30号).
    F2021,
}

impl Format {
    /// The name written to files.csv (`2019` or `2021`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::F2019 => "2019",
            Format::F2021 => "2021",
        }
    }

    /// The form a report of `year` is expected to use when the document itself
    /// does not say (its table 2 header is the evidence we prefer).
    pub fn for_year(year: u16) -> Format {
        if year >= 2021 { Format::F2021 } else { Format::F2019 }
    }
}

/// How a row's label is recognised in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    /// The normalised label text contains this fragment.
    Contains(&'static str),
    /// The normalised label text ends with this fragment (for short, generic
    /// labels such as `3.其他` that would otherwise match header words).
    EndsWith(&'static str),
}

impl Head {
    /// The fragment itself.
    pub fn fragment(self) -> &'static str {
        match self {
            Head::Contains(f) | Head::EndsWith(f) => f,
        }
    }
}

/// The section headings that open each table, as (numeral, distinctive words).
/// A heading is a short line that starts with the numeral and holds the words.
pub const SECTION_TABLE2: (&str, &str) = ("二、", "主动公开");
/// See [`SECTION_TABLE2`].
pub const SECTION_TABLE3: (&str, &str) = ("三、", "申请情况");
/// See [`SECTION_TABLE2`].
pub const SECTION_TABLE4: (&str, &str) = ("四、", "行政复议");
/// See [`SECTION_TABLE2`]. Section 五 (problems) ends table 4; so does 六.
pub const SECTION_AFTER4: [(&str, &str); 2] = [("五、", "问题"), ("六、", "其他")];

/// The label of the subtotal (小计) rows and column some units add.
pub const SUBTOTAL: &str = "小计";

/// A label as the form prints it, for display only (the labels above are
/// what the reader matches and the CSV files write): full-width brackets and
/// quotes, no space around a bracket or after a number's dot. `(三) 不予公开`
/// → `（三）不予公开`, `3. 危及"三安全一稳定"` → `3.危及“三安全一稳定”`.
pub fn printed(label: &str) -> String {
    let mut out = String::with_capacity(label.len() + 8);
    let mut open = true;
    let mut prev = ' ';
    let mut chars = label.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' => {
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push('（')
            }
            ')' => out.push('）'),
            '"' => {
                out.push(if open { '“' } else { '”' });
                open = !open;
            }
            _ => out.push(c),
        }
        let numbered = c == '.' && prev.is_ascii_digit();
        if (c == ')' || numbered) && chars.peek() == Some(&' ') {
            chars.next();
        }
        prev = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_print_with_the_forms_brackets_and_quotes() {
        assert_eq!(printed("(三) 不予公开"), "（三）不予公开");
        assert_eq!(printed("3. 危及\"三安全一稳定\""), "3.危及“三安全一稳定”");
        assert_eq!(printed("(七) 总计"), "（七）总计");
        assert_eq!(printed("三、本年度办理结果 (一) 予以公开"), "三、本年度办理结果（一）予以公开");
        assert_eq!(printed("本年增/减"), "本年增/减");
        assert_eq!(
            printed("(二) 部分公开（区分处理的，只计这一情形，不计其他情形）"),
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        );
    }
}

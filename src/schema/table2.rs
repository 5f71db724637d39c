//! Table 2 (主动公开政府信息情况): the items and measures of both forms.

use super::{Format, Head};
use Head::{Contains as C, EndsWith as E};

/// One measure of a table-2 item (a column of the proactive-disclosure table).
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    /// Output key, e.g. `in_force`.
    pub key: &'static str,
    /// The column label as printed on the form.
    pub label: &'static str,
    /// May the value be negative (本年增/减 in the 2019 form)?
    pub signed: bool,
    /// May the value have decimals (amounts in 万元)?
    pub decimal: bool,
}

/// One item (row) of table 2.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    /// Output key, e.g. `regulations`.
    pub key: &'static str,
    /// The item label as printed on the form.
    pub label: &'static str,
    /// How the label is recognised (normalised text).
    pub heads: &'static [Head],
    /// The item's measures, in the form's column order.
    pub measures: &'static [Measure],
}

const fn m(key: &'static str, label: &'static str) -> Measure {
    Measure { key, label, signed: false, decimal: false }
}

const ISSUED: Measure = m("issued", "本年制发件数");
const REPEALED: Measure = m("repealed", "本年废止件数");
const IN_FORCE: Measure = m("in_force", "现行有效件数");
const DECISIONS: Measure = m("decisions", "本年处理决定数量");
const FEE_AMOUNT: Measure =
    Measure { key: "amount_10k_yuan", label: "本年收费金额（单位：万元）", signed: false, decimal: true };

/// Table 2 of the 2021 form.
pub const TABLE2_2021: [Item; 6] = [
    Item { key: "regulations", label: "规章", heads: &[E("规章")], measures: &[ISSUED, REPEALED, IN_FORCE] },
    Item {
        key: "normative_documents",
        label: "行政规范性文件",
        heads: &[C("规范性文件")],
        measures: &[ISSUED, REPEALED, IN_FORCE],
    },
    Item { key: "licensing", label: "行政许可", heads: &[C("行政许可")], measures: &[DECISIONS] },
    Item { key: "punishment", label: "行政处罚", heads: &[C("行政处罚")], measures: &[DECISIONS] },
    Item { key: "enforcement", label: "行政强制", heads: &[C("行政强制")], measures: &[DECISIONS] },
    Item { key: "fees", label: "行政事业性收费", heads: &[C("事业性收费")], measures: &[FEE_AMOUNT] },
];

const MADE: Measure = m("made", "本年新制作数量");
const PUBLISHED: Measure = m("published", "本年新公开数量");
const TOTAL_PUBLISHED: Measure = m("total_published", "对外公开总数量");
const PREVIOUS: Measure = m("previous_count", "上一年项目数量");
const CHANGE: Measure = Measure { key: "change", label: "本年增/减", signed: true, decimal: false };
const DECISIONS_2019: Measure = m("decisions", "处理决定数量");
const PROCUREMENT_COUNT: Measure = m("projects", "采购项目数量");
const PROCUREMENT_AMOUNT: Measure =
    Measure { key: "amount_10k_yuan", label: "采购总金额", signed: false, decimal: true };

/// Table 2 of the 2019 form.
pub const TABLE2_2019: [Item; 8] = [
    Item { key: "regulations", label: "规章", heads: &[E("规章")], measures: &[MADE, PUBLISHED, TOTAL_PUBLISHED] },
    Item {
        key: "normative_documents",
        label: "规范性文件",
        heads: &[C("规范性文件")],
        measures: &[MADE, PUBLISHED, TOTAL_PUBLISHED],
    },
    Item {
        key: "licensing",
        label: "行政许可",
        heads: &[C("行政许可")],
        measures: &[PREVIOUS, CHANGE, DECISIONS_2019],
    },
    Item {
        key: "other_services",
        label: "其他对外管理服务事项",
        heads: &[C("对外管理服务")],
        measures: &[PREVIOUS, CHANGE, DECISIONS_2019],
    },
    Item {
        key: "punishment",
        label: "行政处罚",
        heads: &[C("行政处罚")],
        measures: &[PREVIOUS, CHANGE, DECISIONS_2019],
    },
    Item {
        key: "enforcement",
        label: "行政强制",
        heads: &[C("行政强制")],
        measures: &[PREVIOUS, CHANGE, DECISIONS_2019],
    },
    Item { key: "fees", label: "行政事业性收费", heads: &[C("事业性收费")], measures: &[PREVIOUS, CHANGE] },
    Item {
        key: "procurement",
        label: "政府集中采购",
        heads: &[C("集中采购")],
        measures: &[PROCUREMENT_COUNT, PROCUREMENT_AMOUNT],
    },
];

/// The items of table 2 for a format.
pub fn table2_items(format: Format) -> &'static [Item] {
    match format {
        Format::F2019 => &TABLE2_2019,
        Format::F2021 => &TABLE2_2021,
    }
}

/// Words of a table-2 header that tell the two forms apart.
pub const TABLE2_HEADER_2021: &str = "本年制发件数";
/// See [`TABLE2_HEADER_2021`].
pub const TABLE2_HEADER_2019: &str = "本年新制作数量";

/// The heading of section 二, the title of table 2.
pub const TABLE2_HEADING: &str = "二、主动公开政府信息情况";

/// One of the sub-tables table 2 is printed as: the article of the
/// regulations it reports on (第二十条第（一）项 …) over the items it holds,
/// which share their measures.
#[derive(Debug, Clone)]
pub struct Section {
    /// The heading the form prints above the sub-table.
    pub heading: &'static str,
    /// The items of [`table2_items`] it holds, by index.
    pub items: std::ops::Range<usize>,
}

/// The sub-tables of the 2021 form.
pub const TABLE2_2021_SECTIONS: [Section; 4] = [
    Section { heading: "第二十条第（一）项", items: 0..2 },
    Section { heading: "第二十条第（五）项", items: 2..3 },
    Section { heading: "第二十条第（六）项", items: 3..5 },
    Section { heading: "第二十条第（八）项", items: 5..6 },
];

/// The sub-tables of the 2019 form.
pub const TABLE2_2019_SECTIONS: [Section; 5] = [
    Section { heading: "第二十条第（一）项", items: 0..2 },
    Section { heading: "第二十条第（五）项", items: 2..4 },
    Section { heading: "第二十条第（六）项", items: 4..6 },
    Section { heading: "第二十条第（八）项", items: 6..7 },
    Section { heading: "第二十条第（九）项", items: 7..8 },
];

/// The sub-tables of table 2 for a format.
pub fn table2_sections(format: Format) -> &'static [Section] {
    match format {
        Format::F2019 => &TABLE2_2019_SECTIONS,
        Format::F2021 => &TABLE2_2021_SECTIONS,
    }
}

/// The column header the form prints over the items' labels.
pub const TABLE2_ITEM_HEADER: &str = "信息内容";

/// A table-2 measure by the keys and label proactive.csv writes (the label
/// is `item / measure`): its format, item and measure index. The label tells
/// the forms apart where the keys alone do not (`licensing` / `decisions`).
pub fn table2_lookup(item: &str, measure: &str, label: &str) -> Option<(Format, usize, usize)> {
    [Format::F2021, Format::F2019].into_iter().find_map(|f| {
        table2_items(f).iter().enumerate().find_map(|(ii, it)| {
            it.measures
                .iter()
                .position(|m| it.key == item && m.key == measure && label == format!("{} / {}", it.label, m.label))
                .map(|mi| (f, ii, mi))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_cover_every_item_once_and_share_measures() {
        for f in [Format::F2019, Format::F2021] {
            let items = table2_items(f);
            let covered: Vec<usize> = table2_sections(f).iter().flat_map(|s| s.items.clone()).collect();
            assert_eq!(covered, (0..items.len()).collect::<Vec<_>>());
            for s in table2_sections(f) {
                let keys = |i: usize| items[i].measures.iter().map(|m| m.key).collect::<Vec<_>>();
                assert!(s.items.clone().all(|i| keys(i) == keys(s.items.start)), "{}", s.heading);
            }
            for (ii, it) in items.iter().enumerate() {
                for (mi, m) in it.measures.iter().enumerate() {
                    let label = format!("{} / {}", it.label, m.label);
                    assert_eq!(table2_lookup(it.key, m.key, &label), Some((f, ii, mi)));
                }
            }
        }
    }
}

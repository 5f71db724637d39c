//! Table 4 (行政复议、行政诉讼情况): three proceedings of five numbers each.

use super::table3::Column;

/// The heading of section 四, the title of table 4.
pub const TABLE4_HEADING: &str = "四、政府信息公开行政复议、行政诉讼情况";

/// One proceeding of table 4.
#[derive(Debug, Clone, Copy)]
pub struct Proceeding {
    /// Output key, e.g. `review`.
    pub key: &'static str,
    /// The label as printed on the form.
    pub label: &'static str,
}

/// The proceedings of table 4, in the form's order.
pub const TABLE4_PROCEEDINGS: [Proceeding; 3] = [
    Proceeding { key: "review", label: "行政复议" },
    Proceeding { key: "lawsuit_direct", label: "行政诉讼 / 未经复议直接起诉" },
    Proceeding { key: "lawsuit_after_review", label: "行政诉讼 / 复议后起诉" },
];

/// The five outcome columns of each proceeding in table 4 (the last is the total).
pub const TABLE4_COLUMNS: [Column; 5] = [
    Column { key: "upheld", label: "结果维持" },
    Column { key: "corrected", label: "结果纠正" },
    Column { key: "other", label: "其他结果" },
    Column { key: "pending", label: "尚未审结" },
    Column { key: "total", label: "总计" },
];

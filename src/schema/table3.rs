//! Table 3 (收到和处理政府信息公开申请情况): its rows, columns and labels.

use super::Head;

/// One applicant column of table 3.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Output key, e.g. `natural_person`.
    pub key: &'static str,
    /// The label as printed on the form.
    pub label: &'static str,
}

/// Number of value columns of table 3 (six applicant categories and 总计).
pub const NCOLS: usize = 7;

/// Index of the 总计 column in a table-3 row.
pub const TOTAL_COL: usize = 6;

/// The columns of table 3, in the form's order.
pub const TABLE3_COLUMNS: [Column; NCOLS] = [
    Column { key: "natural_person", label: "自然人" },
    Column { key: "commercial_enterprise", label: "法人或其他组织 / 商业企业" },
    Column { key: "research_institution", label: "法人或其他组织 / 科研机构" },
    Column { key: "social_welfare_org", label: "法人或其他组织 / 社会公益组织" },
    Column { key: "legal_service_org", label: "法人或其他组织 / 法律服务机构" },
    Column { key: "other_org", label: "法人或其他组织 / 其他" },
    Column { key: "total", label: "总计" },
];

/// What part of table 3 a row belongs to; drives the arithmetic checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// 一、本年新收 (new requests).
    New,
    /// 二、上年结转 (carried over from last year).
    CarriedOver,
    /// (一) 予以公开.
    Granted,
    /// (二) 部分公开.
    Partial,
    /// (三) 不予公开 and its eight sub-rows.
    Denied,
    /// (四) 无法提供 and its three sub-rows.
    Unable,
    /// (五) 不予处理 and its five sub-rows.
    NotProcessed,
    /// (六) 其他处理, as one row (2019) or three sub-rows (2021).
    Other,
    /// (七) 总计 of the outcomes.
    TotalProcessed,
    /// 四、结转下年度继续办理.
    CarriedForward,
}

impl Group {
    /// Is this one of the outcome groups (一)…(六) that add up to (七) 总计?
    pub fn is_outcome(self) -> bool {
        matches!(
            self,
            Group::Granted | Group::Partial | Group::Denied | Group::Unable | Group::NotProcessed | Group::Other
        )
    }

    /// The group label used when a subtotal row (小计) is reported for it.
    pub fn subtotal_label(self) -> &'static str {
        match self {
            Group::Denied => "(三) 不予公开 小计",
            Group::Unable => "(四) 无法提供 小计",
            Group::NotProcessed => "(五) 不予处理 小计",
            Group::Other => "(六) 其他处理 小计",
            _ => "小计",
        }
    }

    /// Groups that may carry a 小计 row in some units' tables.
    pub fn has_subtotal(self) -> bool {
        matches!(self, Group::Denied | Group::Unable | Group::NotProcessed | Group::Other)
    }
}

/// One row of table 3.
#[derive(Debug, Clone, Copy)]
pub struct Row3 {
    /// Output key, e.g. `new_requests`.
    pub key: &'static str,
    /// The label as printed on the form (2021 wording).
    pub label: &'static str,
    /// The part of the table it belongs to.
    pub group: Group,
    /// Distinctive fragments of the label (after normalisation: half-width
    /// brackets and digits, no spaces, simplified script). Chosen so that no
    /// fragment of one row occurs in another row's label or in the header.
    pub heads: &'static [Head],
}

use Head::{Contains as C, EndsWith as E};

/// Index of `other_processing` in [`TABLE3_ROWS`]: the single (六) row that
/// replaces the three `other_*` rows in the 2019 form.
pub const OTHER_PROCESSING: usize = 20;

/// The rows of table 3, in the form's order. `other_processing` (2019) sits
/// before the three `other_*` rows (2021) that take its place.
pub const TABLE3_ROWS: [Row3; 26] = [
    Row3 {
        key: "new_requests", label: "一、本年新收政府信息公开申请数量", group: Group::New, heads: &[C("本年新收")]
    },
    Row3 {
        key: "carried_over",
        label: "二、上年结转政府信息公开申请数量",
        group: Group::CarriedOver,
        heads: &[C("上年结转")],
    },
    Row3 {
        key: "granted", label: "三、本年度办理结果 (一) 予以公开", group: Group::Granted, heads: &[C("予以公开")]
    },
    Row3 {
        key: "partially_granted",
        label: "(二) 部分公开（区分处理的，只计这一情形，不计其他情形）",
        group: Group::Partial,
        heads: &[C("部分公开")],
    },
    Row3 {
        key: "denied_state_secret",
        label: "(三) 不予公开 1. 属于国家秘密",
        group: Group::Denied,
        heads: &[C("国家秘密")],
    },
    Row3 {
        key: "denied_prohibited_by_law",
        label: "2. 其他法律行政法规禁止公开",
        group: Group::Denied,
        heads: &[C("其他法律"), C("法规禁止")],
    },
    Row3 {
        key: "denied_three_safety_one_stability",
        label: "3. 危及\"三安全一稳定\"",
        group: Group::Denied,
        heads: &[C("三安全"), C("一稳定")],
    },
    Row3 {
        key: "denied_third_party_rights",
        label: "4. 保护第三方合法权益",
        group: Group::Denied,
        heads: &[C("第三方")],
    },
    Row3 {
        key: "denied_internal_affairs",
        label: "5. 属于三类内部事务信息",
        group: Group::Denied,
        heads: &[C("内部事务")],
    },
    Row3 {
        key: "denied_process_info", label: "6. 属于四类过程性信息", group: Group::Denied, heads: &[C("过程性")]
    },
    Row3 {
        key: "denied_law_enforcement_file",
        label: "7. 属于行政执法案卷",
        group: Group::Denied,
        heads: &[C("执法案卷")],
    },
    Row3 {
        key: "denied_administrative_query",
        label: "8. 属于行政查询事项",
        group: Group::Denied,
        heads: &[C("行政查询")],
    },
    Row3 {
        key: "unable_not_held",
        label: "(四) 无法提供 1. 本机关不掌握相关政府信息",
        group: Group::Unable,
        heads: &[C("不掌握")],
    },
    Row3 {
        key: "unable_needs_creation",
        label: "2. 没有现成信息需要另行制作",
        group: Group::Unable,
        heads: &[C("另行制作"), C("没有现成")],
    },
    Row3 {
        key: "unable_unclear_after_correction",
        label: "3. 补正后申请内容仍不明确",
        group: Group::Unable,
        heads: &[C("补正后"), C("仍不明确")],
    },
    Row3 {
        key: "not_processed_petition_complaint",
        label: "(五) 不予处理 1. 信访举报投诉类申请",
        group: Group::NotProcessed,
        heads: &[C("信访"), C("举报投诉")],
    },
    Row3 {
        key: "not_processed_duplicate", label: "2. 重复申请", group: Group::NotProcessed, heads: &[C("重复申请")]
    },
    Row3 {
        key: "not_processed_publication",
        label: "3. 要求提供公开出版物",
        group: Group::NotProcessed,
        heads: &[C("出版物")],
    },
    Row3 {
        key: "not_processed_excessive",
        label: "4. 无正当理由大量反复申请",
        group: Group::NotProcessed,
        heads: &[C("大量反复")],
    },
    Row3 {
        key: "not_processed_confirm_existing",
        label: "5. 要求行政机关确认或重新出具已获取信息",
        group: Group::NotProcessed,
        heads: &[C("重新出具"), C("要求行政机关确认")],
    },
    Row3 {
        key: "other_processing", label: "(六) 其他处理", group: Group::Other, heads: &[E("(六)其他处理")]
    },
    Row3 {
        key: "other_no_correction",
        label: "(六) 其他处理 1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        group: Group::Other,
        heads: &[C("逾期不补正")],
    },
    Row3 {
        key: "other_unpaid_fee",
        label: "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        group: Group::Other,
        heads: &[C("收费通知"), C("缴纳费用")],
    },
    Row3 { key: "other_other", label: "3. 其他", group: Group::Other, heads: &[E("3.其他")] },
    Row3 { key: "total_processed", label: "(七) 总计", group: Group::TotalProcessed, heads: &[C("(七)总计")] },
    Row3 {
        key: "carried_forward",
        label: "四、结转下年度继续办理",
        group: Group::CarriedForward,
        heads: &[C("结转下年"), C("下年度继续")],
    },
];

/// Number of rows of table 3 (with both variants of (六)).
pub const NROWS3: usize = TABLE3_ROWS.len();

/// A row of table 3, by its place in [`TABLE3_ROWS`] (the form's order,
/// `other_processing` before the three `other_*` rows that replace it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Row {
    /// `new_requests`.
    NewRequests,
    /// `carried_over`.
    CarriedOver,
    /// `granted`.
    Granted,
    /// `partially_granted`.
    PartiallyGranted,
    /// `denied_state_secret`.
    DeniedStateSecret,
    /// `denied_prohibited_by_law`.
    DeniedProhibitedByLaw,
    /// `denied_three_safety_one_stability`.
    DeniedThreeSafetyOneStability,
    /// `denied_third_party_rights`.
    DeniedThirdPartyRights,
    /// `denied_internal_affairs`.
    DeniedInternalAffairs,
    /// `denied_process_info`.
    DeniedProcessInfo,
    /// `denied_law_enforcement_file`.
    DeniedLawEnforcementFile,
    /// `denied_administrative_query`.
    DeniedAdministrativeQuery,
    /// `unable_not_held`.
    UnableNotHeld,
    /// `unable_needs_creation`.
    UnableNeedsCreation,
    /// `unable_unclear_after_correction`.
    UnableUnclearAfterCorrection,
    /// `not_processed_petition_complaint`.
    NotProcessedPetitionComplaint,
    /// `not_processed_duplicate`.
    NotProcessedDuplicate,
    /// `not_processed_publication`.
    NotProcessedPublication,
    /// `not_processed_excessive`.
    NotProcessedExcessive,
    /// `not_processed_confirm_existing`.
    NotProcessedConfirmExisting,
    /// `other_processing`.
    OtherProcessing,
    /// `other_no_correction`.
    OtherNoCorrection,
    /// `other_unpaid_fee`.
    OtherUnpaidFee,
    /// `other_other`.
    OtherOther,
    /// `total_processed`.
    TotalProcessed,
    /// `carried_forward`.
    CarriedForward,
}

impl Row {
    /// Every row, in the form's order.
    pub const ALL: [Row; NROWS3] = [
        Row::NewRequests,
        Row::CarriedOver,
        Row::Granted,
        Row::PartiallyGranted,
        Row::DeniedStateSecret,
        Row::DeniedProhibitedByLaw,
        Row::DeniedThreeSafetyOneStability,
        Row::DeniedThirdPartyRights,
        Row::DeniedInternalAffairs,
        Row::DeniedProcessInfo,
        Row::DeniedLawEnforcementFile,
        Row::DeniedAdministrativeQuery,
        Row::UnableNotHeld,
        Row::UnableNeedsCreation,
        Row::UnableUnclearAfterCorrection,
        Row::NotProcessedPetitionComplaint,
        Row::NotProcessedDuplicate,
        Row::NotProcessedPublication,
        Row::NotProcessedExcessive,
        Row::NotProcessedConfirmExisting,
        Row::OtherProcessing,
        Row::OtherNoCorrection,
        Row::OtherUnpaidFee,
        Row::OtherOther,
        Row::TotalProcessed,
        Row::CarriedForward,
    ];

    /// Its index in [`TABLE3_ROWS`] and in [`crate::report::Table3::rows`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Its definition.
    pub fn def(self) -> &'static Row3 {
        &TABLE3_ROWS[self.index()]
    }

    /// Its output key (`new_requests`, …).
    pub fn key(self) -> &'static str {
        self.def().key
    }

    /// Its label as printed on the form.
    pub fn label(self) -> &'static str {
        self.def().label
    }

    /// The part of the table it belongs to.
    pub fn group(self) -> Group {
        self.def().group
    }

    /// The row with this output key.
    pub fn from_key(key: &str) -> Option<Row> {
        Row::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The rows a document uses: with the single (六) 其他处理 row or with
    /// its three sub-rows (decided from the document, never from the year).
    pub fn of_form(single_other: bool) -> impl Iterator<Item = Row> {
        Row::ALL.into_iter().filter(move |r| match r {
            Row::OtherProcessing => single_other,
            Row::OtherNoCorrection | Row::OtherUnpaidFee | Row::OtherOther => !single_other,
            _ => true,
        })
    }
}

/// A value column of table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Col {
    /// 自然人.
    NaturalPerson,
    /// 法人或其他组织 / 商业企业.
    CommercialEnterprise,
    /// 法人或其他组织 / 科研机构.
    ResearchInstitution,
    /// 法人或其他组织 / 社会公益组织.
    SocialWelfareOrg,
    /// 法人或其他组织 / 法律服务机构.
    LegalServiceOrg,
    /// 法人或其他组织 / 其他.
    OtherOrg,
    /// 总计.
    Total,
}

impl Col {
    /// Every column, in the form's order.
    pub const ALL: [Col; NCOLS] = [
        Col::NaturalPerson,
        Col::CommercialEnterprise,
        Col::ResearchInstitution,
        Col::SocialWelfareOrg,
        Col::LegalServiceOrg,
        Col::OtherOrg,
        Col::Total,
    ];

    /// Its index in a row's values.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Its output key.
    pub fn key(self) -> &'static str {
        TABLE3_COLUMNS[self.index()].key
    }

    /// Its label.
    pub fn label(self) -> &'static str {
        TABLE3_COLUMNS[self.index()].label
    }
}

/// Which rows of table 3 a document uses: the single (六) row or its three
/// sub-rows. Decided from the document (a 2021-format report may keep the
/// single row), never from the year alone.
pub fn table3_rows(single_other: bool) -> impl Iterator<Item = usize> {
    (0..NROWS3).filter(move |&i| {
        let is_single = i == OTHER_PROCESSING;
        let is_sub = (OTHER_PROCESSING + 1..OTHER_PROCESSING + 4).contains(&i);
        if single_other { !is_sub } else { !is_single }
    })
}

/// Index of a table-3 row by key.
pub fn row3_index(key: &str) -> Option<usize> {
    TABLE3_ROWS.iter().position(|r| r.key == key)
}

/// The heading of section 三, the title of table 3.
pub const TABLE3_HEADING: &str = "三、收到和处理政府信息公开申请情况";

/// The header the form puts over the six applicant columns of table 3
/// (总计 stands beside it, over all three header rows).
pub const TABLE3_APPLICANTS: &str = "申请人情况";

/// The note in the top-left corner of table 3: the balance rule.
pub const TABLE3_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// Levels of a table-3 row label, as the form nests them: `三、本年度办理结果`
/// (level 0) holds `(三) 不予公开` (level 1), which holds `1. 属于国家秘密`
/// (level 2).
pub const TABLE3_LABEL_LEVELS: usize = 3;

/// Split a label into its numbered parts with their level: `三、…` is 0,
/// `(三) …` is 1, `1. …` is 2. `"(三) 不予公开 1. 属于国家秘密"` gives
/// `[(1, "(三) 不予公开"), (2, "1. 属于国家秘密")]`.
pub fn label_parts(label: &str) -> Vec<(usize, &str)> {
    let level = |s: &str| {
        if s.starts_with('(') {
            1
        } else if s.starts_with(|c: char| c.is_ascii_digit()) {
            2
        } else {
            0
        }
    };
    let is_marker = |t: &str| {
        (t.starts_with('(') && t.ends_with(')') && t.chars().count() <= 4)
            || (t.ends_with('.') && t[..t.len() - 1].chars().all(|c| c.is_ascii_digit()))
    };
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    for tok in label.split(' ') {
        let (tok_start, tok_end) = (pos, pos + tok.len());
        pos = tok_end + 1;
        if tok.is_empty() {
            continue;
        }
        // A token opens a new part unless the part so far is a bare marker
        // such as `(三)` or `1.` waiting for its words.
        if let Some(s) = start {
            if !is_marker(label[s..tok_start].trim_end()) {
                parts.push(label[s..tok_start].trim_end());
                start = Some(tok_start);
            }
        } else {
            start = Some(tok_start);
        }
    }
    if let Some(s) = start {
        parts.push(label[s..].trim_end());
    }
    parts.into_iter().map(|p| (level(p), p)).collect()
}

/// Where row `i` of table 3 sits in the form's nested labels: one entry per
/// level (see [`TABLE3_LABEL_LEVELS`]), `None` where the cell to its left
/// stretches over it. `granted` gives `[三、本年度办理结果, (一) 予以公开, None]`,
/// `denied_state_secret` gives `[三、本年度办理结果, (三) 不予公开, 1. 属于国家秘密]`,
/// `new_requests` gives `[一、本年新收政府信息公开申请数量, None, None]`.
///
/// Taken from the labels, which name each group on its first row, and the
/// rows' [`Group`]: a level-1 group label holds the following rows of its
/// group; a level-0 label holds every row up to the next level-0 row.
pub fn table3_label_path(i: usize) -> [Option<&'static str>; TABLE3_LABEL_LEVELS] {
    let mut block: Option<&'static str> = None;
    let mut group: Option<(&'static str, Group)> = None;
    let mut path = [None; TABLE3_LABEL_LEVELS];
    for (j, row) in TABLE3_ROWS.iter().enumerate().take(i + 1) {
        let parts = label_parts(row.label);
        let Some(&(own_level, own)) = parts.last() else { continue };
        for &(level, text) in &parts[..parts.len() - 1] {
            if level == 0 {
                block = Some(text);
                group = None;
            } else {
                group = Some((text, row.group));
            }
        }
        if own_level == 0 {
            block = None;
        }
        if own_level < 2 || group.is_some_and(|(_, g)| g != row.group) {
            group = None;
        }
        if j == i {
            path = [block, group.map(|(t, _)| t), None];
            path[own_level] = Some(own);
        }
    }
    path
}

/// The short label of row `i` of table 3: its own part, without the group
/// labels that share its line on the form (`granted` → `(一) 予以公开`).
pub fn table3_own_label(i: usize) -> &'static str {
    // Computed once: every report asks for every row's (a profile found the
    // label parsing at 3 % of a text report's time).
    static OWN: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    OWN.get_or_init(|| {
        (0..TABLE3_ROWS.len())
            .map(|i| table3_label_path(i).iter().rev().find_map(|p| *p).unwrap_or(TABLE3_ROWS[i].label))
            .collect()
    })[i]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Head;
    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = TABLE3_ROWS.iter().map(|r| r.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), NROWS3);
    }

    #[test]
    fn no_head_matches_another_rows_label() {
        let norm = |s: &str| crate::text::normalize(s);
        for (i, r) in TABLE3_ROWS.iter().enumerate() {
            for (j, other) in TABLE3_ROWS.iter().enumerate() {
                if i == j {
                    continue;
                }
                for h in r.heads {
                    let label = norm(other.label);
                    let hit = match h {
                        Head::Contains(f) => label.contains(f),
                        Head::EndsWith(f) => label.ends_with(f),
                    };
                    // The 2021 (六) 1 label starts with the 2019 group label.
                    let allowed = i == OTHER_PROCESSING && j == OTHER_PROCESSING + 1;
                    assert!(!hit || allowed, "head {h:?} of {} matches label of {}", r.key, other.key);
                }
            }
        }
    }

    #[test]
    fn label_paths_follow_the_form() {
        assert_eq!(label_parts("(三) 不予公开 1. 属于国家秘密"), [(1, "(三) 不予公开"), (2, "1. 属于国家秘密")]);
        assert_eq!(label_parts("三、本年度办理结果 (一) 予以公开"), [(0, "三、本年度办理结果"), (1, "(一) 予以公开")]);
        let path = |k: &str| table3_label_path(row3_index(k).unwrap());
        assert_eq!(path("new_requests"), [Some("一、本年新收政府信息公开申请数量"), None, None]);
        assert_eq!(path("granted"), [Some("三、本年度办理结果"), Some("(一) 予以公开"), None]);
        assert_eq!(
            path("denied_process_info"),
            [Some("三、本年度办理结果"), Some("(三) 不予公开"), Some("6. 属于四类过程性信息")]
        );
        assert_eq!(path("unable_not_held")[1], Some("(四) 无法提供"));
        assert_eq!(path("not_processed_confirm_existing")[1], Some("(五) 不予处理"));
        assert_eq!(path("other_processing"), [Some("三、本年度办理结果"), Some("(六) 其他处理"), None]);
        assert_eq!(path("other_other"), [Some("三、本年度办理结果"), Some("(六) 其他处理"), Some("3. 其他")]);
        assert_eq!(path("total_processed"), [Some("三、本年度办理结果"), Some("(七) 总计"), None]);
        assert_eq!(path("carried_forward"), [Some("四、结转下年度继续办理"), None, None]);
        assert_eq!(table3_own_label(row3_index("partially_granted").unwrap()), TABLE3_ROWS[3].label);
        // Every row's label is its path, read left to right.
        for (i, r) in TABLE3_ROWS.iter().enumerate() {
            assert!(r.label.ends_with(table3_own_label(i)), "{}", r.key);
        }
    }

    #[test]
    fn variants_have_23_and_25_rows() {
        assert_eq!(table3_rows(true).count(), 23);
        assert_eq!(table3_rows(false).count(), 25);
    }
}

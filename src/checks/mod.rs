//! The arithmetic every report must satisfy (FORMAT.md section 2), and the
//! findings that say where it does not.
//!
//! Checks never change a number: the rollup sums what each report states,
//! and every broken rule is a [`Finding`] that keeps both sides of the
//! equation, so the county office can send the report back with the exact
//! figures to correct. A finding is data; [`Finding::detail`] words it in
//! Chinese or English. [`check_report`] covers one report, [`chain`] a unit's
//! consecutive years; the checks across files (duplicates, lookalike reports)
//! are in [`cross`].

pub mod chain;
pub mod cross;

use crate::lang::Lang;
use crate::report::{Report, Subtotal, Table3, Table4};
use crate::schema::{self, Col, Group, NCOLS, Row, TABLE4_PROCEEDINGS};
use crate::text::Decimal;

/// How serious a broken rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The report contradicts itself; `--strict` fails the run.
    Error,
    /// Worth a look, e.g. the prose and the table disagree.
    Warning,
}

impl Severity {
    /// The word written to checks.csv.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// The word a person reads.
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Severity::Error => lang.pick("错误", "error"),
            Severity::Warning => lang.pick("提示", "warning"),
        }
    }
}

/// What a broken rule found, with the numbers on both sides. (The fields
/// are the numbers and names each variant's doc speaks of.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum What {
    /// A table-3 row's 总计 is not the sum of its six applicant columns.
    RowTotal { row: Row, total: u64, sum: u64 },
    /// 一 + 二 ≠ (七) + 四 in a column.
    Balance { col: Col, new: u64, carried_over: u64, processed: u64, carried_forward: u64 },
    /// (七) 总计 ≠ the sum of the outcome rows in a column.
    Outcomes { col: Col, total: u64, sum: u64 },
    /// A 小计 row ≠ the sum of its group's rows in a column.
    SubtotalRow { group: Group, col: Col, stated: u64, sum: u64 },
    /// A 小计 column ≠ the sum of a row's five 法人或其他组织 columns.
    SubtotalColumn { row: Row, stated: u64, sum: u64 },
    /// A table-4 proceeding's 总计 ≠ the sum of its four results.
    Review { proceeding: usize, values: [u64; 5] },
    /// The prose's count of requests ≠ table 3's new_requests 总计.
    Narrative { said: u64, table: u64 },
    /// carried_over of this year ≠ carried_forward of last year.
    CarryChain { col: Col, carried_over: u64, prev_year: u16, prev_forward: u64 },
    /// in_force ≠ last year's in_force + issued − repealed.
    InForceChain {
        item: usize,
        in_force: Decimal,
        prev_year: u16,
        prev_in_force: Decimal,
        issued: Decimal,
        repealed: Decimal,
    },
    /// Another file reports the same county, unit and year.
    Duplicate { county: String, unit: String, year: u16, others: Vec<String> },
    /// A byte-identical copy of a file summed once.
    Identical { of: String },
    /// The title names one county, the folder another.
    CountyMismatch { title: String, folder: String },
    /// Two units' tables 3 are identical (and not all zero); `more` other
    /// units' are too.
    SameAs { unit: String, file: String, more: usize },
    /// A unit's table 3 is unchanged from last year (and not all zero).
    UnchangedFromLastYear { prev_year: u16, file: String },
    /// Every table all zero, while last year's were not.
    AllZeroNow { prev_year: u16, file: String },
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The check's id (`row_total`, `balance`, …), as checks.csv writes it.
    pub check: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// What it found.
    pub what: What,
}

fn error(check: &'static str, what: What) -> Finding {
    Finding { check, severity: Severity::Error, what }
}

fn warning(check: &'static str, what: What) -> Finding {
    Finding { check, severity: Severity::Warning, what }
}

/// The table-3 rules (row totals, balance, outcomes), in a fixed order: what
/// [`check_report`] finds in table 3, and what the reader calls to confirm
/// rows it placed by position.
pub fn table3_arithmetic(t: &Table3) -> Vec<Finding> {
    let mut out = Vec::new();
    // Sums below cannot overflow: every count is at most text::MAX_COUNT
    // (< 2^40) and no sum has more than 26 terms.
    for row in Row::ALL {
        let Some(v) = t.get(row) else { continue };
        let sum: u64 = v[..schema::TOTAL_COL].iter().sum();
        if sum != v[schema::TOTAL_COL] {
            out.push(error("row_total", What::RowTotal { row, total: v[schema::TOTAL_COL], sum }));
        }
    }
    for col in Col::ALL {
        let (new, carried_over) = (t.cell(Row::NewRequests, col), t.cell(Row::CarriedOver, col));
        let (processed, carried_forward) = (t.cell(Row::TotalProcessed, col), t.cell(Row::CarriedForward, col));
        if new + carried_over != processed + carried_forward {
            out.push(error("balance", What::Balance { col, new, carried_over, processed, carried_forward }));
        }
    }
    for col in Col::ALL {
        let (sum, total) = (t.outcomes(col), t.cell(Row::TotalProcessed, col));
        if sum != total {
            out.push(error("outcomes_total", What::Outcomes { col, total, sum }));
        }
    }
    out
}

/// The table-4 rule (each proceeding's results add up to its total): what
/// [`check_report`] finds in table 4, and what confirms a second reading.
pub fn table4_arithmetic(t4: &Table4) -> Vec<Finding> {
    let mut out = Vec::new();
    for (proceeding, vals) in t4.iter().enumerate() {
        if vals[..4].iter().sum::<u64>() != vals[4] {
            out.push(error("review_total", What::Review { proceeding, values: *vals }));
        }
    }
    out
}

/// Every per-report check, in a fixed order (table 3 rows, columns, then
/// subtotals, table 4, then the prose), so checks.csv is deterministic.
pub fn check_report(r: &Report) -> Vec<Finding> {
    let mut out = table3_arithmetic(&r.table3);
    for sub in &r.subtotals {
        match sub {
            Subtotal::Row { group, values } => {
                for col in Col::ALL {
                    let sum: u64 =
                        Row::ALL.iter().filter(|row| row.group() == *group).map(|&row| r.table3.cell(row, col)).sum();
                    if sum != values[col.index()] {
                        out.push(error(
                            "subtotal",
                            What::SubtotalRow { group: *group, col, stated: values[col.index()], sum },
                        ));
                    }
                }
            }
            Subtotal::Column { row, value } => {
                let v = r.table3.rows[*row].unwrap_or([0; NCOLS]);
                let sum: u64 = v[1..schema::TOTAL_COL].iter().sum();
                if sum != *value {
                    out.push(error("subtotal", What::SubtotalColumn { row: Row::ALL[*row], stated: *value, sum }));
                }
            }
        }
    }
    if let Some(t4) = &r.table4 {
        out.extend(table4_arithmetic(t4));
    }
    if let (Some(said), Some(new)) = (r.narrative_requests, r.table3.get(Row::NewRequests)) {
        let table = new[schema::TOTAL_COL];
        if said != table {
            out.push(warning("narrative", What::Narrative { said, table }));
        }
    }
    out
}

/// The difference `a - b` as a signed number, for messages.
fn diff(a: u64, b: u64) -> i128 {
    i128::from(a) - i128::from(b)
}

impl Finding {
    /// The finding in words, with both numbers and their difference.
    pub fn detail(&self, lang: Lang) -> String {
        use What::*;
        let zh = lang == Lang::Zh;
        match &self.what {
            RowTotal { row, total, sum } => {
                if zh {
                    format!("「{}」行：总计 {total}，六类申请人之和 {sum}，相差 {}", row.label(), diff(*total, *sum))
                } else {
                    format!(
                        "{} ({}): 总计 {total} but the six applicant columns add up to {sum}",
                        row.key(),
                        row.label()
                    )
                }
            }
            Balance { col, new, carried_over, processed, carried_forward } => {
                let (a, b) = (new + carried_over, processed + carried_forward);
                if zh {
                    format!(
                        "{}列：第一项 {new} 加第二项 {carried_over} 之和 {a}，应等于第三项（七）总计 {processed} 加第四项 {carried_forward} 之和 {b}，相差 {}",
                        col_zh(*col),
                        diff(a, b)
                    )
                } else {
                    format!(
                        "{}: new_requests {new} + carried_over {carried_over} = {a} but total_processed {processed} + carried_forward {carried_forward} = {b}",
                        col.key()
                    )
                }
            }
            Outcomes { col, total, sum } => {
                if zh {
                    format!(
                        "第（七）项总计应等于（一）至（六）项之和：{}列 总计 {total}，各项之和 {sum}，相差 {}",
                        col_zh(*col),
                        diff(*total, *sum)
                    )
                } else {
                    format!("{}: total_processed {total} but the outcome rows (一)…(六) add up to {sum}", col.key())
                }
            }
            SubtotalRow { group, col, stated, sum } => {
                if zh {
                    format!(
                        "{}：{}列 小计 {stated}，各分项之和 {sum}，相差 {}",
                        group.subtotal_label(),
                        col_zh(*col),
                        diff(*stated, *sum)
                    )
                } else {
                    format!("{}, {}: 小计 {stated} but its rows add up to {sum}", group.subtotal_label(), col.key())
                }
            }
            SubtotalColumn { row, stated, sum } => {
                if zh {
                    format!(
                        "「{}」行：法人或其他组织小计 {stated}，五类之和 {sum}，相差 {}",
                        row.label(),
                        diff(*stated, *sum)
                    )
                } else {
                    format!("{}: 法人或其他组织 小计 {stated} but its five columns add up to {sum}", row.key())
                }
            }
            Review { proceeding, values: v } => {
                let p = &TABLE4_PROCEEDINGS[*proceeding];
                let sum: u64 = v[..4].iter().sum();
                if zh {
                    format!(
                        "表四「{}」：总计 {}，结果维持 {} + 结果纠正 {} + 其他结果 {} + 尚未审结 {} = {sum}，相差 {}",
                        p.label,
                        v[4],
                        v[0],
                        v[1],
                        v[2],
                        v[3],
                        diff(v[4], sum)
                    )
                } else {
                    format!(
                        "{} ({}): total {} but {} + {} + {} + {} = {sum}",
                        p.key, p.label, v[4], v[0], v[1], v[2], v[3]
                    )
                }
            }
            Narrative { said, table } => {
                if zh {
                    format!("正文写收到政府信息公开申请 {said} 件，表三“本年新收”总计为 {table} 件")
                } else {
                    format!("the text says {said} requests were received, table 3 new_requests 总计 is {table}")
                }
            }
            CarryChain { col, carried_over, prev_year, prev_forward } => {
                if zh {
                    format!(
                        "{}列：“上年结转” {carried_over}，但 {prev_year} 年报告的“结转下年度继续办理”为 {prev_forward}，相差 {}",
                        col_zh(*col),
                        diff(*carried_over, *prev_forward)
                    )
                } else {
                    format!(
                        "{}: carried_over {carried_over} but the {prev_year} report carried_forward {prev_forward}",
                        col.key()
                    )
                }
            }
            InForceChain { item, in_force, prev_year, prev_in_force, issued, repealed } => {
                let it = &schema::TABLE2_2021[*item];
                let expected = prev_in_force.checked_add(*issued).and_then(|v| v.checked_sub(*repealed));
                let e = expected.map_or_else(|| "?".to_string(), |v| v.to_string());
                if zh {
                    format!(
                        "{}：现行有效件数 {in_force}，但 {prev_year} 年现行有效 {prev_in_force} + 本年制发 {issued} − 本年废止 {repealed} = {e}",
                        it.label
                    )
                } else {
                    format!(
                        "{}: in_force {in_force} but {prev_year} in_force {prev_in_force} + issued {issued} − repealed {repealed} = {e}",
                        it.key
                    )
                }
            }
            Duplicate { county, unit, year, others } => {
                if zh {
                    format!("{county}{unit}{year}年另有报告：{}；删除其中一份之前都不汇总", others.join("、"))
                } else {
                    format!(
                        "{county} {unit} {year} is also reported by {}; neither is summed until one is removed",
                        others.join(", ")
                    )
                }
            }
            Identical { of } => {
                if zh {
                    format!("与 {of} 完全相同，只汇总一次")
                } else {
                    format!("byte-identical copy of {of}; summed once")
                }
            }
            CountyMismatch { title, folder } => {
                if zh {
                    format!("标题写的是{title}，所在文件夹是{folder}：按标题的{title}汇总")
                } else {
                    format!("the title names {title}, the folder {folder}: summed under {title}, as the title says")
                }
            }
            SameAs { unit, file, more: 0 } => {
                if zh {
                    format!("表三与{unit}（{file}）完全相同，请核实是否照抄")
                } else {
                    format!("table 3 is identical to {unit}'s ({file}): check that it was not copied")
                }
            }
            SameAs { unit, file, more } => {
                if zh {
                    format!("表三与{unit}（{file}）及另外 {more} 个单位完全相同，请核实是否照抄")
                } else {
                    format!(
                        "table 3 is identical to {unit}'s ({file}) and {more} other units': check that it was not copied"
                    )
                }
            }
            UnchangedFromLastYear { prev_year, file } => {
                if zh {
                    format!("表三与 {prev_year} 年报告（{file}）完全相同，请核实是否沿用去年数据")
                } else {
                    format!("table 3 is unchanged from the {prev_year} report ({file}): check it was not copied over")
                }
            }
            AllZeroNow { prev_year, file } => {
                if zh {
                    format!("各表均为 0，而 {prev_year} 年报告（{file}）不是，请核实是否漏填")
                } else {
                    format!(
                        "every table is all zero, while the {prev_year} report ({file}) was not: check nothing was left out"
                    )
                }
            }
        }
    }

    /// The two numbers that should be equal, and the difference, where the
    /// rule compares two numbers (for the workbook's checks sheet).
    pub fn numbers(&self) -> Option<(String, String, String)> {
        use What::*;
        let three = |a: u64, b: u64| Some((a.to_string(), b.to_string(), diff(a, b).to_string()));
        match &self.what {
            RowTotal { total, sum, .. } => three(*total, *sum),
            Balance { new, carried_over, processed, carried_forward, .. } => {
                three(new + carried_over, processed + carried_forward)
            }
            Outcomes { total, sum, .. } => three(*total, *sum),
            SubtotalRow { stated, sum, .. } | SubtotalColumn { stated, sum, .. } => three(*stated, *sum),
            Review { values: v, .. } => three(v[4], v[..4].iter().sum()),
            Narrative { said, table } => three(*said, *table),
            CarryChain { carried_over, prev_forward, .. } => three(*carried_over, *prev_forward),
            InForceChain { in_force, prev_in_force, issued, repealed, .. } => {
                let e = prev_in_force.checked_add(*issued).and_then(|v| v.checked_sub(*repealed))?;
                Some((in_force.to_string(), e.to_string(), in_force.checked_sub(e)?.to_string()))
            }
            _ => None,
        }
    }

    /// The table-3 row the finding is about, if one (for the send-back form).
    pub fn row(&self) -> Option<Row> {
        match &self.what {
            What::RowTotal { row, .. } | What::SubtotalColumn { row, .. } => Some(*row),
            What::Balance { .. } => Some(Row::TotalProcessed),
            What::Outcomes { .. } => Some(Row::TotalProcessed),
            What::CarryChain { .. } => Some(Row::CarriedOver),
            _ => None,
        }
    }

    /// The table-3 column the finding is about, if one.
    pub fn col(&self) -> Option<Col> {
        match &self.what {
            What::Balance { col, .. }
            | What::Outcomes { col, .. }
            | What::SubtotalRow { col, .. }
            | What::CarryChain { col, .. } => Some(*col),
            What::RowTotal { .. } | What::SubtotalColumn { .. } => Some(Col::Total),
            _ => None,
        }
    }
}

/// A check's name as a person reads it (the id checks.csv writes, in English).
pub fn check_name(id: &str, lang: Lang) -> &str {
    let zh = match id {
        "row_total" => "行合计",
        "balance" => "收支平衡",
        "outcomes_total" => "办理结果合计",
        "subtotal" => "小计",
        "review_total" => "复议诉讼合计",
        "narrative" => "正文与表格",
        "carry_chain" => "上年结转衔接",
        "in_force_chain" => "现行有效件数衔接",
        "duplicate" => "重复报送",
        "county_mismatch" => "县名不一致",
        "identical_tables" => "表三雷同",
        "unchanged" => "与上年相同",
        "all_zero" => "全部为零",
        _ => id,
    };
    lang.pick(zh, id)
}

/// A column's name in Chinese, as the form heads it.
fn col_zh(col: Col) -> &'static str {
    match col {
        Col::NaturalPerson => "自然人",
        Col::CommercialEnterprise => "商业企业",
        Col::ResearchInstitution => "科研机构",
        Col::SocialWelfareOrg => "社会公益组织",
        Col::LegalServiceOrg => "法律服务机构",
        Col::OtherOrg => "其他",
        Col::Total => "总计",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(Row, [u64; NCOLS])]) -> Table3 {
        let mut t = Table3 { rows: [None; schema::NROWS3] };
        for r in Row::of_form(false) {
            t.rows[r.index()] = Some([0; NCOLS]);
        }
        for (r, v) in rows {
            t.rows[r.index()] = Some(*v);
        }
        t
    }

    #[test]
    fn a_consistent_table_has_no_finding() {
        let t = table(&[
            (Row::NewRequests, [1, 0, 0, 0, 0, 0, 1]),
            (Row::Granted, [1, 0, 0, 0, 0, 0, 1]),
            (Row::TotalProcessed, [1, 0, 0, 0, 0, 0, 1]),
        ]);
        assert_eq!(table3_arithmetic(&t), vec![]);
    }

    #[test]
    fn each_rule_names_both_numbers() {
        let t = table(&[
            (Row::NewRequests, [12, 0, 0, 0, 0, 0, 12]),
            (Row::Granted, [11, 0, 0, 0, 0, 0, 12]),
            (Row::TotalProcessed, [12, 0, 0, 0, 0, 0, 12]),
        ]);
        let f = table3_arithmetic(&t);
        let ids: Vec<&str> = f.iter().map(|f| f.check).collect();
        assert_eq!(ids, ["row_total", "outcomes_total"]);
        assert_eq!(f[0].detail(Lang::Zh), "「三、本年度办理结果 (一) 予以公开」行：总计 12，六类申请人之和 11，相差 1");
        assert_eq!(
            f[1].detail(Lang::Zh),
            "第（七）项总计应等于（一）至（六）项之和：自然人列 总计 12，各项之和 11，相差 1"
        );
        assert_eq!(f[1].numbers(), Some(("12".into(), "11".into(), "1".into())));
        assert!(f[1].detail(Lang::En).starts_with("natural_person: total_processed 12"));
        assert_eq!(check_name(f[0].check, Lang::Zh), "行合计");
        assert_eq!(check_name(f[0].check, Lang::En), "row_total");
    }
}

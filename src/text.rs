//! Character-level normalisation and number reading, shared by every layout.
//!
//! Reports mix full-width and half-width brackets and digits, put spaces inside
//! labels, and some counties publish in traditional script. Labels are compared
//! only after [`normalize`], which maps each of these variants onto one
//! spelling; numbers are read only by [`parse_number`], so `１２`, `12件` and
//! `1,234` mean the same wherever they occur.

/// The display columns a character takes in a monospaced rendering: two
/// for CJK and other wide characters, one otherwise (what pandoc and
/// pdftotext -layout count when they align columns).
pub fn display_width(c: char) -> usize {
    if (c as u32) >= 0x1100 { 2 } else { 1 }
}

/// Map one character onto its canonical form: full-width ASCII to half-width,
/// the ideographic space to a space, traditional characters that occur in the
/// form's labels and titles to simplified ones. One char in, one char out, so
/// positions in a normalised string are positions in the original.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c; // most characters of a report: nothing to fold
    }
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        '〔' => '[',
        '“' | '”' | '„' | '″' => '"',
        '‘' | '’' | '′' => '\'',
        '〕' => ']',
        '—' | '–' | '−' | '―' => '-',
        _ => t2s(c),
    }
}

/// Traditional-to-simplified pairs for the characters of the form's titles,
/// headings and labels (enough to recognise them; names are written as they
/// appear). Data, not code: [`t2s`] looks them up through a bitmap.
const T2S: &[(char, char)] = &[
    ('後', '后'),
    ('複', '复'),
    ('罰', '罚'),
    ('聯', '联'),
    ('黨', '党'),
    ('鄰', '邻'),
    ('醫', '医'),
    ('療', '疗'),
    ('獎', '奖'),
    ('勵', '励'),
    ('歷', '历'),
    ('隊', '队'),
    ('縣', '县'),
    ('鎮', '镇'),
    ('區', '区'),
    ('鄉', '乡'),
    ('開', '开'),
    ('報', '报'),
    ('處', '处'),
    ('請', '请'),
    ('數', '数'),
    ('結', '结'),
    ('轉', '转'),
    ('與', '与'),
    ('國', '国'),
    ('屬', '属'),
    ('於', '于'),
    ('過', '过'),
    ('執', '执'),
    ('詢', '询'),
    ('補', '补'),
    ('確', '确'),
    ('訪', '访'),
    ('舉', '举'),
    ('訴', '诉'),
    ('復', '复'),
    ('議', '议'),
    ('費', '费'),
    ('務', '务'),
    ('現', '现'),
    ('製', '制'),
    ('廢', '废'),
    ('規', '规'),
    ('範', '范'),
    ('許', '许'),
    ('強', '强'),
    ('課', '课'),
    ('總', '总'),
    ('計', '计'),
    ('類', '类'),
    ('關', '关'),
    ('機', '机'),
    ('這', '这'),
    ('僅', '仅'),
    ('內', '内'),
    ('權', '权'),
    ('護', '护'),
    ('險', '险'),
    ('穩', '稳'),
    ('們', '们'),
    ('無', '无'),
    ('沒', '没'),
    ('讓', '让'),
    ('齊', '齐'),
    ('維', '维'),
    ('糾', '纠'),
    ('審', '审'),
    ('狀', '状'),
    ('況', '况'),
    ('將', '将'),
    ('單', '单'),
    ('項', '项'),
    ('條', '条'),
    ('徵', '征'),
    ('業', '业'),
    ('會', '会'),
    ('組', '组'),
    ('織', '织'),
    ('構', '构'),
    ('書', '书'),
    ('證', '证'),
    ('號', '号'),
    ('為', '为'),
    ('個', '个'),
    ('該', '该'),
    ('產', '产'),
    ('備', '备'),
    ('經', '经'),
    ('濟', '济'),
    ('衛', '卫'),
    ('鐵', '铁'),
    ('運', '运'),
    ('圖', '图'),
    ('見', '见'),
    ('據', '据'),
    ('繳', '缴'),
    ('納', '纳'),
    ('託', '托'),
    ('營', '营'),
    ('問', '问'),
    ('題', '题'),
    ('進', '进'),
    ('覆', '复'),
    ('決', '决'),
    ('盡', '尽'),
    ('寫', '写'),
    ('應', '应'),
    ('辦', '办'),
    ('獲', '获'),
    ('週', '周'),
    ('統', '统'),
    ('當', '当'),
    ('裡', '里'),
    ('實', '实'),
    ('發', '发'),
    ('義', '义'),
    ('責', '责'),
    ('達', '达'),
    ('陽', '阳'),
    ('東', '东'),
    ('張', '张'),
    ('莊', '庄'),
    ('鳳', '凤'),
    ('龍', '龙'),
    ('門', '门'),
    ('興', '兴'),
    ('華', '华'),
    ('寧', '宁'),
    ('蘇', '苏'),
    ('廣', '广'),
    ('灣', '湾'),
    ('橋', '桥'),
    ('灘', '滩'),
    ('嶺', '岭'),
    ('場', '场'),
    ('樓', '楼'),
    ('頭', '头'),
    ('溝', '沟'),
    ('壩', '坝'),
    ('鋪', '铺'),
    ('廳', '厅'),
    ('勞', '劳'),
    ('動', '动'),
    ('錄', '录'),
    ('歲', '岁'),
    ('從', '从'),
    ('來', '来'),
    ('點', '点'),
    ('線', '线'),
    ('網', '网'),
    ('電', '电'),
    ('話', '话'),
    ('資', '资'),
    ('訊', '讯'),
    ('傳', '传'),
    ('質', '质'),
    ('監', '监'),
    ('檢', '检'),
    ('稅', '税'),
    ('財', '财'),
    ('農', '农'),
    ('貿', '贸'),
    ('環', '环'),
    ('態', '态'),
    ('設', '设'),
    ('綜', '综'),
    ('對', '对'),
    ('採', '采'),
    ('購', '购'),
    ('額', '额'),
    ('萬', '万'),
    ('準', '准'),
    ('體', '体'),
    ('說', '说'),
];

/// First and one-past-last code point of the CJK block every [`T2S`] key is in.
const CJK: (u32, u32) = (0x4E00, 0xA000);

/// Traditional-to-simplified through [`T2S`]. Called for every CJK character
/// of every label: a bitmap over the CJK block settles the common case (no
/// mapping) in two instructions; only a marked character is searched for.
fn t2s(c: char) -> char {
    if !has_t2s(c) {
        return c;
    }
    let sorted = t2s_sorted();
    sorted.binary_search_by_key(&c, |p| p.0).map_or(c, |k| sorted[k].1)
}

/// The [`T2S`] keys as a bitmap over the CJK block, built at compile time:
/// looked up for every CJK character of every label.
static T2S_BITS: [u64; ((CJK.1 - CJK.0) as usize).div_ceil(64)] = {
    let mut bits = [0u64; ((CJK.1 - CJK.0) as usize).div_ceil(64)];
    let mut k = 0;
    while k < T2S.len() {
        let i = (T2S[k].0 as u32 - CJK.0) as usize; // every key is in the block (tested)
        bits[i / 64] |= 1 << (i % 64);
        k += 1;
    }
    bits
};

/// The [`T2S`] pairs sorted by key, for the few characters the bitmap marks.
fn t2s_sorted() -> &'static [(char, char)] {
    use std::sync::OnceLock;
    static SORTED: OnceLock<Vec<(char, char)>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let mut sorted = T2S.to_vec();
        sorted.sort_unstable();
        sorted
    })
}

/// Is `c` a traditional character [`T2S`] maps? False for anything outside
/// the CJK block.
fn has_t2s(c: char) -> bool {
    marked(c as u32)
}

/// [`has_t2s`] for a code point (which [`normalize_into`] decodes itself).
#[inline]
fn marked(u: u32) -> bool {
    if !(CJK.0..CJK.1).contains(&u) {
        return false;
    }
    let i = (u - CJK.0) as usize;
    T2S_BITS[i / 64] & (1 << (i % 64)) != 0
}

/// Normalise a label for comparison: [`fold_char`] on every character, all
/// whitespace removed, and a digit followed by `、` or `．` written `1.`, so
/// `（三） 不予公开 1、属于国家秘密` and `(三)不予公开1.属于国家秘密` compare equal.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(&mut out, s);
    out
}

/// [`normalize`], appending to `out` (no allocation of its own). Every
/// label and title goes through here, so the two common cases are settled
/// without the general per-character work: ASCII bytes, and CJK characters
/// that need no folding (copied as they are).
pub fn normalize_into(out: &mut String, s: &str) {
    out.reserve(s.len());
    let mut prev_digit = false;
    let mut rest = s;
    while !rest.is_empty() {
        // The longest run that is copied as it is: ASCII other than
        // whitespace, and CJK characters that need no folding.
        // Scanned as bytes: a CJK character is three bytes led by E4..E9
        // (the text is valid UTF-8, so two more bytes follow such a lead).
        let b = rest.as_bytes();
        let mut run = 0;
        while run < b.len() {
            let x = b[run];
            if x < 0x80 {
                if is_ascii_space(x) {
                    break;
                }
                run += 1;
            } else if (0xE4..=0xE9).contains(&x) {
                let u =
                    (u32::from(x & 0x0F) << 12) | (u32::from(b[run + 1] & 0x3F) << 6) | u32::from(b[run + 2] & 0x3F);
                if !(CJK.0..CJK.1).contains(&u) || marked(u) {
                    break;
                }
                run += 3;
            } else {
                break;
            }
        }
        if run > 0 {
            let (copied, after) = rest.split_at(run);
            out.push_str(copied);
            prev_digit = copied.as_bytes()[run - 1].is_ascii_digit();
            rest = after;
            continue;
        }
        // One character that is folded, dropped or rewritten.
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        let c = fold_char(c);
        if c.is_whitespace() || c == '\u{FEFF}' {
            continue;
        }
        let c = if prev_digit && c == '、' { '.' } else { c };
        prev_digit = c.is_ascii_digit();
        out.push(c);
    }
}

/// Words longer than this are not kept in the normalisation cache.
const NORM_CACHE_WORD: usize = 64;
/// How many words a worker's normalisation cache holds: the form's labels
/// are a few hundred words; the bound keeps odd documents from growing it.
const NORM_CACHE_WORDS: usize = 4096;

thread_local! {
    /// [`normalize_into`]'s answers for the non-ASCII words this worker has
    /// seen. Every report repeats the form's labels word for word, and a
    /// lookup costs a fraction of folding a word character by character.
    static NORM_CACHE: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Box<str>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// [`normalize_into`] for one word (no whitespace inside), through the
/// worker's cache (bounded: `NORM_CACHE_WORDS` words of at most
/// `NORM_CACHE_WORD` bytes). ASCII words are normalised directly: that is
/// as fast as a lookup.
pub fn normalize_word_into(out: &mut String, word: &str) {
    if word.len() > NORM_CACHE_WORD || word.is_ascii() {
        return normalize_into(out, word);
    }
    NORM_CACHE.with_borrow_mut(|cache| {
        if let Some(n) = cache.get(word) {
            out.push_str(n);
            return;
        }
        let start = out.len();
        normalize_into(out, word);
        if cache.len() < NORM_CACHE_WORDS {
            cache.insert(word.into(), out[start..].into());
        }
    })
}

/// The largest count a report may state. A township does not receive a
/// trillion requests; anything larger is a misread number, and keeping every
/// count below this bound means no sum of a million reports can overflow.
pub const MAX_COUNT: u64 = 999_999_999_999;

/// Fixed-point scale of [`Decimal`]: four places, enough for 万元 amounts.
pub const SCALE: i64 = 10_000;

/// An exact decimal (four places) for table 2: fees in 万元 must add up
/// exactly, which binary floating point does not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal(pub i64);

impl Decimal {
    /// A whole number.
    pub fn from_int(v: i64) -> Option<Decimal> {
        v.checked_mul(SCALE).map(Decimal)
    }

    /// Checked addition.
    pub fn checked_add(self, o: Decimal) -> Option<Decimal> {
        self.0.checked_add(o.0).map(Decimal)
    }

    /// Checked subtraction.
    pub fn checked_sub(self, o: Decimal) -> Option<Decimal> {
        self.0.checked_sub(o.0).map(Decimal)
    }

    /// The whole part, when the value has no fraction.
    pub fn as_int(self) -> Option<i64> {
        (self.0 % SCALE == 0).then_some(self.0 / SCALE)
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (int, frac) = (a / SCALE as u64, a % SCALE as u64);
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let s = format!("{frac:04}");
            write!(f, "{sign}{int}.{}", s.trim_end_matches('0'))
        }
    }
}

/// Why a word that looks like a number cannot be used as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// More than [`MAX_COUNT`] (or more digits than any count has).
    TooLarge,
}

/// A word read as a number: an exact value plus what kind of number it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num {
    /// The value.
    pub value: Decimal,
    /// Written as a blank (`-`, `—`, `/`, `无`), which the form reads as 0.
    pub blank: bool,
}

/// Is the word a blank-cell marker (`-`, `—`, `/`, `无`, …)?
pub fn is_blank_marker(word: &str) -> bool {
    let mut chars = word.chars().map(fold_char);
    match chars.next() {
        Some('-') => chars.all(|c| c == '-'),
        Some('/' | '无' | '\\') => chars.next().is_none(),
        _ => false,
    }
}

/// Can a word starting with this (folded) character be a number? A word
/// starting with anything else is text to [`parse_number`].
pub fn may_start_number(first: char) -> bool {
    first.is_ascii_digit() || matches!(first, '-' | '+' | '/' | '\\' | '无')
}

/// Read a word as a number, if it is one: digits (full- or half-width), with an
/// optional sign, thousands separators (`1,234`, `1，234`), decimals and a unit
/// (`12件`); or a blank marker (= 0). `None` means the word is text.
#[inline]
pub fn parse_number(word: &str) -> Option<Result<Num, NumError>> {
    // A table row is mostly a few ASCII digits, and its label words are
    // mostly CJK: both are settled here, inline, three hundred times a report.
    let b = word.as_bytes();
    let first = *b.first()?;
    let count = |v: u64| {
        Some(if v <= MAX_COUNT {
            Ok(Num { value: Decimal(v as i64 * SCALE), blank: false })
        } else {
            Err(NumError::TooLarge)
        })
    };
    if first < 0x80 {
        if word.len() <= 12 && b.iter().all(u8::is_ascii_digit) {
            return count(b.iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0')));
        }
        // An ASCII character folds to itself: a word starting with one that
        // cannot start a number ("(一)", "#", a letter) is text.
        return if may_start_number(char::from(first)) { parse_number_slow(word) } else { None };
    }
    // Full-width digits (０-９: EF BC 90-99), as converters of some offices
    // write every value; the same twelve digits at most.
    if first == 0xEF && word.len() <= 36 && word.len().is_multiple_of(3) {
        let fw = b.chunks_exact(3).try_fold(0u64, |v, c| match c {
            [0xEF, 0xBC, d @ 0x90..=0x99] => Some(v * 10 + u64::from(d - 0x90)),
            _ => None,
        });
        if let Some(v) = fw {
            return count(v);
        }
    }
    if !may_lead_number(b) {
        return None;
    }
    parse_number_slow(word)
}

/// Can a word starting with this character (not ASCII; its UTF-8 bytes)
/// be a number, i.e. does it fold to one that [`may_start_number`]? Only
/// full-width digits and ＋ － ／ ＼, the dashes — – ― − and 无/無 do: a label
/// word such as （一） is settled here by its bytes. A test holds this to
/// [`fold_char`] for every character.
#[inline]
fn may_lead_number(b: &[u8]) -> bool {
    matches!(
        b,
        [0xEF, 0xBC, 0x8B | 0x8D | 0x8F | 0x90..=0x99 | 0xBC, ..]
            | [0xE2, 0x80, 0x93..=0x95, ..]
            | [0xE2, 0x88, 0x92, ..]
            | [0xE6, 0x97, 0xA0, ..]
            | [0xE7, 0x84, 0xA1, ..]
    )
}

/// [`parse_number`] for the words its inline checks leave open.
fn parse_number_slow(word: &str) -> Option<Result<Num, NumError>> {
    // Most words are text: settle them without allocating.
    if !may_start_number(fold_char(word.chars().next()?)) {
        return None;
    }
    if is_blank_marker(word) {
        return Some(Ok(Num { value: Decimal(0), blank: true }));
    }
    // Only these characters (once folded) can make a number; a word with any
    // other ("1.属于", "2024年") is text, settled without allocating.
    if !word
        .chars()
        .map(fold_char)
        .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+' | '件' | '条' | '个' | '项' | '次'))
    {
        return None;
    }
    // Folded only if it has to be: "1.", "0.35" and "1,234" are ASCII already.
    // Folded onto the stack: every character left is ASCII but the units,
    // which become 'U' (a unit anywhere but at the end makes the word text,
    // as the checks below find).
    let folded: smallvec::SmallVec<[u8; 32]> =
        word.chars().map(|c| u8::try_from(fold_char(c)).ok().filter(u8::is_ascii).unwrap_or(b'U')).collect();
    let w = std::str::from_utf8(&folded).ok()?; // ASCII
    let w = w.trim_end_matches('U');
    let (neg, body) = match w.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, w.strip_prefix('+').unwrap_or(w)),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() || !valid_int(int_part) {
        return None;
    }
    if let Some(f) = frac_part
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    // The digits, commas skipped (valid_int checked them); anything above
    // MAX_COUNT is too large, however many digits it has.
    let mut int: u64 = 0;
    for b in int_part.bytes().filter(|&b| b != b',') {
        int = int.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    if int > MAX_COUNT {
        return Some(Err(NumError::TooLarge));
    }
    let mut frac_units: i64 = 0;
    if let Some(f) = frac_part {
        // Beyond four places the value cannot be kept exact: treat as too precise.
        if f.len() > 4 {
            return None;
        }
        // "35" is 0.35: 3500 ten-thousandths.
        let digits = f.bytes().fold(0i64, |v, b| v * 10 + i64::from(b - b'0'));
        frac_units = digits * 10i64.pow(4 - f.len() as u32);
    }
    let v = (int as i64) * SCALE + frac_units;
    Some(Ok(Num { value: Decimal(if neg { -v } else { v }), blank: false }))
}

fn valid_int(s: &str) -> bool {
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return false;
    }
    if !s.contains(',') {
        return true;
    }
    // Thousands separators must group by three: 1,234 or 12,345,678.
    let groups: Vec<&str> = s.split(',').collect();
    !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
}

/// Does the text hold one of - / － ／ — – − ― 页 (the characters
/// [`fold_char`] turns into a dash, a slash or 页)? Compared as UTF-8 bytes.
fn has_marker_char(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'-' | b'/' => return true,
            0xE2 | 0xE9 | 0xEF if i + 2 < b.len() => {
                if matches!(
                    (b[i], b[i + 1], b[i + 2]),
                    (0xE2, 0x80, 0x93..=0x95) | (0xE2, 0x88, 0x92) | (0xE9, 0xA1, 0xB5) | (0xEF, 0xBC, 0x8D | 0x8F)
                ) {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Is the line a page header or footer a converter left inside a table
/// (`- 4 -`, `— 5 —`, `第 3 页`, `3/7`)? Such lines carry no cell.
pub fn is_page_marker(line: &str) -> bool {
    // A page marker is a few short words, wherever the converter indented
    // it, with a dash, a slash or 页 (one of - / － ／ — – − ― 页: what
    // fold_char turns into them), and it starts with a dash, a digit, 第, 共
    // or 页 (or a U+FEFF the normaliser drops). Most lines (labels, prose)
    // are settled by their first character, a short line without a marker
    // character (a value) by one pass over its bytes, a long one by its length.
    let b = line.as_bytes();
    let start = skip_spaces(b, 0);
    let lead = match b.get(start) {
        None => return false,
        Some(&x) if x < 0x80 => x == b'-' || x.is_ascii_digit() || is_ascii_space(x),
        Some(_) => line[start..].chars().next().is_some_and(|c| c.is_whitespace() || may_start_marker(fold_char(c))),
    };
    if !lead || (b.len() - start <= 40 && !has_marker_char(&b[start..])) {
        return false;
    }
    let line = trim(line);
    if !line.chars().next().map(fold_char).is_some_and(may_start_marker) {
        return false;
    }
    if line.len() > 40 || !has_marker_char(line.as_bytes()) || line.split_whitespace().count() > 4 {
        return false;
    }
    // The line normalised (at most 40 characters), as characters on the
    // stack: only the few lines a report has that look like markers get here.
    let n: smallvec::SmallVec<[char; 64]> = normalize(line).chars().collect();
    let num = |s: &[char]| !s.is_empty() && s.iter().all(char::is_ascii_digit);
    // "- 4 -", "— 5 —": dashes on both sides (a lone "-2" is a value).
    if let (Some('-'), Some('-')) = (n.first(), n.last()) {
        let a = n.iter().position(|&c| c != '-').unwrap_or(n.len());
        let b = n.iter().rposition(|&c| c != '-').map_or(a, |k| k + 1);
        if num(&n[a..b.max(a)]) {
            return true;
        }
    }
    // "3/7" as one word (a row "1 1 1 1 1 / 5" is values).
    if !line.contains(char::is_whitespace)
        && let Some(k) = n.iter().position(|&c| c == '/')
    {
        return num(&n[..k]) && num(&n[k + 1..]);
    }
    // "第3页", "第3页共7页", "共7页第3页"
    let pages: smallvec::SmallVec<[char; 64]> =
        n.iter().copied().filter(|c| !matches!(c, '共' | '第' | '页')).collect();
    n.contains(&'页') && num(&pages)
}

/// Can a page marker start with this (folded) character?
fn may_start_marker(c: char) -> bool {
    c == '-' || c.is_ascii_digit() || matches!(c, '第' | '共' | '页' | '\u{FEFF}')
}

/// Is the byte an ASCII character `char::is_whitespace` counts (note U+000B,
/// which `u8::is_ascii_whitespace` does not)?
#[inline]
pub fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// The index of the first byte at or after `i` that is not an ASCII space.
/// A space-aligned line is mostly runs of spaces (a dozen to eighty bytes
/// between its words): they are passed eight bytes at a time.
#[inline]
pub fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) ^ SPACES;
        if x != 0 {
            // The lowest non-zero byte is the first that is not a space.
            return i + (x.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// The index just past the last byte before `j` that is not an ASCII space
/// (0 if there is none): [`skip_spaces`] backwards.
#[inline]
pub fn skip_spaces_back(b: &[u8], mut j: usize) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while j >= 8 {
        let x = u64::from_le_bytes(b[j - 8..j].try_into().unwrap_or([0; 8])) ^ SPACES;
        if x != 0 {
            // The highest non-zero byte is the last that is not a space.
            return j - (x.leading_zeros() / 8) as usize;
        }
        j -= 8;
    }
    while j > 0 && b[j - 1] == b' ' {
        j -= 1;
    }
    j
}

/// `s.trim_start()`. A space-aligned line starts with dozens of spaces, which
/// `str::trim_start` decodes and looks up one by one; here they are passed
/// over as bytes, and a first character that cannot be whitespace (ASCII, or
/// a three- or four-byte character from U+4000 up, such as CJK) settles it.
/// Anything else goes to `str::trim_start`.
#[inline]
pub fn trim_start(s: &str) -> &str {
    let i = skip_spaces(s.as_bytes(), 0);
    let rest = &s[i..]; // after ASCII spaces: a boundary
    if rest.is_empty() || starts_unspaced(rest.as_bytes()) { rest } else { rest.trim_start() }
}

/// Is the first character of `b` (UTF-8) surely not whitespace, by its
/// first byte: ASCII other than whitespace, or the lead of a character from
/// U+4000 up (CJK; no whitespace character is above U+3000)? `false` says
/// "look closer", not "whitespace".
#[inline]
pub fn starts_unspaced(b: &[u8]) -> bool {
    matches!(b.first(), Some(&x) if (x < 0x80 && !is_ascii_space(x)) || x >= 0xE4)
}

/// [`starts_unspaced`] for the last character: an ASCII byte other than
/// whitespace, or a continuation byte whose character starts two bytes back
/// with a lead of U+4000 or above (valid UTF-8: that lead owns both bytes).
#[inline]
pub fn ends_unspaced(b: &[u8]) -> bool {
    match b.last() {
        None => false,
        Some(&x) if x < 0x80 => !is_ascii_space(x),
        Some(_) => b.len() >= 3 && (0xE4..0xF0).contains(&b[b.len() - 3]),
    }
}

/// `s.trim_end()`, the same way as [`trim_start`]: trailing ASCII spaces as
/// bytes, then a last character that cannot be whitespace settles it.
#[inline]
pub fn trim_end(s: &str) -> &str {
    let j = skip_spaces_back(s.as_bytes(), s.len());
    let rest = &s[..j]; // before ASCII spaces: a boundary
    if rest.is_empty() || ends_unspaced(rest.as_bytes()) { rest } else { rest.trim_end() }
}

/// `s.trim()`: [`trim_end`] of [`trim_start`].
#[inline]
pub fn trim(s: &str) -> &str {
    trim_end(trim_start(s))
}

/// `count` strings of up to `max_len - 1` characters drawn from `pool`, the
/// same for the same `seed`: inputs for tests that pit a fast path against
/// the plain rule it replaces.
#[cfg(test)]
pub(crate) fn random_strings(pool: &str, count: usize, max_len: u64, seed: u64) -> Vec<String> {
    let pool: Vec<char> = pool.chars().collect();
    let mut next = random_below(seed);
    (0..count)
        .map(|_| {
            // Drawn afresh for every string: an empty string must not stop
            // the generator (every later string would be empty too).
            let n = next(max_len as usize);
            (0..n).map(|_| pool[next(pool.len())]).collect()
        })
        .collect()
}

/// A generator of numbers below `n` (each call's argument), the same for
/// the same `seed`: for tests that build random inputs from pieces.
#[cfg(test)]
pub(crate) fn random_below(seed: u64) -> impl FnMut(usize) -> usize {
    let mut x = seed;
    // A step of an LCG, its high bits (the low bits repeat soon).
    move |n| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) as usize % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(w: &str) -> Option<i64> {
        parse_number(w).map(|r| r.unwrap().value.0 / SCALE)
    }

    #[test]
    fn cached_normalisation_is_normalisation() {
        // Words drawn from a small pool repeat, so most are answered by the cache.
        let words = random_strings("興國縣（三）1、２属于—a\u{feff}", 5000, 6, 13);
        for w in words.iter().chain(words.iter()) {
            let (mut a, mut b) = (String::from("x"), String::from("x"));
            normalize_word_into(&mut a, w);
            normalize_into(&mut b, w);
            assert_eq!(a, b, "{w:?}");
        }
        assert!(NORM_CACHE.with_borrow(|c| c.len()) > 100, "the words were cached");
    }

    #[test]
    fn space_skips() {
        for s in random_strings("   a", 3000, 40, 3) {
            let b = s.as_bytes();
            for i in 0..=b.len() {
                let want = (i..b.len()).find(|&k| b[k] != b' ').unwrap_or(b.len());
                assert_eq!(skip_spaces(b, i), want, "{s:?} from {i}");
                let back = (0..i).rev().find(|&k| b[k] != b' ').map_or(0, |k| k + 1);
                assert_eq!(skip_spaces_back(b, i), back, "{s:?} back from {i}");
            }
        }
    }

    #[test]
    fn fast_trims_are_std_trims() {
        let pool = "  \t\u{b}\u{c}\r\n1a\u{3000}\u{a0}\u{85}\u{2003}\u{1680}规章（—é𝟙\u{feff}\u{4000}\u{3fff}";
        for s in random_strings(pool, 5000, 10, 7) {
            assert_eq!(trim_start(&s), s.trim_start(), "{s:?}");
            assert_eq!(trim_end(&s), s.trim_end(), "{s:?}");
            assert_eq!(trim(&s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn numbers_in_their_written_forms() {
        assert_eq!(val("12"), Some(12));
        assert_eq!(val("１２"), Some(12));
        assert_eq!(val("12件"), Some(12));
        assert_eq!(val("1,234"), Some(1234));
        assert_eq!(val("1，234"), Some(1234));
        assert_eq!(val("-3"), Some(-3));
        assert_eq!(val("—"), Some(0));
        assert_eq!(val("/"), Some(0));
        assert_eq!(val("无"), Some(0));
        assert_eq!(parse_number("0.35").unwrap().unwrap().value, Decimal(3500));
        // Folded words with units: only at the end are they units.
        assert_eq!(val("１，２３４件"), Some(1234));
        assert_eq!(val("－１２个"), Some(-12));
        assert_eq!(parse_number("１.５项").unwrap().unwrap().value, Decimal(15000));
        for text in ["1件2", "１件２", "1.件5", "件", "1,2件3", "１２件件x"] {
            assert_eq!(parse_number(text), None, "{text}");
        }
        assert_eq!(val("１２件件"), Some(12));
    }

    #[test]
    fn decimals_and_separators() {
        let v = |w: &str| parse_number(w).map(|r| r.map(|n| n.value));
        assert_eq!(v("0.35"), Some(Ok(Decimal(3500))));
        assert_eq!(v("1.71"), Some(Ok(Decimal(17100))));
        assert_eq!(v("12.0001"), Some(Ok(Decimal(120001))));
        assert_eq!(v("１２．５"), Some(Ok(Decimal(125000))));
        assert_eq!(v("-1,234.5"), Some(Ok(Decimal(-12345000))));
        assert_eq!(v("12,345,678件"), Some(Ok(Decimal(123456780000))));
        assert_eq!(v("1.23456"), None, "too precise to keep exact");
        assert_eq!(v("999,999,999,999"), Some(Ok(Decimal(9999999999990000))));
        assert_eq!(v("1,000,000,000,000"), Some(Err(NumError::TooLarge)));
        assert_eq!(v("99999999999999999999999.5"), Some(Err(NumError::TooLarge)), "beyond u64 too");
    }

    #[test]
    fn text_is_not_a_number() {
        for w in ["1.", "1.属于", "2024年", "12,34", "abc", "", "1,2345", "(一)"] {
            assert_eq!(parse_number(w), None, "{w}");
        }
    }

    #[test]
    fn full_width_digits_read_inline_as_the_general_rule_reads_them() {
        // Every run of one to thirteen full-width digits of a sample, mixed
        // runs and near misses: the inline answer is parse_number_slow's.
        let words = random_strings("０１２３４５６７８９", 3000, 15, 3)
            .into_iter()
            .chain(random_strings("０１９9－，", 1000, 6, 4))
            .chain(
                ["０", "０００", "９９９９９９９９９９９９", "１０００００００００００００", "\u{FF10}\u{FF1A}"]
                    .map(String::from),
            );
        for w in words {
            assert_eq!(parse_number(&w), parse_number_slow(&w), "{w}");
        }
        assert_eq!(parse_number("１２"), parse_number("12"));
    }

    #[test]
    fn inline_answers_are_the_general_rule_s() {
        // Words of digits, signs, units, separators, letters and CJK, in
        // both widths: parse_number's shortcuts answer as parse_number_slow.
        let pool = "0129０９-+/\\,.，．件个a(（)一无無—－／年 ";
        let mut numbers = 0;
        for w in random_strings(pool, 50_000, 7, 17) {
            let want = parse_number_slow(&w);
            assert_eq!(parse_number(&w), want, "{w:?}");
            numbers += usize::from(matches!(want, Some(Ok(_))));
        }
        assert!(numbers > 2000, "only {numbers} numbers");
    }

    #[test]
    fn too_large_is_an_error_not_a_wrap() {
        assert_eq!(parse_number("1000000000000"), Some(Err(NumError::TooLarge)));
        assert_eq!(parse_number("99999999999999999999999"), Some(Err(NumError::TooLarge)));
    }

    #[test]
    fn normalize_folds_variants() {
        assert_eq!(normalize("（三） 不予公开 1、属于国家秘密"), "(三)不予公开1.属于国家秘密");
        assert_eq!(normalize("(七) 总计"), "(七)总计");
        assert_eq!(normalize("興國縣良村鎮"), "兴国县良村镇");
        assert_eq!(normalize("１．属于"), "1.属于");
    }

    #[test]
    fn number_first_characters_are_those_that_fold_to_one() {
        for u in 0x80..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(may_lead_number(c.to_string().as_bytes()), may_start_number(fold_char(c)), "U+{u:04X}");
        }
    }

    #[test]
    fn page_marker_byte_filter_lets_every_marker_character_through() {
        for c in ['-', '/', '－', '／', '—', '–', '−', '―', '页'] {
            assert!(matches!(fold_char(c), '-' | '/' | '页'), "{c}");
            let lead = c.to_string().as_bytes()[0];
            assert!(matches!(lead, b'-' | b'/' | 0xE2 | 0xE9 | 0xEF), "{c}");
        }
        // has_marker_char finds exactly the characters that fold to them.
        for u in 0..0x3_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let s = format!("a{c}b");
            assert_eq!(has_marker_char(s.as_bytes()), matches!(fold_char(c), '-' | '/' | '页'), "U+{u:04X}");
        }
        assert!(has_marker_char("页".as_bytes()) && !has_marker_char("頁".as_bytes()));
    }

    /// The version with allocations that is_page_marker replaced.
    fn is_page_marker_by_strings(line: &str) -> bool {
        let line = line.trim();
        if line.len() > 40 || !has_marker_char(line.as_bytes()) || line.split_whitespace().count() > 4 {
            return false;
        }
        let n = normalize(line);
        let num = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        let inner = n.trim_matches('-');
        if n.starts_with('-') && n.ends_with('-') && num(inner) {
            return true;
        }
        if !line.contains(char::is_whitespace)
            && let Some((a, b)) = n.split_once('/')
        {
            return num(a) && num(b);
        }
        let pages = n.replace("共", "").replace("第", "").replace("页", "");
        n.contains('页') && num(&pages)
    }

    #[test]
    fn page_markers_on_the_stack_agree_with_strings() {
        let pool = "- 4—/／第页共3７1、\u{feff}\u{3000}a規－―\t";
        let mut hits = 0;
        for s in random_strings(pool, 30000, 12, 11) {
            let want = is_page_marker_by_strings(&s);
            assert_eq!(is_page_marker(&s), want, "{s:?}");
            hits += usize::from(want);
        }
        assert!(hits > 100, "only {hits} markers among the random lines");
    }

    #[test]
    fn page_markers() {
        for l in ["- 4 -", "— 5 —", "第 3 页", "第3页 共7页", "3/7", &format!("{}- 4 -", " ".repeat(60))] {
            assert!(is_page_marker(l), "{l}");
        }
        for l in ["4", "0 0 0", "规章 0 0 0", "(七) 总计", "-2", "— — — — — 9 9", "1 1 1 1 1 / 5", "- 4"]
        {
            assert!(!is_page_marker(l), "{l}");
        }
    }

    #[test]
    fn traditional_table_is_in_the_cjk_block_and_maps_one_way() {
        for &(t, s) in T2S {
            assert!((CJK.0..CJK.1).contains(&(t as u32)), "{t}");
            assert_eq!(fold_char(t), s);
            assert_eq!(fold_char(s), s, "{s} is simplified already");
        }
        assert_eq!(fold_char('人'), '人');
        assert_eq!(fold_char('Ａ'), 'A');
    }

    #[test]
    fn normalize_fast_paths_agree_with_the_char_by_char_rule() {
        let slow = |s: &str| -> String {
            let mut out = String::new();
            let mut prev_digit = false;
            for c in s.chars().map(fold_char) {
                if c.is_whitespace() || c == '\u{FEFF}' {
                    continue;
                }
                let c = if prev_digit && c == '、' { '.' } else { c };
                prev_digit = c.is_ascii_digit();
                out.push(c);
            }
            out
        };
        // Random strings over the characters that take each path.
        // (With the edges of the CJK block: 䶵 U+4DB5 and 丁 U+4E01 share the
        // lead byte E4, 鿿 U+9FFF and ꀀ U+A000 the leads E9 and EA.)
        let cases = random_strings("1０a 、\t\u{b}\u{3000}\u{FEFF}—興县（)．·é\n䶵丁鿿ꀀ㐀", 2000, 12, 12345);
        for s in cases.iter().map(String::as_str).chain([
            "（三） 不予公开 1、属于国家秘密",
            "興國縣\u{b}良村鎮 人民政府\u{3000}２、３",
            "12、a 1 、b\u{FEFF}c\u{a0}d\t\r\n\u{c}e—f",
            "一、总体情况2、",
            "",
        ]) {
            assert_eq!(normalize(s), slow(s), "{s}");
        }
    }

    #[test]
    fn fast_and_slow_number_paths_agree() {
        assert_eq!(val("0"), Some(0));
        assert_eq!(val("007"), Some(7));
        assert_eq!(val("999999999999"), Some(999_999_999_999));
        assert_eq!(parse_number("999999999999").unwrap().unwrap(), parse_number("999,999,999,999").unwrap().unwrap());
        assert_eq!(parse_number("123"), parse_number("１２３"));
    }

    #[test]
    fn decimal_display() {
        assert_eq!(Decimal(3500).to_string(), "0.35");
        assert_eq!(Decimal(120000).to_string(), "12");
        assert_eq!(Decimal(-5000).to_string(), "-0.5");
    }
}

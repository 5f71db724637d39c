//! Folding: one character onto its canonical form ([`fold_char`]:
//! full-width to half-width, the quote and dash variants, traditional to
//! simplified through a bitmap over the CJK block), whole strings normalised
//! for comparison (all whitespace removed, a digit's `、` written `.`), and a
//! worker's bounded cache of normalised words.
//!
//! It owns what counts as the same spelling; it knows nothing of numbers or
//! of the form's labels, only of characters.

use super::is_ascii_space;

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
pub(super) const T2S: &[(char, char)] = &[
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
pub(super) const CJK: (u32, u32) = (0x4E00, 0xA000);

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
    pub(super) static NORM_CACHE: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Box<str>>> =
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

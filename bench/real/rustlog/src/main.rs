// rustlog: a log processor of the kind users bring, on real crates (regex, serde with derive,
// serde_json; Debian's librust-*-dev sources). It generates a deterministic mix of log lines in
// memory (web access log, application log, JSON lines, syslog, logfmt, some garbage), classifies
// them with a RegexSet, parses each with regex captures, builds serde-derived events, round-trips
// every event through JSON text and through serde_json::Value, feeds them to detectors behind
// `dyn Detector`, and prints summaries and a checksum. No file or clock is read; the one host
// random_get is std's, for the hash keys of regex's internal HashMaps (the output does not depend
// on them).
use regex::{Captures, Regex, RegexBuilder, RegexSet};
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map as JsonMap, Value};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::{self, Write as _};
use std::hash::BuildHasherDefault;

// std's RandomState asks the host for random keys and iterates in a different order each run: a
// fixed-key hasher keeps the run deterministic.
type Fixed = BuildHasherDefault<DefaultHasher>;
type HMap<K, V> = HashMap<K, V, Fixed>;
type HSet<K> = HashSet<K, Fixed>;

const LINES: usize = 12_000;

// ---- deterministic input ---------------------------------------------------------------------
#[path = "../../common/bench_rng.rs"]
mod bench_rng;
use bench_rng::Rng;

impl Rng {
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u32) as usize]
    }
    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

struct Fnv(u64);
impl Fnv {
    fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ *b as u64).wrapping_mul(0x100000001b3);
        }
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x100000001b3);
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const USERS: [&str; 12] = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "root"];
const HOSTS: [&str; 5] = ["web-01", "web-02", "db-main", "cache.eu-west", "batch-7"];
const PATHS: [&str; 10] = [
    "/api/v1/users/{}", "/api/v1/orders/{}/items", "/static/app.{}.js", "/login", "/healthz",
    "/api/v2/search", "/api/v1/carts/{}", "/img/{}/thumb.png", "/admin/reports/{}", "/",
];
const AGENTS: [&str; 7] = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:108.0) Gecko/20100101 Firefox/108.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.2 Safari/605.1.15",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/7.88.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36 Edg/108.0.1462.54",
    "python-requests/2.28.1",
];
const MODULES: [&str; 6] = ["payment", "auth::session", "orders", "search::index", "mailer", "inventory::sync"];
const SERVICES: [&str; 5] = ["auth", "billing", "gateway", "recommender", "notifier"];
const REGIONS: [&str; 4] = ["eu-west-1", "us-east-1", "ap-south-1", "sa-east-1"];

fn ip(rng: &mut Rng) -> String {
    // a few busy addresses, many rare ones
    if rng.chance(40) {
        format!("10.0.{}.{}", rng.below(3), rng.below(8))
    } else {
        format!("{}.{}.{}.{}", 11 + rng.below(200), rng.below(256), rng.below(256), 1 + rng.below(254))
    }
}

struct Clock {
    secs: u32, // seconds since 2026-12-01T00:00:00Z
}
impl Clock {
    fn tick(&mut self, rng: &mut Rng) -> u32 {
        self.secs += rng.below(3);
        self.secs
    }
}

fn hms(secs: u32) -> (u32, u32, u32, u32) {
    (1 + secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60)
}

fn gen_access(rng: &mut Rng, t: u32) -> String {
    let (d, h, m, s) = hms(t);
    let path = rng.pick(&PATHS).replace("{}", &(1 + rng.below(5000)).to_string());
    let method = *rng.pick(&["GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]);
    let query = match rng.below(5) {
        0 => format!("?page={}&sort={}", rng.below(20), rng.pick(&["asc", "desc"])),
        1 => format!("?q={}&lang=en&limit={}", rng.pick(&["shoes", "red+hat", "caf%C3%A9", "rust"]), 10 * (1 + rng.below(5))),
        _ => String::new(),
    };
    let status = *rng.pick(&[200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 404, 429, 500, 502, 503]);
    let bytes = if status == 204 || status == 304 { "-".to_string() } else { (120 + rng.below(90_000)).to_string() };
    let user = if rng.chance(30) { rng.pick(&USERS).to_string() } else { "-".to_string() };
    let referer = if rng.chance(50) { "-".to_string() } else { format!("https://shop.example.com{}", rng.pick(&PATHS).replace("{}", "7")) };
    let rt = rng.below(900) as f64 / 1000.0 + if rng.chance(5) { 2.0 + rng.below(4) as f64 } else { 0.0 };
    format!(
        "{} - {} [{:02}/Dec/2026:{:02}:{:02}:{:02} +0000] \"{} {}{} HTTP/{}\" {} {} \"{}\" \"{}\" {:.3}",
        ip(rng), user, d, h, m, s, method, path, query, rng.pick(&["1.1", "1.1", "2", "1.0"]), status, bytes, referer,
        rng.pick(&AGENTS), rt
    )
}

fn gen_app(rng: &mut Rng, t: u32) -> String {
    let (d, h, m, s) = hms(t);
    let level = *rng.pick(&["INFO", "INFO", "INFO", "DEBUG", "WARN", "WARN", "ERROR", "TRACE", "FATAL"]);
    let user = *rng.pick(&USERS);
    let msg = match rng.below(8) {
        0 => format!("charge accepted (order_id={}, amount_cents={}, currency=EUR)", rng.below(100_000), 100 + rng.below(50_000)),
        1 => format!("upstream {} after {}ms (attempt={}, peer=10.1.{}.{})", rng.pick(&["Timeout", "TIMED OUT", "timeout", "refused"]), 100 * (1 + rng.below(40)), 1 + rng.below(4), rng.below(4), rng.below(50)),
        2 => format!("user {} logged in from session {:08x} (mfa={})", user, rng.next(), rng.pick(&["true", "false"])),
        3 => format!("sent mail to {}.{}@example.{} (template=\"{}\", bytes={})", user, rng.below(100), rng.pick(&["com", "org", "co.uk"]), rng.pick(&["welcome", "reset password", "invoice"]), 500 + rng.below(20_000)),
        4 => format!("reindexed {} documents in {}.{:03}s (shard={}, deleted={})", rng.below(10_000), rng.below(30), rng.below(1000), rng.below(16), rng.below(50)),
        5 => format!("Deadlock detected on table orders, retrying (attempt={}, wait_ms={})", 1 + rng.below(3), 10 * rng.below(100)),
        6 => format!("stock level for sku-{} is {} (warehouse={}, threshold={})", rng.below(3000), rng.below(40), rng.pick(&["ams", "fra", "dub"]), 5 + rng.below(10)),
        _ => format!("thread PANICKED at 'index out of bounds: the len is {} but the index is {}' (job_id={})", rng.below(10), 10 + rng.below(10), rng.below(1 << 20)),
    };
    format!("2026-12-{:02}T{:02}:{:02}:{:02}.{:03}Z {} [worker-{}] {}: {}", d, h, m, s, rng.below(1000), level, rng.below(8), rng.pick(&MODULES), msg)
}

fn gen_json(rng: &mut Rng, t: u32) -> String {
    let (d, h, m, s) = hms(t);
    let mut v = json!({
        "ts": format!("2026-12-{:02}T{:02}:{:02}:{:02}Z", d, h, m, s),
        "level": *rng.pick(&["info", "warn", "error", "debug", "WARN", "Error"]),
        "service": *rng.pick(&SERVICES),
        "msg": *rng.pick(&["request served", "cache miss", "retrying call", "circuit open", "token refreshed", "slow query"]),
        "latency_ms": rng.below(2500),
    });
    let o = v.as_object_mut().unwrap();
    if rng.chance(60) {
        let tags: Vec<Value> = (0..rng.below(4)).map(|i| Value::from(format!("t{}", (i + rng.below(6)) % 6))).collect();
        o.insert("tags".into(), Value::Array(tags));
    }
    if rng.chance(50) {
        o.insert("ctx".into(), json!({ "region": *rng.pick(&REGIONS), "attempt": 1 + rng.below(3), "user": *rng.pick(&USERS) }));
    }
    if rng.chance(20) {
        o.insert("trace_id".into(), Value::String(format!("{:08x}{:08x}", rng.next(), rng.next())));
    }
    if rng.chance(10) {
        o.insert("sampled".into(), Value::Bool(rng.chance(50)));
    }
    serde_json::to_string(&v).unwrap()
}

fn gen_syslog(rng: &mut Rng, t: u32) -> String {
    let (d, h, m, s) = hms(t);
    let host = *rng.pick(&HOSTS);
    let (prog, msg) = match rng.below(6) {
        0 | 1 | 2 => {
            let ok = rng.chance(30);
            let invalid = !ok && rng.chance(40);
            let user = if invalid { rng.pick(&["admin", "oracle", "test", "ubuntu", "pi"]).to_string() } else { rng.pick(&USERS).to_string() };
            // brute force: a few addresses hammer the host
            let from = if !ok && rng.chance(60) { format!("203.0.113.{}", rng.below(4)) } else { ip(rng) };
            (
                format!("sshd[{}]", 1000 + rng.below(30_000)),
                format!(
                    "{} {} for {}{} from {} port {} ssh2",
                    if ok { "Accepted" } else { "Failed" },
                    if ok { *rng.pick(&["publickey", "password"]) } else { *rng.pick(&["password", "keyboard-interactive/pam"]) },
                    if invalid { "invalid user " } else { "" },
                    user, from, 1024 + rng.below(60_000)
                ),
            )
        }
        3 => ("kernel".to_string(), format!("Out of memory: Killed process {} ({}) total-vm:{}kB", rng.below(60_000), rng.pick(&["java", "postgres", "node", "python3"]), 100_000 + rng.below(9_000_000))),
        4 => (format!("CRON[{}]", rng.below(60_000)), format!("({}) CMD (run-parts /etc/cron.{})", rng.pick(&USERS), rng.pick(&["hourly", "daily"]))),
        _ => (format!("systemd[{}]", 1), format!("{}.service: Main process exited, code=exited, status={}/FAILURE", rng.pick(&["nginx", "redis", "worker"]), 1 + rng.below(3))),
    };
    format!("<{}>{} {:>2} {:02}:{:02}:{:02} {} {}: {}", rng.below(192), MONTHS[11], d, h, m, s, host, prog, msg)
}

fn gen_logfmt(rng: &mut Rng, t: u32) -> String {
    let (d, h, m, s) = hms(t);
    let mut line = format!(
        "time=2026-12-{:02}T{:02}:{:02}:{:02}Z level={} msg=\"{}\" method={} path={} status={} dur={}",
        d, h, m, s,
        rng.pick(&["info", "warn", "error"]),
        rng.pick(&["request done", "request failed", "backend \\\"slow\\\""]),
        rng.pick(&["GET", "POST"]),
        rng.pick(&PATHS).replace("{}", &rng.below(100).to_string()),
        rng.pick(&[200, 200, 404, 500]),
        match rng.below(4) {
            0 => format!("{}ms", rng.below(2000)),
            1 => format!("{}.{}s", rng.below(5), rng.below(10)),
            2 => format!("{}µs", rng.below(900)),
            _ => format!("{}us", rng.below(900)),
        }
    );
    if rng.chance(40) {
        write!(line, " region={} user={}", rng.pick(&REGIONS), rng.pick(&USERS)).unwrap();
    }
    line
}

fn gen_garbage(rng: &mut Rng) -> String {
    let n = 5 + rng.below(60);
    (0..n).map(|_| (b' ' + rng.below(95) as u8) as char).collect()
}

fn generate(seed: u64, count: usize) -> Vec<String> {
    let mut rng = Rng(seed);
    let mut clock = Clock { secs: 6 * 86400 + 9 * 3600 };
    (0..count)
        .map(|_| {
            let t = clock.tick(&mut rng);
            match rng.below(100) {
                0..=34 => gen_access(&mut rng, t),
                35..=59 => gen_app(&mut rng, t),
                60..=74 => gen_json(&mut rng, t),
                75..=89 => gen_syslog(&mut rng, t),
                90..=97 => gen_logfmt(&mut rng, t),
                _ => gen_garbage(&mut rng),
            }
        })
        .collect()
}

// ---- events (serde-derived) ------------------------------------------------------------------
/// Seconds since 2026-12-01T00:00:00Z, written as an RFC 3339 string in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Timestamp(u32);

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (d, h, m, s) = hms(self.0);
        write!(f, "2026-12-{:02}T{:02}:{:02}:{:02}Z", d, h, m, s)
    }
}
impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Timestamp::parse(&text).ok_or_else(|| de::Error::custom(format!("bad timestamp {:?}", text)))
    }
}
impl Timestamp {
    fn parse(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        if b.len() < 20 || &text[..8] != "2026-12-" {
            return None;
        }
        let num = |r: std::ops::Range<usize>| text.get(r).and_then(|x| x.parse::<u32>().ok());
        let (d, h, m, s) = (num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
        Some(Timestamp((d - 1) * 86400 + h * 3600 + m * 60 + s))
    }
    fn from_parts(day: u32, h: u32, m: u32, s: u32) -> Timestamp {
        Timestamp((day - 1) * 86400 + h * 3600 + m * 60 + s)
    }
    fn minute(self) -> u32 {
        self.0 / 60
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}
impl Level {
    fn parse(s: &str) -> Option<Level> {
        Some(match s.to_ascii_lowercase().as_str() {
            "trace" => Level::Trace,
            "debug" => Level::Debug,
            "info" => Level::Info,
            "warn" | "warning" => Level::Warn,
            "error" | "err" => Level::Error,
            "fatal" | "crit" => Level::Fatal,
            _ => return None,
        })
    }
    fn from_syslog_pri(pri: u32) -> Level {
        match pri % 8 {
            0..=2 => Level::Fatal,
            3 => Level::Error,
            4 => Level::Warn,
            5 | 6 => Level::Info,
            _ => Level::Debug,
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "UPPERCASE")]
enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Agent {
    Browser { name: String, major: u32 },
    Bot(String),
    Tool(String),
    Unknown,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct AccessEvent {
    ip: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    ts: Timestamp,
    method: Method,
    path: String,
    route: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    query: BTreeMap<String, String>,
    http: String,
    status: u16,
    #[serde(default)]
    bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    referer: Option<String>,
    agent: Agent,
    #[serde(rename = "rt_us")]
    response_us: u32,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
enum Incident {
    Timeout,
    Refused,
    Deadlock,
    Panic,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct AppEvent {
    ts: Timestamp,
    millis: u16,
    level: Level,
    thread: String,
    module: String,
    template: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    incident: Option<Incident>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    emails: Vec<String>,
    #[serde(flatten)]
    fields: BTreeMap<String, Value>,
}

/// A JSON log line as services write it: read straight from the input with serde.
#[derive(Deserialize, Debug)]
struct JsonLine {
    ts: Timestamp,
    #[serde(deserialize_with = "level_any_case")]
    level: Level,
    service: String,
    msg: String,
    #[serde(alias = "latency", default)]
    latency_ms: u32,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    ctx: Option<Context>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    sampled: Option<bool>,
}

fn level_any_case<'de, D: Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
    let s = String::deserialize(d)?;
    Level::parse(&s).ok_or_else(|| de::Error::unknown_variant(&s, &["trace", "debug", "info", "warn", "error", "fatal"]))
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
struct Context {
    region: String,
    attempt: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct ServiceEvent {
    ts: Timestamp,
    level: Level,
    service: String,
    msg: String,
    latency_ms: u32,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    tags: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ctx: Option<Context>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trace: Option<String>,
    sampled: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
enum AuthMethod {
    Password,
    Publickey,
    KeyboardInteractive,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct AuthEvent {
    ts: Timestamp,
    host: String,
    pid: u32,
    user: String,
    ip: String,
    port: u16,
    ok: bool,
    #[serde(default)]
    invalid_user: bool,
    method: AuthMethod,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event {
    Access(AccessEvent),
    App(AppEvent),
    Service(ServiceEvent),
    Auth(AuthEvent),
    Oom { ts: Timestamp, host: String, pid: u32, process: String, vm_kb: u64 },
    System { ts: Timestamp, host: String, program: String, level: Level, text: String },
    Request {
        ts: Timestamp,
        level: Level,
        msg: String,
        method: Method,
        route: String,
        status: u16,
        duration_us: u64,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        extra: BTreeMap<String, String>,
    },
    Unparsed { line: usize, len: usize, printable: bool },
}

impl Event {
    fn ts(&self) -> Option<Timestamp> {
        match self {
            Event::Access(a) => Some(a.ts),
            Event::App(a) => Some(a.ts),
            Event::Service(s) => Some(s.ts),
            Event::Auth(a) => Some(a.ts),
            Event::Oom { ts, .. } | Event::System { ts, .. } | Event::Request { ts, .. } => Some(*ts),
            Event::Unparsed { .. } => None,
        }
    }
    fn kind(&self) -> &'static str {
        match self {
            Event::Access(_) => "access",
            Event::App(_) => "app",
            Event::Service(_) => "service",
            Event::Auth(_) => "auth",
            Event::Oom { .. } => "oom",
            Event::System { .. } => "system",
            Event::Request { .. } => "request",
            Event::Unparsed { .. } => "unparsed",
        }
    }
}

// ---- parsing ---------------------------------------------------------------------------------
struct Parsers {
    classify: RegexSet,
    access: Regex,
    query_pair: Regex,
    route_ids: Regex,
    browser: Regex,
    bot: Regex,
    app: Regex,
    kv: Regex,
    incident: Regex,
    email: Regex,
    number: Regex,
    hex: Regex,
    syslog: Regex,
    ssh: Regex,
    oom: Regex,
    logfmt_pair: Regex,
    duration: Regex,
}

const SYSLOG: &str = r"^<(?P<pri>\d{1,3})>(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(?P<day>\d{1,2}) (?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2}) (?P<host>[\w.-]+) (?P<prog>[\w/.-]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)$";

impl Parsers {
    fn new() -> Parsers {
        let access = r#"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - (?P<user>\S+) \[(?P<day>\d{2})/(?P<mon>[A-Z][a-z]{2})/(?P<year>\d{4}):(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2}) [+-]\d{4}\] "(?P<method>GET|POST|PUT|DELETE|PATCH|HEAD) (?P<path>[^ ?"]+)(?:\?(?P<query>[^ "]*))? HTTP/(?P<http>1\.[01]|2)" (?P<status>\d{3}) (?P<bytes>\d+|-) "(?P<referer>[^"]*)" "(?P<agent>[^"]*)" (?P<rt>\d+)\.(?P<rtfrac>\d{3})$"#;
        let app = r"^(?P<date>\d{4}-\d{2}-(?P<day>\d{2}))T(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})\.(?P<ms>\d{3})Z (?P<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL) \[(?P<thread>[\w-]+)\] (?P<module>[\w:]+): (?P<msg>.*)$";
        let logfmt = r"^time=\S+ level=\w+ ";
        Parsers {
            classify: RegexSet::new([access, app, r"^\{.*\}$", SYSLOG, logfmt]).unwrap(),
            access: Regex::new(access).unwrap(),
            query_pair: Regex::new(r"(?P<k>[^&=]+)=(?P<v>[^&]*)").unwrap(),
            route_ids: Regex::new(r"/(?:\d+|[0-9a-f]{8,})(?P<tail>/|\.|$)").unwrap(),
            browser: Regex::new(r"(?P<name>Firefox|Edg|Chrome|Version)/(?P<major>\d+)").unwrap(),
            bot: Regex::new(r"(?i)\b(?P<name>\w*(?:bot|crawler|spider))\b|^(?P<tool>curl|wget|python-requests|go-http-client)/").unwrap(),
            app: Regex::new(app).unwrap(),
            kv: Regex::new(r#"\b(?P<k>[a-z_]+)=(?P<v>"[^"]*"|[^\s,()]+)"#).unwrap(),
            incident: RegexBuilder::new(r"\b(?:(?P<timeout>time[sd]?\s?out)|(?P<refused>refused|unreachable)|(?P<deadlock>deadlock)|(?P<panic>panic(?:ked)?))\b")
                .case_insensitive(true)
                .build()
                .unwrap(),
            email: Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").unwrap(),
            number: Regex::new(r"\b\d+(?:\.\d+)?\b").unwrap(),
            hex: Regex::new(r"\b[0-9a-f]{8,}\b").unwrap(),
            syslog: Regex::new(SYSLOG).unwrap(),
            ssh: Regex::new(r"^(?P<result>Failed|Accepted) (?P<method>password|publickey|keyboard-interactive/pam) for (?P<invalid>invalid user )?(?P<user>\S+) from (?P<ip>[\d.]+) port (?P<port>\d+)").unwrap(),
            oom: Regex::new(r"(?i)^out of memory: killed process (?P<pid>\d+) \((?P<proc>[^)]+)\)(?: total-vm:(?P<vm>\d+)kB)?").unwrap(),
            logfmt_pair: Regex::new(r#"(?P<k>\w+)=(?P<v>"(?:[^"\\]|\\.)*"|\S+)"#).unwrap(),
            duration: Regex::new(r"^(?P<n>\d+)(?:\.(?P<f>\d+))?(?P<unit>ns|us|µs|ms|s|m)$").unwrap(),
        }
    }

    fn parse(&self, line_no: usize, line: &str) -> Event {
        let matched: Vec<usize> = self.classify.matches(line).into_iter().collect();
        let parsed = match matched.first() {
            Some(0) => self.access.captures(line).and_then(|c| self.parse_access(&c)),
            Some(1) => self.app.captures(line).and_then(|c| self.parse_app(&c)),
            Some(2) => serde_json::from_str::<JsonLine>(line).ok().map(service_event),
            Some(3) => self.syslog.captures(line).and_then(|c| self.parse_syslog(&c)),
            Some(4) => self.parse_logfmt(line),
            _ => None,
        };
        parsed.unwrap_or_else(|| Event::Unparsed { line: line_no, len: line.len(), printable: line.chars().all(|c| !c.is_control()) })
    }

    fn route(&self, path: &str) -> String {
        // ids in paths become placeholders, twice for adjacent ones
        let once = self.route_ids.replace_all(path, "/:id$tail");
        self.route_ids.replace_all(&once, "/:id$tail").into_owned()
    }

    fn agent(&self, ua: &str) -> Agent {
        if let Some(c) = self.bot.captures(ua) {
            if let Some(n) = c.name("name") {
                return Agent::Bot(n.as_str().to_lowercase());
            }
            return Agent::Tool(c["tool"].to_string());
        }
        // the last browser token names the browser (Edge and Chrome both claim Safari)
        let last = self.browser.captures_iter(ua).filter(|c| &c["name"] != "Version" || ua.contains("Safari")).last();
        match last {
            Some(c) => {
                let name = match &c["name"] {
                    "Edg" => "Edge",
                    "Version" => "Safari",
                    other => other,
                };
                Agent::Browser { name: name.to_string(), major: c["major"].parse().unwrap_or(0) }
            }
            None => Agent::Unknown,
        }
    }

    fn parse_access(&self, c: &Captures) -> Option<Event> {
        let num = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
        let query = c
            .name("query")
            .map(|q| self.query_pair.captures_iter(q.as_str()).map(|p| (p["k"].to_string(), p["v"].replace('+', " "))).collect())
            .unwrap_or_default();
        let method = match &c["method"] {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            "PATCH" => Method::Patch,
            _ => Method::Head,
        };
        let opt = |k: &str| Some(c[k].to_string()).filter(|s| s != "-");
        Some(Event::Access(AccessEvent {
            ip: c["ip"].to_string(),
            user: opt("user"),
            ts: Timestamp::from_parts(num("day")?, num("h")?, num("m")?, num("s")?),
            method,
            path: c["path"].to_string(),
            route: self.route(&c["path"]),
            query,
            http: c["http"].to_string(),
            status: num("status")? as u16,
            bytes: opt("bytes").and_then(|b| b.parse().ok()),
            referer: opt("referer"),
            agent: self.agent(&c["agent"]),
            response_us: num("rt")? * 1_000_000 + num("rtfrac")? * 1000,
        }))
    }

    fn template(&self, msg: &str) -> String {
        let t = self.email.replace_all(msg, "<email>");
        let t = self.hex.replace_all(&t, "<hex>");
        self.number.replace_all(&t, "<n>").into_owned()
    }

    fn parse_app(&self, c: &Captures) -> Option<Event> {
        let msg = &c["msg"];
        let mut fields = BTreeMap::new();
        for kv in self.kv.captures_iter(msg) {
            let v = &kv["v"];
            let value = if let Some(s) = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                Value::String(s.to_string())
            } else if let Ok(n) = v.parse::<i64>() {
                Value::from(n)
            } else if let Ok(b) = v.parse::<bool>() {
                Value::Bool(b)
            } else {
                Value::String(v.to_string())
            };
            fields.insert(format!("f_{}", &kv["k"]), value);
        }
        let incident = self.incident.captures(msg).map(|i| {
            if i.name("timeout").is_some() {
                Incident::Timeout
            } else if i.name("refused").is_some() {
                Incident::Refused
            } else if i.name("deadlock").is_some() {
                Incident::Deadlock
            } else {
                Incident::Panic
            }
        });
        let num = |k: &str| c[k].parse::<u32>().ok();
        Some(Event::App(AppEvent {
            ts: Timestamp::from_parts(num("day")?, num("h")?, num("m")?, num("s")?),
            millis: num("ms")? as u16,
            level: Level::parse(&c["level"])?,
            thread: c["thread"].to_string(),
            module: c["module"].to_string(),
            template: self.template(msg),
            incident,
            emails: self.email.find_iter(msg).map(|m| m.as_str().to_string()).collect(),
            fields,
        }))
    }

    fn parse_syslog(&self, c: &Captures) -> Option<Event> {
        let month = MONTHS.iter().position(|m| *m == &c["mon"])?;
        if month != 11 {
            return None;
        }
        let num = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
        let ts = Timestamp::from_parts(num("day")?, num("h")?, num("m")?, num("s")?);
        let host = c["host"].to_string();
        let msg = &c["msg"];
        let pid = num("pid").unwrap_or(0);
        let prog = &c["prog"];
        if prog == "sshd" {
            if let Some(s) = self.ssh.captures(msg) {
                return Some(Event::Auth(AuthEvent {
                    ts,
                    host,
                    pid,
                    user: s["user"].to_string(),
                    ip: s["ip"].to_string(),
                    port: s["port"].parse().ok()?,
                    ok: &s["result"] == "Accepted",
                    invalid_user: s.name("invalid").is_some(),
                    method: match &s["method"] {
                        "password" => AuthMethod::Password,
                        "publickey" => AuthMethod::Publickey,
                        _ => AuthMethod::KeyboardInteractive,
                    },
                }));
            }
        }
        if let Some(o) = self.oom.captures(msg) {
            return Some(Event::Oom {
                ts,
                host,
                pid: o["pid"].parse().ok()?,
                process: o["proc"].to_string(),
                vm_kb: o.name("vm").map_or(0, |v| v.as_str().parse().unwrap_or(0)),
            });
        }
        Some(Event::System { ts, host, program: prog.to_string(), level: Level::from_syslog_pri(num("pri")?), text: self.template(msg) })
    }

    fn duration_us(&self, text: &str) -> Option<u64> {
        let c = self.duration.captures(text)?;
        let n: u64 = c["n"].parse().ok()?;
        let frac = c.name("f").map_or(0.0, |f| format!("0.{}", f.as_str()).parse::<f64>().unwrap_or(0.0));
        let scale = match &c["unit"] {
            "ns" => 0.001,
            "us" | "µs" => 1.0,
            "ms" => 1000.0,
            "s" => 1e6,
            _ => 6e7,
        };
        Some(((n as f64 + frac) * scale).round() as u64)
    }

    fn parse_logfmt(&self, line: &str) -> Option<Event> {
        let mut pairs: BTreeMap<String, String> = self
            .logfmt_pair
            .captures_iter(line)
            .map(|p| {
                let v = &p["v"];
                let v = match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                    Some(inner) => inner.replace("\\\"", "\""),
                    None => v.to_string(),
                };
                (p["k"].to_string(), v)
            })
            .collect();
        let mut take = |k: &str| pairs.remove(k);
        let ts = Timestamp::parse(&take("time")?)?;
        let level = Level::parse(&take("level")?)?;
        let msg = take("msg")?;
        let method = match take("method")?.as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            _ => return None,
        };
        let route = self.route(&take("path")?);
        let status = take("status")?.parse().ok()?;
        let duration_us = self.duration_us(&take("dur")?)?;
        Some(Event::Request { ts, level, msg, method, route, status, duration_us, extra: pairs })
    }
}

fn service_event(j: JsonLine) -> Event {
    Event::Service(ServiceEvent {
        ts: j.ts,
        level: j.level,
        service: j.service,
        msg: j.msg,
        latency_ms: j.latency_ms,
        tags: j.tags.into_iter().collect(),
        ctx: j.ctx,
        trace: j.trace_id,
        sampled: j.sampled.unwrap_or(false),
    })
}

// ---- detectors (dynamic dispatch) ------------------------------------------------------------
trait Detector {
    fn name(&self) -> &'static str;
    fn observe(&mut self, ev: &Event);
    fn report(&self) -> Value;
}

/// Failed ssh logins per address in a sliding window of 10 minutes.
#[derive(Default)]
struct BruteForce {
    window: HMap<String, VecDeque<u32>>,
    alerts: BTreeMap<String, u32>,
    invalid_users: BTreeMap<String, u32>,
}
impl Detector for BruteForce {
    fn name(&self) -> &'static str {
        "brute_force"
    }
    fn observe(&mut self, ev: &Event) {
        if let Event::Auth(a) = ev {
            if a.ok {
                self.window.remove(&a.ip);
                return;
            }
            if a.invalid_user {
                *self.invalid_users.entry(a.user.clone()).or_default() += 1;
            }
            let q = self.window.entry(a.ip.clone()).or_default();
            q.push_back(a.ts.0);
            while q.front().map_or(false, |&t| t + 600 < a.ts.0) {
                q.pop_front();
            }
            if q.len() >= 8 {
                *self.alerts.entry(a.ip.clone()).or_default() += 1;
                q.clear();
            }
        }
    }
    fn report(&self) -> Value {
        json!({ "alerts": self.alerts, "invalid_users": self.invalid_users, "tracked": self.window.len() })
    }
}

/// Response-time percentiles per route, from access logs and logfmt requests.
#[derive(Default)]
struct Latency {
    by_route: HMap<String, Vec<u64>>,
}
impl Detector for Latency {
    fn name(&self) -> &'static str {
        "latency"
    }
    fn observe(&mut self, ev: &Event) {
        let (route, us) = match ev {
            Event::Access(a) => (&a.route, a.response_us as u64),
            Event::Request { route, duration_us, .. } => (route, *duration_us),
            _ => return,
        };
        self.by_route.entry(route.clone()).or_default().push(us);
    }
    fn report(&self) -> Value {
        let mut routes: Vec<(&String, Vec<u64>)> = self
            .by_route
            .iter()
            .map(|(r, v)| {
                let mut v = v.clone();
                v.sort_unstable();
                (r, v)
            })
            .collect();
        routes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
        let pct = |v: &[u64], p: usize| v[(v.len() - 1) * p / 100];
        let rows: Vec<Value> = routes
            .iter()
            .take(12)
            .map(|(r, v)| json!({ "route": r, "n": v.len(), "p50": pct(v, 50), "p95": pct(v, 95), "p99": pct(v, 99), "max": v[v.len() - 1] }))
            .collect();
        Value::Array(rows)
    }
}

/// Counts per source and level; the error ratio of each source.
#[derive(Default)]
struct ErrorRate {
    counts: BTreeMap<String, [u32; 6]>,
}
impl Detector for ErrorRate {
    fn name(&self) -> &'static str {
        "error_rate"
    }
    fn observe(&mut self, ev: &Event) {
        let (src, level) = match ev {
            Event::App(a) => (format!("app:{}", a.module), a.level),
            Event::Service(s) => (format!("svc:{}", s.service), s.level),
            Event::System { program, level, .. } => (format!("sys:{}", program.split('[').next().unwrap_or("")), *level),
            Event::Request { level, .. } => ("logfmt".to_string(), *level),
            Event::Access(a) => ("http".to_string(), if a.status >= 500 { Level::Error } else if a.status >= 400 { Level::Warn } else { Level::Info }),
            _ => return,
        };
        self.counts.entry(src).or_default()[level as usize] += 1;
    }
    fn report(&self) -> Value {
        let mut o = JsonMap::new();
        for (src, c) in &self.counts {
            let total: u32 = c.iter().sum();
            let bad = c[Level::Error as usize] + c[Level::Fatal as usize];
            o.insert(src.clone(), json!({ "total": total, "levels": c.to_vec(), "error_permille": bad * 1000 / total.max(1) }));
        }
        Value::Object(o)
    }
}

/// Bytes served per client address; the top talkers.
#[derive(Default)]
struct TopTalkers {
    bytes: HMap<String, (u64, u32)>,
    agents: BTreeMap<String, u32>,
}
impl Detector for TopTalkers {
    fn name(&self) -> &'static str {
        "top_talkers"
    }
    fn observe(&mut self, ev: &Event) {
        if let Event::Access(a) = ev {
            let e = self.bytes.entry(a.ip.clone()).or_default();
            e.0 += a.bytes.unwrap_or(0);
            e.1 += 1;
            let agent = match &a.agent {
                Agent::Browser { name, major } => format!("{}/{}", name, major),
                Agent::Bot(b) => format!("bot:{}", b),
                Agent::Tool(t) => format!("tool:{}", t),
                Agent::Unknown => "unknown".into(),
            };
            *self.agents.entry(agent).or_default() += 1;
        }
    }
    fn report(&self) -> Value {
        let mut v: Vec<_> = self.bytes.iter().collect();
        v.sort_by(|a, b| (b.1).0.cmp(&(a.1).0).then(a.0.cmp(b.0)));
        let top: Vec<Value> = v.iter().take(8).map(|(ip, (b, n))| json!([ip, b, n])).collect();
        json!({ "top": top, "clients": self.bytes.len(), "agents": self.agents })
    }
}

/// Message templates (numbers, ids and addresses masked) and incidents.
#[derive(Default)]
struct Templates {
    count: HMap<String, u32>,
    incidents: BTreeMap<Incident, Vec<u32>>,
    emails: HSet<String>,
}
impl Detector for Templates {
    fn name(&self) -> &'static str {
        "templates"
    }
    fn observe(&mut self, ev: &Event) {
        match ev {
            Event::App(a) => {
                *self.count.entry(a.template.clone()).or_default() += 1;
                if let Some(i) = a.incident {
                    self.incidents.entry(i).or_default().push(a.ts.minute());
                }
                self.emails.extend(a.emails.iter().cloned());
            }
            Event::System { text, .. } => *self.count.entry(text.clone()).or_default() += 1,
            _ => {}
        }
    }
    fn report(&self) -> Value {
        let mut v: Vec<(&String, &u32)> = self.count.iter().collect();
        v.sort_by_key(|&(t, n)| (std::cmp::Reverse(*n), t.clone()));
        let incidents: BTreeMap<String, Value> = self
            .incidents
            .iter()
            .map(|(k, mins)| {
                let mut per_minute: BTreeMap<u32, u32> = BTreeMap::new();
                for m in mins {
                    *per_minute.entry(*m).or_default() += 1;
                }
                let worst = per_minute.iter().max_by_key(|&(m, n)| (*n, std::cmp::Reverse(*m))).map(|(m, n)| json!({"minute": m, "n": n}));
                (serde_json::to_value(k).unwrap().as_str().unwrap().to_string(), json!({ "n": mins.len(), "worst": worst }))
            })
            .collect();
        json!({
            "distinct": v.len(),
            "top": v.iter().take(10).map(|(t, n)| json!({"t": t, "n": n})).collect::<Vec<_>>(),
            "incidents": incidents,
            "emails": self.emails.len(),
        })
    }
}

/// Status codes per 10-minute bucket; buckets whose 5xx share is high.
#[derive(Default)]
struct StatusBuckets {
    buckets: BTreeMap<u32, BTreeMap<u16, u32>>,
}
impl Detector for StatusBuckets {
    fn name(&self) -> &'static str {
        "status"
    }
    fn observe(&mut self, ev: &Event) {
        let (ts, status) = match ev {
            Event::Access(a) => (a.ts, a.status),
            Event::Request { ts, status, .. } => (*ts, *status),
            _ => return,
        };
        *self.buckets.entry(ts.0 / 600).or_default().entry(status).or_default() += 1;
    }
    fn report(&self) -> Value {
        let hot: Vec<Value> = self
            .buckets
            .iter()
            .filter_map(|(b, codes)| {
                let total: u32 = codes.values().sum();
                let bad: u32 = codes.range(500..).map(|(_, n)| n).sum();
                if bad * 5 > total {
                    Some(json!({ "bucket": b, "total": total, "5xx": bad }))
                } else {
                    None
                }
            })
            .collect();
        let mut all: BTreeMap<u16, u32> = BTreeMap::new();
        for codes in self.buckets.values() {
            for (c, n) in codes {
                *all.entry(*c).or_default() += n;
            }
        }
        json!({ "buckets": self.buckets.len(), "hot": hot, "codes": all.iter().map(|(c, n)| (c.to_string(), *n)).collect::<BTreeMap<_, _>>() })
    }
}

// ---- pipeline --------------------------------------------------------------------------------
type Stage = Box<dyn Fn(&mut Value) -> bool>;

/// Stages on the JSON form of each event (as a log shipper applies them): filters and enrichers.
fn stages() -> Vec<Stage> {
    let health = Regex::new(r"^/(?:healthz|readyz|livez)$").unwrap();
    vec![
        // drop health checks
        Box::new(move |v: &mut Value| !v.get("route").and_then(Value::as_str).map_or(false, |r| health.is_match(r))),
        // tag slow requests
        Box::new(|v: &mut Value| {
            let slow = v.get("rt_us").and_then(Value::as_u64).map_or(false, |us| us > 500_000)
                || v.get("duration_us").and_then(Value::as_u64).map_or(false, |us| us > 1_000_000)
                || v.get("latency_ms").and_then(Value::as_u64).map_or(false, |ms| ms > 1500);
            if slow {
                v.as_object_mut().unwrap().insert("slow".into(), Value::Bool(true));
            }
            true
        }),
        // mask user names and addresses of privacy-sensitive events
        Box::new(|v: &mut Value| {
            if let Some(o) = v.as_object_mut() {
                for key in ["user", "ip"] {
                    if let Some(Value::String(s)) = o.get_mut(key) {
                        let h = s.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
                        *s = format!("{}#{:04x}", &key[..1], h & 0xffff);
                    }
                }
                if let Some(Value::Object(ctx)) = o.get_mut("ctx") {
                    ctx.remove("user");
                }
            }
            true
        }),
        // drop debug and trace
        Box::new(|v: &mut Value| !matches!(v.get("level").and_then(Value::as_str), Some("debug") | Some("trace"))),
    ]
}

fn main() {
    let parsers = Parsers::new();
    let lines = generate(0x5eed_1234_abcd_0042, LINES);
    let mut fnv = Fnv(0xcbf29ce484222325);
    let mut detectors: Vec<Box<dyn Detector>> = vec![
        Box::new(BruteForce::default()),
        Box::new(Latency::default()),
        Box::new(ErrorRate::default()),
        Box::new(TopTalkers::default()),
        Box::new(Templates::default()),
        Box::new(StatusBuckets::default()),
    ];
    let pipeline = stages();
    let mut kinds: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut shipped = 0u32;
    let mut shipped_bytes = 0usize;
    let mut batch: Vec<Value> = Vec::new();
    let mut batches = 0u32;
    let mut last_ts = Timestamp(0);
    for (i, line) in lines.iter().enumerate() {
        let ev = parsers.parse(i, line);
        // round trip through JSON text and through Value: both must give the event back
        let text = serde_json::to_string(&ev).unwrap();
        let back: Event = serde_json::from_str(&text).unwrap();
        assert_eq!(back, ev, "JSON round trip of line {}", i);
        let mut value = serde_json::to_value(&ev).unwrap();
        let again: Event = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(again, ev, "Value round trip of line {}", i);
        fnv.add(text.as_bytes());
        *kinds.entry(ev.kind()).or_default() += 1;
        if let Some(ts) = ev.ts() {
            last_ts = last_ts.max(ts);
        }
        for d in detectors.iter_mut() {
            d.observe(&ev);
        }
        if pipeline.iter().all(|stage| stage(&mut value)) {
            shipped += 1;
            batch.push(value);
            if batch.len() == 500 {
                let body = serde_json::to_string(&json!({ "batch": batches, "events": batch })).unwrap();
                shipped_bytes += body.len();
                fnv.add(body.as_bytes());
                // the receiver's view: read it back and count the slow ones per type
                let parsed: Value = serde_json::from_str(&body).unwrap();
                let events = parsed["events"].as_array().unwrap();
                let slow = events.iter().filter(|e| e.pointer("/slow") == Some(&Value::Bool(true))).count();
                let first = events[0]["ts"].as_str().unwrap_or("?");
                println!("batch {:2}: {} events from {}, {} bytes, {} slow", batches, events.len(), first, body.len(), slow);
                fnv.add(&slow.to_le_bytes());
                batch.clear();
                batches += 1;
            }
        }
    }
    let mut report = JsonMap::new();
    for d in &detectors {
        report.insert(d.name().to_string(), d.report());
    }
    let report = Value::Object(report);
    let pretty = serde_json::to_string_pretty(&report).unwrap();
    fnv.add(pretty.as_bytes());

    println!("lines: {} ({})", lines.len(), kinds.iter().map(|(k, n)| format!("{}={}", k, n)).collect::<Vec<_>>().join(" "));
    println!("shipped: {} events in {} batches, {} bytes; last event {}", shipped, batches, shipped_bytes, last_ts);
    println!("brute force alerts: {}", report["brute_force"]["alerts"]);
    let lat = &report["latency"][0];
    println!("busiest route: {} n={} p50={}us p99={}us", lat["route"].as_str().unwrap_or("?"), lat["n"], lat["p50"], lat["p99"]);
    println!("incidents: {}", report["templates"]["incidents"]);
    println!("report: {} bytes of JSON", pretty.len());
    println!("checksum: {:016x}", fnv.0);
}

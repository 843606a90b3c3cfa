//! Synthetic but believable return files for all 23 members, for demonstrations and tests of the
//! Secretariat side (import, consolidation, reports). Fully deterministic for a seed: a small
//! self-contained PRNG (splitmix64), no clock, every timestamp derived from the cycle.
//!
//! Each member gets a base capability from its baseline profile and size, pillar offsets, a fixed
//! per-indicator level (with noise), profile-driven nudges on the indicators the profile speaks
//! to, and improvement between cycles. Every file is built through [`exchange::body_from`], so the
//! scores are the real ones and the files are exactly what the app would export.

use crate::assessment::{Answer, Assessment, Commitment, Confidence, Header, NeedCategory, Response, Status};
use crate::exchange::{self, export};
use crate::framework::ProfileField;
use crate::framework::{self, Framework, Member, PILLAR_CODES, Profile};
use crate::lang::Lang;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

mod programme;
pub use programme::{DemoProgramme, interventions, secretariat_records};

/// One generated return file.
pub struct DemoFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
}

/// Realistic, deterministic return files for all 23 members over `cycles` cycles (ending with `last_cycle`),
/// with up to `revisions` revisions per assessment for some members.
///
/// Files come ordered by cycle, then member (registry order), then revision. Cycles must stay
/// within 2000..=2100 for the files to be valid returns.
pub fn generate(seed: u64, last_cycle: i32, cycles: u32, revisions: u32) -> Vec<DemoFile> {
    generate_revised(seed, last_cycle, cycles, revisions, REVISED)
}

/// The share of assessments sent again at each revision step, by default (about a third revise
/// once, a third of those once more).
pub const REVISED: f64 = 0.34;

/// [`generate`], with `revised` (0.0-1.0) the share of assessments sent again at each revision
/// step, up to `revisions`: at 1.0 every assessment has exactly `revisions` revisions, which is
/// how a corpus of 10,000+ returns is made within the valid cycles (e.g. 87 cycles x 23 members
/// x 5 revisions = 10,005 returns).
pub fn generate_revised(seed: u64, last_cycle: i32, cycles: u32, revisions: u32, revised: f64) -> Vec<DemoFile> {
    let fw = framework::current();
    let first = last_cycle.saturating_sub(cycles as i32).saturating_add(1);
    let mut out = Vec::new();
    for member in framework::members() {
        let mut sim = MemberSim::new(seed, member, fw);
        for cycle in first..=last_cycle {
            if cycle > first {
                sim.advance(cycle);
            }
            out.extend(sim.returns(cycle, revisions.max(1), revised));
        }
    }
    let order = |code: &str| framework::members().iter().position(|m| m.code == code).unwrap_or(usize::MAX);
    out.sort_by_key(|f| (f.cycle, order(&f.member), f.revision));
    out
}

/// The demo signing key of a member: derived from the seed and the member code, so demo returns
/// of every run are signed by the same key (and pins made on one run hold for the next).
pub fn member_key(seed: u64, member: &str) -> exchange::sign::SigningKey {
    use sha2::{Digest, Sha256};
    let h = |what: &str| Sha256::digest(format!("cdf-assess demo {what} {seed} {member}").as_bytes());
    let mut s = [0u8; 32];
    s.copy_from_slice(&h("signing key"));
    let mut id = [0u8; 8];
    id.copy_from_slice(&h("key id")[..8]);
    exchange::sign::SigningKey::from_seed(s, id)
}

// ---------------------------------------------------------------------------------------------
// PRNG

/// splitmix64: tiny, fast, good enough for synthetic data, and stable across platforms.
struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, to turn names into stream tags.
fn tag(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

impl Rng {
    /// An independent stream for a purpose (tags), so that adding draws in one place does not
    /// shift the numbers drawn elsewhere.
    fn stream(seed: u64, tags: &[u64]) -> Rng {
        let mut s = mix(seed ^ GOLDEN);
        for t in tags {
            s = mix(s ^ mix(t.wrapping_add(GOLDEN)));
        }
        Rng(s)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    fn pick_str(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------------------------
// Members

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Size {
    /// Australia and New Zealand.
    Large,
    Mid,
    /// Very small administrations (a handful of officers).
    Small,
}

fn size_of(code: &str) -> Size {
    match code {
        "AU" | "NZ" => Size::Large,
        "NU" | "NR" | "TV" | "MH" | "FM" | "KI" | "WF" | "PW" | "AS" | "MP" => Size::Small,
        _ => Size::Mid,
    }
}

/// Assessors (fictitious, plausible for the country) and the head of administration who signs off.
fn people(code: &str) -> ([&'static str; 3], &'static str) {
    match code {
        "AS" => (
            ["Faleolo Tuiasosopo", "Malia Sunia", "Pele Fuimaono"],
            "Tavita Pele, Chief of Customs, Department of Treasury",
        ),
        "AU" => {
            (["Sarah Mitchell", "James O'Connor", "Priya Nair"], "Michael Harrington, Comptroller-General of Customs")
        }
        "CK" => (["Teina Marsters", "Mata Tangaroa", "Ngatokorua Pera"], "Tuaine Heather, Collector of Customs"),
        "MP" => (
            ["Jesse Camacho", "Maria Tenorio", "Rufino Aldan"],
            "Rufina Sablan, Director, Division of Customs Services",
        ),
        "FJ" => (
            ["Salote Naivalu", "Ravinesh Prasad", "Josefa Tuilevuka"],
            "Viliame Ratu, Chief Executive Officer, Fiji Revenue and Customs Service",
        ),
        "FM" => (
            ["Kasio Mida", "Lerleen Hadley", "Johnson Ehsa"],
            "Stevenson Kilafwasru, Assistant Secretary, Division of Customs and Tax Administration",
        ),
        "PF" => (
            ["Teva Tehaamatai", "Hinano Lecomte", "Philippe Marchand"],
            "Jean-Luc Moreau, Directeur régional des douanes de Polynésie française",
        ),
        "GU" => (
            ["Joseph Cruz", "Annette Quinata", "Vincent San Nicolas"],
            "Frank Taitano, Director, Customs and Quarantine Agency",
        ),
        "KI" => (["Teuea Tito", "Bwebwe Iotebwa", "Kaotitaake Tabane"], "Tiaon Teakai, Comptroller of Customs"),
        "NR" => (["Lionel Dabwido", "Marissa Adeang", "Shadlog Detenamo"], "Reagan Agir, Director of Customs"),
        "NC" => (
            ["Sylvie Gorodey", "Laurent Gomès", "Marie-Paule Wéa"],
            "Catherine Delmas, Directrice régionale des douanes de Nouvelle-Calédonie",
        ),
        "NZ" => (["Aroha Walker", "Ben Thompson", "Mei Lin Chen"], "Rachel Whitfield, Comptroller of Customs"),
        "NU" => (["Mona Talagi", "Hima Tukuitoga", "Sione Pihigia"], "Viviani Hekau, Comptroller of Customs"),
        "PW" => (
            ["Ngiraklang Ngirmang", "Sandra Rengiil", "Hobson Tellei"],
            "Ngirchokebai Ulechong, Chief, Division of Customs",
        ),
        "PG" => (["Kila Gabi", "Ruth Kaupa", "Peter Wanma"], "Samuel Kewa, Commissioner General, PNG Customs Service"),
        "MH" => (["Kino Kabua", "Jemi Lanki", "Hilda Jetnil"], "Alington Jibas, Director, Division of Customs"),
        "WS" => (
            ["Faamanu Leota", "Lupe Tuimavave", "Ioane Alofaituli"],
            "Lemalu Faasalele, Chief Executive Officer, Ministry of Customs and Revenue",
        ),
        "SB" => (["John Maeliau", "Grace Hou", "Peter Tanangada"], "Peter Houkarawa, Comptroller of Customs"),
        "TL" => {
            (["José da Costa", "Maria Soares", "Agostinho Pereira"], "Domingos Ximenes, Director-General of Customs")
        }
        "TO" => (
            ["Sione Fifita", "Ana Kaufusi", "Tevita Havea"],
            "Kelepi Taumoepeau, Chief Executive Officer, Ministry of Revenue and Customs",
        ),
        "TV" => (["Fiu Telavi", "Selota Apinelu", "Tauala Tepou"], "Semu Pita, Comptroller of Customs"),
        "VU" => (
            ["Jean-Baptiste Kalo", "Mary Natapei", "Kalsakau Tari"],
            "Joel Kalsrap, Director, Department of Customs and Inland Revenue",
        ),
        "WF" => (
            ["Marie-Claire Tialetagi", "Jean-Michel Fouquet", "Soane Tauvale"],
            "Frédéric Laurent, Chef du service des douanes de Wallis-et-Futuna",
        ),
        _ => (["Alex Taylor", "Sam Lee", "Chris Martin"], "Head of Customs"),
    }
}

fn roles(lang: Lang, size: Size) -> &'static [&'static str] {
    match (lang, size) {
        (Lang::Fr, _) => &[
            "Chef du bureau de la stratégie et du pilotage",
            "Inspecteur, cellule contrôle de gestion",
            "Adjoint au chef de service, formation",
        ],
        (Lang::En, Size::Small) => {
            &["Senior Customs Officer", "Customs Officer, Administration", "Principal Customs Officer"]
        }
        (Lang::En, _) => &[
            "Manager, Policy and Planning",
            "Principal Officer, Strategy and Reform",
            "Manager, Training and Development",
            "Assistant Comptroller, Corporate Services",
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Levels

/// How far the baseline profile goes, 0..=1.
fn profile_strength(p: &Profile) -> f64 {
    let hs = match p.hs_version.as_str() {
        "2022" | "2017" => 1.0,
        "2012" => 0.6,
        "2007" => 0.4,
        "2002" => 0.2,
        _ => 0.0,
    };
    let yes = |v: &str| match v {
        "yes" => 1.0,
        "partial" => 0.5,
        "unknown" => 0.2,
        _ => 0.0,
    };
    let auto = automation_strength(&p.automation);
    (hs + yes(&p.rkc) + yes(&p.wto_valuation) + yes(&p.risk_management) + auto + yes(&p.arusha) + yes(&p.pca)) / 7.0
}

fn automation_strength(a: &str) -> f64 {
    match a {
        "ASYCUDA World" | "CusMOD" | "CMS" => 1.0,
        "ASYCUDA" => 0.8,
        "CIS" | "other" => 0.6,
        "PC Trade" => 0.5,
        "unknown" => 0.3,
        _ => 0.0,
    }
}

/// How the current profile and the nature of an indicator move its level (in levels).
fn nudge(code: &str, p: &Profile, size: Size) -> f64 {
    let small = if size == Size::Small { 1.0 } else { 0.0 };
    let risk = || match p.risk_management.as_str() {
        "yes" => 0.4,
        "no" => -0.8,
        "not_implemented" => -1.2,
        _ => -0.5,
    };
    let automation = || match p.automation.as_str() {
        "ASYCUDA World" => 0.6,
        "CusMOD" | "CMS" | "CIS" | "other" => 0.2,
        "ASYCUDA" => 0.1,
        "PC Trade" => -0.4,
        "none" => -1.8,
        _ => -0.6,
    };
    match code {
        "LP-01" => match p.rkc.as_str() {
            "yes" => 0.4,
            "partial" => 0.0,
            "no" => -0.7,
            _ => -0.3,
        },
        "LP-02" => match p.rkc.as_str() {
            "yes" => 0.2,
            "no" => -0.3,
            _ => 0.0,
        },
        "LP-03" => -0.5 - 0.6 * small,
        "LP-06" => match p.hs_version.as_str() {
            "2022" => 0.7,
            "2017" => 0.4,
            "2012" => 0.0,
            "2007" => -0.5,
            "2002" => -0.9,
            "not_implemented" => -1.6,
            _ => -0.6,
        },
        "LP-07" => match p.wto_valuation.as_str() {
            "yes" => 0.4,
            "no" => -0.9,
            _ => -0.4,
        },
        "LP-09" => match p.pca.as_str() {
            "yes" => 0.4,
            "no" => -1.1,
            "not_implemented" => -1.4,
            _ => -0.6,
        },
        "LP-10" | "DC-05" => risk(),
        "DC-01" | "DC-02" => automation(),
        "DC-07" => 0.5 * automation() - 0.3,
        "DC-04" => -0.3 - 0.6 * small,
        "DC-08" => -0.3,
        "DC-09" => -0.5 * small,
        "DC-10" => match size {
            Size::Large => 0.5,
            Size::Mid => 0.0,
            Size::Small => -0.2,
        },
        "WF-09" => match p.arusha.as_str() {
            "yes" => 0.3,
            "no" => -0.4,
            _ => 0.0,
        },
        "WF-10" => -0.4,
        "WF-04" => -0.3,
        "WF-05" => 0.2,
        "WF-06" => 0.3,
        "RD-01" => 0.3,
        "RD-03" => 0.2,
        "RD-09" => 0.5,
        _ => 0.0,
    }
}

/// Indicators where "not applicable" is a plausible answer for an administration of this size,
/// with the chance of it being chosen.
fn na_chance(code: &str, size: Size) -> f64 {
    match (size, code) {
        (Size::Small, "LP-03") => 0.6,
        (Size::Small, "DC-04") => 0.5,
        (Size::Small, "DC-08") => 0.4,
        (Size::Small, "DC-09" | "WF-10") => 0.35,
        (Size::Small, "LP-08") => 0.2,
        (Size::Large, "DC-10") => 0.7,
        (Size::Mid, "LP-03") => 0.1,
        (Size::Mid, "DC-04") => 0.08,
        _ => 0.0,
    }
}

/// A profile field that moved up between cycles, and the year it happened.
#[derive(Debug, Clone)]
struct ProfileEvent {
    field: ProfileField,
    value: String,
    year: i32,
}

fn upgrades(p: &Profile) -> Vec<(ProfileField, &'static str)> {
    let mut u = Vec::new();
    match p.hs_version.as_str() {
        "not_implemented" | "2007" | "2002" => u.push((ProfileField::HsVersion, "2012")),
        "2012" => u.push((ProfileField::HsVersion, "2017")),
        "2017" => u.push((ProfileField::HsVersion, "2022")),
        _ => {}
    }
    match p.rkc.as_str() {
        "no" => u.push((ProfileField::Rkc, "partial")),
        "partial" => u.push((ProfileField::Rkc, "yes")),
        _ => {}
    }
    if p.wto_valuation == "no" {
        u.push((ProfileField::WtoValuation, "yes"));
    }
    if matches!(p.risk_management.as_str(), "no" | "not_implemented") {
        u.push((ProfileField::RiskManagement, "yes"));
    }
    if matches!(p.automation.as_str(), "none" | "PC Trade" | "ASYCUDA") {
        u.push((ProfileField::Automation, "ASYCUDA World"));
    }
    if p.arusha == "no" {
        u.push((ProfileField::Arusha, "yes"));
    }
    if matches!(p.pca.as_str(), "no" | "not_implemented") {
        u.push((ProfileField::Pca, "yes"));
    }
    u
}

fn set_field(p: &mut Profile, field: ProfileField, value: &str) {
    *field.get_mut(p) = value.to_string();
}

/// The indicator a profile field speaks to most directly.
fn field_indicator(field: ProfileField) -> &'static str {
    match field {
        ProfileField::HsVersion => "LP-06",
        ProfileField::Rkc => "LP-01",
        ProfileField::WtoValuation => "LP-07",
        ProfileField::RiskManagement => "LP-10",
        ProfileField::Automation => "DC-01",
        ProfileField::Arusha => "WF-09",
        ProfileField::Pca => "LP-09",
    }
}

// ---------------------------------------------------------------------------------------------
// Simulation of one member over the cycles

struct MemberSim {
    seed: u64,
    fw: &'static Framework,
    member: &'static Member,
    lang: Lang,
    size: Size,
    /// Fixed part of each indicator's level: base + pillar offset + noise.
    latent: Vec<f64>,
    /// Levels gained (or lost) since the first cycle.
    improved: Vec<i32>,
    na: Vec<bool>,
    ambitious_target: Vec<bool>,
    /// Share of "willing" commitments.
    willing: f64,
    /// Chance per indicator and cycle of improving by one level.
    momentum: f64,
    profile: Profile,
    events: Vec<ProfileEvent>,
    assessor: usize,
    role: usize,
    /// Levels of the previous cycle's final revision, for "improved since" comments.
    previous: Option<(i32, Vec<Answer>)>,
    /// The previous cycle's plan, followed up in the next (issue 23).
    plan: Option<(i32, Vec<crate::plan::Action>)>,
}

impl MemberSim {
    fn new(seed: u64, member: &'static Member, fw: &'static Framework) -> MemberSim {
        let size = size_of(&member.code);
        // The first language is the one the administration works in (Vanuatu: English, then French).
        let lang = if member.languages.first().is_some_and(|l| l == "fr") { Lang::Fr } else { Lang::En };
        let mut r = Rng::stream(seed, &[tag("member"), tag(&member.code)]);
        let size_base = match size {
            Size::Large => 3.0,
            Size::Mid => 2.1,
            Size::Small => 1.6,
        };
        let base = size_base + (profile_strength(&member.baseline) - 0.5) * 0.9 + r.range(-0.15, 0.15);
        let mut pillar_off = [0.0; 4];
        for o in pillar_off.iter_mut() {
            *o = r.range(-0.35, 0.35);
        }
        // Small administrations tend to be more willing than able; the large ones lead on digital.
        match size {
            Size::Small => pillar_off[3] += 0.3,
            Size::Large => pillar_off[2] += 0.2,
            Size::Mid => {}
        }
        let ambitious = size == Size::Large || r.chance(0.3);
        let willing = r.range(0.4, 0.75);
        let momentum = match size {
            Size::Large => r.range(0.06, 0.12),
            Size::Mid => r.range(0.1, 0.28),
            Size::Small => r.range(0.06, 0.22),
        };
        let (assessor, role) = (r.below(3) as usize, r.below(3) as usize);
        let mut latent = Vec::new();
        let mut na = Vec::new();
        let mut ambitious_target = Vec::new();
        for ind in &fw.indicators {
            let mut ri = Rng::stream(seed, &[tag("indicator"), tag(&member.code), tag(&ind.code)]);
            let p = PILLAR_CODES.iter().position(|c| *c == ind.pillar).unwrap_or(0);
            // Triangular noise in about +/-0.8 level.
            let noise = (ri.unit() + ri.unit() - 1.0) * 0.8;
            latent.push(base + pillar_off[p] + noise);
            na.push(ri.chance(na_chance(&ind.code, size)));
            ambitious_target.push(ambitious && ri.chance(0.3));
        }
        MemberSim {
            seed,
            fw,
            member,
            lang,
            size,
            improved: vec![0; latent.len()],
            latent,
            na,
            ambitious_target,
            willing,
            momentum,
            profile: member.baseline.clone(),
            events: Vec::new(),
            assessor,
            role,
            previous: None,
            plan: None,
        }
    }

    fn level(&self, i: usize) -> u8 {
        let code = &self.fw.indicators[i].code;
        let v = (self.latent[i] + nudge(code, &self.profile, self.size)).round() as i32 + self.improved[i];
        v.clamp(0, 4) as u8
    }

    /// Moves on to a new cycle: the profile may progress, some indicators improve, staff changes.
    fn advance(&mut self, cycle: i32) {
        let mut r = Rng::stream(self.seed, &[tag("advance"), tag(&self.member.code), cycle as u64]);
        let p_profile = match self.size {
            Size::Large => 0.2,
            Size::Mid => 0.4,
            Size::Small => 0.3,
        };
        let options = upgrades(&self.profile);
        if !options.is_empty() && r.chance(p_profile) {
            let (field, value) = *r.pick(&options);
            set_field(&mut self.profile, field, value);
            self.events.push(ProfileEvent { field, value: value.to_string(), year: cycle - 1 });
        }
        for i in 0..self.latent.len() {
            let l = self.level(i);
            if l < 4 && r.chance(self.momentum) {
                self.improved[i] += 1;
            } else if l > 0 && r.chance(0.03) {
                self.improved[i] -= 1;
            }
            // Occasionally an indicator stops being "not applicable" (a new programme starts).
            if self.na[i] && r.chance(0.1) {
                self.na[i] = false;
            }
        }
        if r.chance(0.3) {
            self.assessor = (self.assessor + 1 + r.below(2) as usize) % 3;
        }
    }

    /// Revision 1 of the cycle, and the further revisions some members send.
    fn returns(&mut self, cycle: i32, max_revisions: u32, revised: f64) -> Vec<DemoFile> {
        let code = self.member.code.clone();
        let mut r = Rng::stream(self.seed, &[tag("cycle"), tag(&code), cycle as u64]);
        let fw = self.fw;
        let lang = self.lang;
        let (assessors, head) = people(&code);
        let assessor_name = assessors[self.assessor % 3].to_string();
        let role_list = roles(lang, self.size);
        let assessor_role = role_list[self.role % role_list.len()].to_string();

        let mut uuid_bytes = [0u8; 16];
        uuid_bytes[..8].copy_from_slice(&r.next_u64().to_le_bytes());
        uuid_bytes[8..].copy_from_slice(&r.next_u64().to_le_bytes());
        let uuid = uuid::Builder::from_random_bytes(uuid_bytes).into_uuid().to_string();

        // Created in March of the cycle year, finalised two to seven weeks later.
        let day = 2 + r.below(19) as u32;
        let created = at(cycle, 3, day, 8 + r.below(3) as u32, 15 * r.below(4) as u32);
        let finalised =
            (created + TimeDelta::days(14 + r.below(36) as i64)).date().and_hms_opt(0, 0, 0).unwrap_or(created)
                + TimeDelta::minutes(14 * 60 + 15 * r.below(12) as i64);

        let p_insufficient = match self.size {
            Size::Large => 0.008,
            Size::Mid => 0.025,
            Size::Small => 0.045,
        };
        let previous = self.previous.take();
        let previous_plan = self.plan.take();
        let mut responses = Vec::with_capacity(fw.indicators.len());
        for (i, ind) in fw.indicators.iter().enumerate() {
            let mut ri = Rng::stream(self.seed, &[tag("response"), tag(&code), cycle as u64, tag(&ind.code)]);
            let answer = if self.na[i] {
                Answer::NotApplicable
            } else if ri.chance(p_insufficient) {
                Answer::Insufficient
            } else {
                Answer::Level(self.level(i))
            };
            let target = if self.ambitious_target[i] { (ind.default_target + 1).min(4) } else { ind.default_target };
            let value = match answer {
                Answer::Level(l) => Some(l),
                Answer::Insufficient => Some(0),
                _ => None,
            };
            let gap = value.map(|v| target.saturating_sub(v)).unwrap_or(0);
            let confidence = match answer {
                Answer::NotApplicable => None,
                Answer::Insufficient => Some(Confidence::Low),
                _ => {
                    let shift = if self.size == Size::Large { 0.15 } else { 0.0 };
                    let u = ri.unit();
                    Some(if u < 0.3 + shift {
                        Confidence::High
                    } else if u < 0.82 {
                        Confidence::Medium
                    } else {
                        Confidence::Low
                    })
                }
            };
            let commitment = if answer == Answer::NotApplicable || (gap == 0 && ri.chance(0.15)) {
                None
            } else {
                let u = ri.unit();
                Some(if u < self.willing {
                    Commitment::Willing
                } else if u < self.willing + 0.3 {
                    Commitment::Partly
                } else {
                    Commitment::NotYet
                })
            };
            let need = if gap > 0 && ri.chance(0.85) {
                let (a, b) = match self.size {
                    Size::Large => (0.7, 1.0),
                    Size::Mid => (0.25, 0.65),
                    Size::Small => (0.1, 0.4),
                };
                let u = ri.unit();
                Some(if u < a {
                    NeedCategory::A
                } else if u < b {
                    NeedCategory::B
                } else {
                    NeedCategory::C
                })
            } else {
                None
            };
            let ctx = TextCtx { lang, cycle, target, title: ind.title.get(lang) };
            let evidence = match answer {
                Answer::NotApplicable => String::new(),
                _ if ri.chance(0.88) => evidence_note(&mut ri, &ctx, answer, ind.evidence.get(lang)),
                _ => String::new(),
            };
            let mut comments = Vec::new();
            match answer {
                Answer::NotApplicable => comments.push(na_comment(&mut ri, &ctx, &ind.code)),
                Answer::Insufficient => comments.push(fill(ri.pick_str(INSUFFICIENT_COMMENT[lang_i(lang)]), &ctx)),
                Answer::Level(l) => {
                    let before = previous.as_ref().and_then(|(pc, levels)| match levels.get(i) {
                        Some(Answer::Level(p)) if *p < l => Some((*pc, *p)),
                        _ => None,
                    });
                    if let Some((pc, p)) = before.filter(|_| ri.chance(0.6)) {
                        let t = ri.pick_str(IMPROVED_COMMENT[lang_i(lang)]);
                        comments.push(fill(t, &ctx).replace("{p}", &p.to_string()).replace("{pc}", &pc.to_string()));
                    } else if ri.chance(0.68) {
                        let list = if gap > 0 { GAP_COMMENT } else { MET_COMMENT };
                        comments.push(fill(ri.pick_str(list[lang_i(lang)]), &ctx));
                    }
                }
                Answer::Unanswered => {}
            }
            for e in self.events.iter().filter(|e| e.year == cycle - 1 && field_indicator(e.field) == ind.code) {
                comments.push(event_comment(lang, e));
            }
            let updated = created + TimeDelta::minutes(working_minutes(&mut ri, created, finalised));
            responses.push(Response {
                indicator: ind.code.clone(),
                answer,
                target,
                target_confirmed: true,
                confidence,
                commitment,
                evidence,
                comment: comments.join(" "),
                need,
                updated_at: Some(stamp(updated)),
            });
        }

        let mut header = Header {
            id: crate::ids::AssessmentId(0),
            uuid,
            member: code.clone(),
            cycle,
            revision: 1,
            framework_version: fw.meta.version,
            status: Status::Finalised,
            assessor_name,
            assessor_role,
            language: lang.code().to_string(),
            created_at: stamp(created),
            updated_at: stamp(finalised),
            finalised_at: Some(stamp(finalised)),
            approved_by: Some(head.to_string()),
            imported: false,
            content_revision: None,
        };
        let mut out = Vec::new();
        let key = member_key(self.seed, &code);
        let plan =
            demo_plan(self.seed, &code, lang, self.size, cycle, fw, &responses, previous.as_ref(), previous_plan);
        let mut a = Assessment {
            header: header.clone(),
            profile: self.profile.clone(),
            responses,
            plan,
            replies: Vec::new(),
            contributors: Vec::new(),
        };
        let mut previous_digest = None;
        let mut last_finalised = finalised;
        loop {
            let body = exchange::body_from(&a, previous_digest.clone(), export::app_version())
                .expect("a finalised assessment of the current framework always makes a body");
            previous_digest = Some(exchange::digest_of(&body));
            out.push(DemoFile {
                file_name: exchange::file_name(&body),
                bytes: exchange::write(body, &key),
                member: code.clone(),
                cycle,
                revision: header.revision,
            });
            // By default about a third of members revise once, and a third of those once more.
            if header.revision >= max_revisions || !r.chance(revised) {
                break;
            }
            header.revision += 1;
            let created =
                last_finalised + TimeDelta::days(3 + r.below(18) as i64) + TimeDelta::minutes(r.below(120) as i64);
            let finalised = created + TimeDelta::days(1 + r.below(6) as i64) + TimeDelta::minutes(r.below(240) as i64);
            header.created_at = stamp(created);
            header.updated_at = stamp(finalised);
            header.finalised_at = Some(stamp(finalised));
            last_finalised = finalised;
            self.revise(&mut r, &mut a.responses, header.revision, created, finalised, cycle);
            a.header = header.clone();
        }
        self.previous = Some((cycle, a.responses.iter().map(|r| r.answer).collect()));
        self.plan = Some((cycle, a.plan.clone()));
        out
    }

    /// A few answers changed after a validation meeting, and a note added elsewhere.
    fn revise(
        &self,
        r: &mut Rng,
        responses: &mut [Response],
        revision: u32,
        created: NaiveDateTime,
        finalised: NaiveDateTime,
        cycle: i32,
    ) {
        let lang = self.lang;
        let changes = 2 + r.below(3) as usize;
        let meeting = stamp(created).get(..10).unwrap_or_default().to_string();
        let mut touched = Vec::new();
        for _ in 0..changes * 4 {
            if touched.len() >= changes {
                break;
            }
            let i = r.below(responses.len() as u64) as usize;
            if touched.contains(&i) || responses[i].answer == Answer::NotApplicable {
                continue;
            }
            let old = responses[i].answer;
            let new = match old {
                Answer::Insufficient => Answer::Level(self.level(i).clamp(1, 3)),
                Answer::Level(l) if l < 4 && (l == 0 || r.chance(0.7)) => Answer::Level(l + 1),
                Answer::Level(l) if l > 0 => Answer::Level(l - 1),
                _ => continue,
            };
            touched.push(i);
            let resp = &mut responses[i];
            resp.answer = new;
            if let Answer::Level(l) = new {
                let gap = resp.target.saturating_sub(l);
                if gap == 0 {
                    resp.need = None;
                } else if resp.need.is_none() {
                    resp.need = Some(if self.size == Size::Small { NeedCategory::C } else { NeedCategory::B });
                }
                resp.confidence = Some(if r.chance(0.6) { Confidence::High } else { Confidence::Medium });
            }
            let t = match lang {
                Lang::En => "Revised after the validation meeting of {d}: level changed from {a} to {b}.",
                Lang::Fr => "Révisé après la réunion de validation du {d} : niveau passé de {a} à {b}.",
            };
            let note = t
                .replace("{d}", &meeting)
                .replace("{a}", &answer_label(lang, old))
                .replace("{b}", &answer_label(lang, new));
            append(&mut resp.comment, &note);
            resp.updated_at = Some(stamp(created + TimeDelta::minutes(working_minutes(r, created, finalised))));
        }
        // A note added to one more indicator.
        let i = r.below(responses.len() as u64) as usize;
        if !touched.contains(&i) {
            let t = match lang {
                Lang::En => *r.pick(&[
                    "Note added in revision {r}: evidence re-checked with the executive team.",
                    "Note added in revision {r}: figures updated with the {c} annual report.",
                    "Note added in revision {r} at the request of the OCO Secretariat.",
                ]),
                Lang::Fr => *r.pick(&[
                    "Note ajoutée en révision {r} : justificatifs revérifiés avec la direction.",
                    "Note ajoutée en révision {r} : chiffres mis à jour avec le rapport annuel {c}.",
                    "Note ajoutée en révision {r} à la demande du Secrétariat de l'OCO.",
                ]),
            };
            let note = t.replace("{r}", &revision.to_string()).replace("{c}", &(cycle - 1).to_string());
            append(&mut responses[i].comment, &note);
            responses[i].updated_at = Some(stamp(created + TimeDelta::minutes(working_minutes(r, created, finalised))));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Time

fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day).and_then(|d| d.and_hms_opt(hour, minute, 0)).unwrap_or_default()
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Minutes after `from` of a moment strictly between `from` and `to`, in office hours when possible.
fn working_minutes(r: &mut Rng, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    let span = (to - from).num_minutes();
    if span <= 2 {
        return 0;
    }
    let days = span / (24 * 60);
    let day_start = from.date().and_hms_opt(8, 30, 0).unwrap_or(from);
    let candidate =
        day_start + TimeDelta::days(r.below(days as u64 + 1) as i64) + TimeDelta::minutes(r.below(8 * 60) as i64);
    let m = (candidate - from).num_minutes();
    if m > 0 && m < span { m } else { 1 + r.below(span as u64 - 1) as i64 }
}

// ---------------------------------------------------------------------------------------------
// Texts

struct TextCtx<'a> {
    lang: Lang,
    cycle: i32,
    target: u8,
    title: &'a str,
}

fn lang_i(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Fr => 1,
    }
}

/// Lowercases the first letter unless the first word is an acronym or mixed case ("ICT", "MoUs").
fn lc_first(s: &str) -> String {
    let first_word = s.split([' ', '-']).next().unwrap_or("");
    let mut chars = s.chars();
    match chars.next() {
        Some(f) if !first_word.chars().skip(1).any(char::is_uppercase) => f.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

fn append(text: &mut String, note: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(note);
}

const MONTHS: [[&str; 12]; 2] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
];

fn fill(t: &str, c: &TextCtx) -> String {
    t.replace("{Title}", c.title)
        .replace("{title}", &lc_first(c.title))
        .replace("{y}", &(c.cycle - 1).to_string())
        .replace("{c}", &c.cycle.to_string())
        .replace("{y1}", &(c.cycle + 1).to_string())
        .replace("{y2}", &(c.cycle + 2).to_string())
        .replace("{c3}", &(c.cycle + 3).to_string())
        .replace("{t}", &c.target.to_string())
}

fn answer_label(lang: Lang, a: Answer) -> String {
    match (a, lang) {
        (Answer::Level(l), _) => l.to_string(),
        (Answer::Insufficient, Lang::En) => "insufficient information".into(),
        (Answer::Insufficient, Lang::Fr) => "informations insuffisantes".into(),
        (Answer::NotApplicable, Lang::En) => "not applicable".into(),
        (Answer::NotApplicable, Lang::Fr) => "sans objet".into(),
        (Answer::Unanswered, _) => "-".into(),
    }
}

type Templates = [&'static [&'static str]; 2];

const EVIDENCE: [Templates; 5] = [
    [
        &[
            "No {ev} exists yet.",
            "Function not performed at present; no supporting documents.",
            "Nothing formal in place. Checked for: {ev} (none).",
        ],
        &[
            "Aucun justificatif disponible. Élément recherché : {ev}.",
            "Fonction non exercée actuellement ; aucun document.",
            "Rien de formalisé. Vérifié : {ev} (néant).",
        ],
    ],
    [
        &[
            "Informal practice only; {ev} not yet prepared.",
            "A few ad hoc records from {y}; nothing formal.",
            "Relies on one or two experienced officers; nothing documented.",
            "Draft started in {y} ({ev}) but not applied.",
        ],
        &[
            "Pratique informelle uniquement ; document à élaborer : {ev}.",
            "Quelques traces ponctuelles datant de {y}, sans formalisation.",
            "Repose sur un ou deux agents expérimentés ; rien d'écrit.",
            "Projet engagé en {y} ({ev}), non appliqué.",
        ],
    ],
    [
        &[
            "In draft ({y}): {ev}; applied at the main office only.",
            "{Ev}: in place, but coverage is limited outside headquarters.",
            "Seen: {ev} ({y}); implementation under way.",
            "Partly documented. Seen: {ev} ({m}).",
        ],
        &[
            "Projet de document ({y}) : {ev}. Application au bureau principal seulement.",
            "Pièce disponible : {ev}. Couverture limitée hors du siège.",
            "Validé en {y} : {ev}. Mise en œuvre en cours.",
            "Formalisation partielle. Consulté : {ev} ({m}).",
        ],
    ],
    [
        &[
            "{Ev} ({y}): applied in all offices.",
            "Seen: {ev} (version {y}), last reviewed in {m}.",
            "{Ev} on file with the Policy Unit; applied consistently.",
            "Documented and applied: {ev}; management review in {m}.",
        ],
        &[
            "Pièce consultée : {ev} (version {y}). Application dans tous les bureaux.",
            "Consulté : {ev}, dernière revue en {m}.",
            "Classé au bureau de la stratégie : {ev}. Application homogène.",
            "Documenté et appliqué : {ev} ; revue de direction en {m}.",
        ],
    ],
    [
        &[
            "{Ev} published; performance monitored with quarterly indicators.",
            "{Ev} reviewed every year; the {y} review found only minor issues.",
            "Seen: {ev}, benchmarked against WCO guidance in {y}.",
        ],
        &[
            "Publié : {ev}. Suivi par des indicateurs trimestriels.",
            "Revue annuelle : {ev} ; la revue {y} n'a relevé que des points mineurs.",
            "Consulté : {ev}, comparé aux guides de l'OMD en {y}.",
        ],
    ],
];

const EVIDENCE_INSUFFICIENT: Templates = [
    &[
        "{Ev} could not be located before sign-off.",
        "Records held by another ministry; not obtained in time.",
        "Officer responsible was on leave; evidence to follow.",
    ],
    &[
        "Pièce introuvable avant la validation : {ev}.",
        "Documents détenus par un autre ministère ; non obtenus à temps.",
        "Agent responsable en congé ; justificatifs à transmettre.",
    ],
];

const GAP_COMMENT: Templates = [
    &[
        "{Title}: priority for {y1}; assistance from OCO and partners requested.",
        "Funding not yet secured in the {c}/{y1} budget.",
        "Action plan to reach level {t} by {y2} agreed by the executive.",
        "Gap partly due to staff turnover: trained officers left in {y}.",
        "Depends on a donor-funded project expected to start in {y1}.",
        "Would benefit from an OCO regional workshop on {title}.",
        "Included in the corporate plan {c}-{c3}.",
        "Progress slowed by competing priorities at the border in {y}.",
    ],
    &[
        "{Title} : priorité pour {y1} ; appui de l'OCO et des partenaires sollicité.",
        "Financement non encore inscrit au budget {c}/{y1}.",
        "Plan d'action pour atteindre le niveau {t} d'ici {y2}, validé par la direction.",
        "Écart lié en partie à la rotation des effectifs : départ d'agents formés en {y}.",
        "Dépend d'un projet financé par un bailleur, démarrage prévu en {y1}.",
        "Un atelier régional de l'OCO serait utile sur ce point ({title}).",
        "Inscrit au plan stratégique {c}-{c3}.",
        "Avancement ralenti en {y} par d'autres priorités opérationnelles.",
    ],
];

const MET_COMMENT: Templates = [
    &[
        "{Title}: target met; practice to be maintained.",
        "Happy to share our experience on {title} with other members.",
        "Level confirmed by the {y} internal audit.",
        "No major change since the last assessment.",
    ],
    &[
        "{Title} : cible atteinte ; pratique à maintenir.",
        "Expérience à partager avec les autres membres ({title}).",
        "Niveau confirmé par l'audit interne de {y}.",
        "Pas de changement majeur depuis la dernière évaluation.",
    ],
];

const IMPROVED_COMMENT: Templates = [
    &["Up from level {p} in the {pc} assessment.", "Improved since {pc}: new procedures in place and staff trained."],
    &[
        "En progression depuis le niveau {p} de l'évaluation {pc}.",
        "Amélioration depuis {pc} : nouvelles procédures en place, agents formés.",
    ],
];

const NA_COMMENT: Templates = [
    &[
        "Not relevant given the size and trade volume of the administration.",
        "Handled by another agency; outside the Customs mandate.",
        "No such programme or system is planned for an administration of our size.",
    ],
    &[
        "Sans objet compte tenu de la taille et du volume d'échanges de l'administration.",
        "Relève d'un autre service ; hors du champ de compétence de la douane.",
        "Aucun programme ni système de ce type n'est prévu pour une administration de notre taille.",
    ],
];

const INSUFFICIENT_COMMENT: Templates = [
    &[
        "Evidence to be confirmed with the line ministry; scored as insufficient for now.",
        "Information requested but not received before sign-off.",
    ],
    &[
        "Justificatifs à confirmer auprès du ministère de tutelle ; noté « informations insuffisantes » pour l'instant.",
        "Informations demandées mais non reçues avant la validation.",
    ],
];

fn evidence_note(r: &mut Rng, c: &TextCtx, answer: Answer, examples: &[String]) -> String {
    let templates = match answer {
        Answer::Level(l) => EVIDENCE[l.min(4) as usize],
        _ => EVIDENCE_INSUFFICIENT,
    };
    let ev = if examples.is_empty() { c.title.to_string() } else { r.pick(examples).clone() };
    let month = MONTHS[lang_i(c.lang)][r.below(12) as usize];
    let m = format!("{month} {}", c.cycle - 1);
    fill(r.pick_str(templates[lang_i(c.lang)]), c)
        .replace("{Ev}", &ev)
        .replace("{ev}", &lc_first(&ev))
        .replace("{m}", &m)
}

fn na_comment(r: &mut Rng, c: &TextCtx, code: &str) -> String {
    if code == "DC-10" {
        return match c.lang {
            Lang::En => "Indicator aimed at small administrations; not applicable to us.".into(),
            Lang::Fr => "Indicateur destiné aux petites administrations ; sans objet pour nous.".into(),
        };
    }
    fill(r.pick_str(NA_COMMENT[lang_i(c.lang)]), c)
}

fn event_comment(lang: Lang, e: &ProfileEvent) -> String {
    let t = match (e.field, lang) {
        (ProfileField::HsVersion, Lang::En) => "Migration to HS {v} completed in {y}.",
        (ProfileField::HsVersion, Lang::Fr) => "Passage au SH {v} achevé en {y}.",
        (ProfileField::Rkc, Lang::En) => "Customs Act amended in {y} to align with the Revised Kyoto Convention.",
        (ProfileField::Rkc, Lang::Fr) => {
            "Code des douanes modifié en {y} pour s'aligner sur la Convention de Kyoto révisée."
        }
        (ProfileField::WtoValuation, Lang::En) => "WTO Valuation Agreement applied since {y}.",
        (ProfileField::WtoValuation, Lang::Fr) => "Accord de l'OMC sur l'évaluation en douane appliqué depuis {y}.",
        (ProfileField::RiskManagement, Lang::En) => "Risk management framework formally adopted in {y}.",
        (ProfileField::RiskManagement, Lang::Fr) => "Dispositif de gestion des risques adopté officiellement en {y}.",
        (ProfileField::Automation, Lang::En) => "Migration to {v} completed in {y}.",
        (ProfileField::Automation, Lang::Fr) => "Migration vers {v} achevée en {y}.",
        (ProfileField::Arusha, Lang::En) => "Integrity action plan based on the Arusha Declaration adopted in {y}.",
        (ProfileField::Arusha, Lang::Fr) => "Plan d'action intégrité fondé sur la Déclaration d'Arusha adopté en {y}.",
        (ProfileField::Pca, Lang::En) => "Post-clearance audit unit established in {y}.",
        (ProfileField::Pca, Lang::Fr) => "Cellule de contrôle a posteriori créée en {y}.",
    };
    t.replace("{v}", &e.value).replace("{y}", &e.year.to_string())
}

/// Believable development plans (issue 23): an action or two for the most urgent gaps (more for a
/// larger administration), a C need's action a request for assistance saying what is asked; from
/// the second cycle on, last cycle's open actions followed up (done where the level rose, else
/// under way, not started or stopped, each with its line). Its own random stream, so the rest of
/// the files is what it was without plans.
#[allow(clippy::too_many_arguments)]
fn demo_plan(
    seed: u64,
    code: &str,
    lang: Lang,
    size: Size,
    cycle: i32,
    fw: &Framework,
    responses: &[Response],
    previous: Option<&(i32, Vec<Answer>)>,
    previous_plan: Option<(i32, Vec<crate::plan::Action>)>,
) -> Vec<crate::plan::Action> {
    use crate::plan::{Action, ActionStatus, Quarter, Resources};
    let mut r = Rng::stream(seed, &[tag("plan"), tag(code), cycle as u64]);
    let li = lang_i(lang);
    const WHAT: [[&str; 6]; 2] = [
        [
            "Write and adopt a procedure for {t}",
            "Train the officers concerned in {t}",
            "Pilot an improved approach to {t} at the main port",
            "Review the legal basis and the instructions for {t}",
            "Set up monthly reporting on {t} to the executive team",
            "Assign a focal point and a work plan for {t}",
        ],
        [
            "Rédiger et adopter une procédure pour : {t}",
            "Former les agents concernés : {t}",
            "Expérimenter une approche améliorée au port principal : {t}",
            "Revoir la base juridique et les instructions : {t}",
            "Mettre en place un compte rendu mensuel à la direction : {t}",
            "Désigner un point focal et un plan de travail : {t}",
        ],
    ];
    // Who is responsible, by pillar (WF, LP, DC, RD): two likely owners each.
    const OWNERS: [[[&str; 2]; 4]; 2] = [
        [
            ["Human Resources Unit", "Training Officer"],
            ["Policy and Legislation Unit", "Compliance and Enforcement Division"],
            ["ICT Section", "Deputy Comptroller (Operations)"],
            ["Corporate Planning Unit", "Office of the Comptroller"],
        ],
        [
            ["Service des ressources humaines", "Responsable de la formation"],
            ["Cellule juridique et réglementation", "Division du contrôle et de la lutte contre la fraude"],
            ["Section informatique", "Directeur adjoint (opérations)"],
            ["Cellule de planification", "Cabinet du directeur général"],
        ],
    ];
    const REQUEST: [&str; 2] = [
        "A short-term adviser for {w} weeks and a regional workshop seat",
        "Un conseiller pour {w} semaines et une place à l'atelier régional",
    ];
    const PROGRESS: [&str; 2] = [
        "Completed as planned; evidence kept in the unit's files",
        "Réalisée comme prévu ; justificatifs au dossier du service",
    ];
    const UNDER_WAY: [&str; 2] =
        ["About half done; training sessions held", "Environ à moitié ; sessions de formation tenues"];
    const NOT_STARTED: [&str; 2] = ["Budget not released this year", "Budget non débloqué cette année"];
    const STOPPED: [&str; 2] = ["Overtaken by the new Customs Act", "Rendue caduque par le nouveau code des douanes"];

    let mut plan = Vec::new();
    // Last cycle's open actions, their status said and a line on what was done.
    if let Some((from, actions)) = previous_plan {
        for mut a in crate::plan::carried_forward(&actions, from) {
            let i = fw.indicators.iter().position(|ind| ind.code == a.indicator);
            let then = i.and_then(|i| previous.and_then(|(_, levels)| levels.get(i).copied()));
            let now = i.and_then(|i| responses.get(i)).map(|x| x.answer);
            let rose = matches!((then, now), (Some(Answer::Level(b)), Some(Answer::Level(n))) if n > b);
            let roll = r.unit();
            if rose || roll < 0.25 {
                a.status = Some(ActionStatus::Done);
                a.progress = PROGRESS[li].to_string();
            } else if roll < 0.7 {
                a.status = Some(ActionStatus::UnderWay);
                a.progress = UNDER_WAY[li].to_string();
                a.end = Quarter::last_of(cycle + 1).max(a.end);
            } else if roll < 0.9 {
                a.status = Some(ActionStatus::NotStarted);
                a.reason = NOT_STARTED[li].to_string();
                a.start = Quarter::first_of(cycle + 1).max(a.start);
                a.end = a.end.max(a.start);
            } else {
                a.status = Some(ActionStatus::Stopped);
                a.reason = STOPPED[li].to_string();
            }
            plan.push(a);
        }
    }
    let scores = crate::scoring::score(fw, responses);
    let gaps = crate::scoring::ranked_gaps(&scores);
    let wanted = match size {
        Size::Large => 8,
        Size::Mid => 6,
        Size::Small => 4,
    };
    for g in gaps.iter().take(wanted) {
        let open = plan.iter().any(|a: &Action| {
            a.indicator == g.code && !matches!(a.status, Some(ActionStatus::Done) | Some(ActionStatus::Stopped))
        });
        if open {
            continue;
        }
        let title = fw.indicator(&g.code).map(|i| lc_first(i.title.get(lang))).unwrap_or_default();
        let n = if r.chance(0.3) { 2 } else { 1 };
        for k in 0..n {
            let mut a = Action::new(&g.code, cycle, g.need);
            a.what = r.pick_str(&WHAT[li]).replace("{t}", &title);
            let pillar = PILLAR_CODES.iter().position(|p| g.code.starts_with(p)).unwrap_or(3).min(3);
            a.owner = r.pick_str(&OWNERS[li][pillar]).to_string();
            let start = (r.below(3) + k) as u8;
            a.start = Quarter { year: cycle + 1 + (start / 4) as i32, q: start % 4 + 1 };
            let end = start + 1 + r.below(5) as u8;
            a.end = Quarter { year: cycle + 1 + (end / 4) as i32, q: end % 4 + 1 };
            if a.resources == Resources::Own && g.need == Some(NeedCategory::B) && r.chance(0.3) {
                a.resources = Resources::Partner;
            }
            // Most C needs say what they ask; a few forget (the sign-off review flags them).
            if a.resources == Resources::Oco && r.chance(0.9) {
                a.request = REQUEST[li].replace("{w}", &(2 + r.below(6)).to_string());
            }
            a.what = a.what.chars().take(crate::plan::limits::WHAT_MAX).collect();
            plan.push(a);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::OnceLock;

    fn sample() -> &'static [DemoFile] {
        static S: OnceLock<Vec<DemoFile>> = OnceLock::new();
        S.get_or_init(|| generate(42, 2026, 2, 2))
    }

    fn bodies() -> Vec<exchange::ReturnBody> {
        sample().iter().map(|f| exchange::read(&f.bytes, &[]).expect("valid return").body).collect()
    }

    #[test]
    fn every_file_is_a_valid_return_under_64_kb() {
        for f in sample() {
            let v = exchange::read(&f.bytes, &[]).unwrap_or_else(|e| panic!("{}: {e}", f.file_name));
            assert!(f.bytes.len() < 64 * 1024, "{} is {} bytes", f.file_name, f.bytes.len());
            assert_eq!(f.file_name, exchange::file_name(&v.body));
            assert_eq!(
                (f.member.as_str(), f.cycle, f.revision),
                (v.body.member.as_str(), v.body.cycle, v.body.revision)
            );
            assert!(v.body.responses.iter().all(|r| r.answer.is_answered()));
            // The scores in the file are the real ones.
            let (_, responses) = v.body.to_assessment_parts();
            let s = crate::scoring::score(framework::current(), &responses);
            assert_eq!(v.body.scores.overall, s.overall);
        }
    }

    #[test]
    fn deterministic_for_a_seed() {
        let again = generate(42, 2026, 2, 2);
        assert_eq!(again.len(), sample().len());
        assert!(again.iter().zip(sample()).all(|(a, b)| a.file_name == b.file_name && a.bytes == b.bytes));
        let other = generate(43, 2026, 2, 2);
        assert!(other.iter().zip(sample()).any(|(a, b)| a.bytes != b.bytes));
    }

    #[test]
    fn all_members_in_every_cycle_with_chained_revisions() {
        let bodies = bodies();
        for cycle in [2025, 2026] {
            let members: BTreeSet<&str> =
                bodies.iter().filter(|b| b.cycle == cycle && b.revision == 1).map(|b| b.member.as_str()).collect();
            assert_eq!(members.len(), 23, "cycle {cycle}");
        }
        let revised = bodies.iter().filter(|b| b.revision == 2).count();
        assert!(revised > 0 && revised < 23 * 2, "{revised} revisions");
        assert!(bodies.iter().all(|b| b.revision <= 2));
        for b in bodies.iter().filter(|b| b.revision > 1) {
            let prev = bodies
                .iter()
                .find(|p| p.assessment_uuid == b.assessment_uuid && p.revision == b.revision - 1)
                .expect("previous revision");
            assert_eq!(b.previous_digest.as_deref(), Some(exchange::digest_of(prev).as_str()));
            assert!(b.created_at > prev.finalised_at);
            assert_ne!(b.responses, prev.responses);
        }
        assert!(bodies.iter().filter(|b| b.revision == 1).all(|b| b.previous_digest.is_none()));
        // One assessment per member and cycle.
        let uuids: BTreeSet<&str> = bodies.iter().map(|b| b.assessment_uuid.as_str()).collect();
        assert_eq!(uuids.len(), 46);
    }

    #[test]
    fn levels_are_believable() {
        let bodies = bodies();
        let mut levels: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let (mut na, mut insufficient, mut total) = (0, 0, 0);
        for b in &bodies {
            for r in &b.responses {
                total += 1;
                match r.answer {
                    Answer::NotApplicable => na += 1,
                    Answer::Insufficient => insufficient += 1,
                    Answer::Level(l) => levels.entry(b.member.as_str()).or_default().push(l as f64),
                    Answer::Unanswered => {}
                }
            }
        }
        let mean = |m: &str| {
            let v = &levels[m];
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(
            mean("AU") > mean("FJ") && mean("FJ") > mean("NU"),
            "AU {} FJ {} NU {}",
            mean("AU"),
            mean("FJ"),
            mean("NU")
        );
        assert!(mean("NZ") > 3.0 && mean("MH") < 2.0);
        assert!(na > 0 && (na as f64) < total as f64 * 0.08, "{na} N/A of {total}");
        assert!(insufficient > 0 && (insufficient as f64) < total as f64 * 0.08);
        // French-speaking members write in French.
        for b in &bodies {
            let fr = matches!(b.member.as_str(), "NC" | "PF" | "WF");
            assert_eq!(b.language, if fr { "fr" } else { "en" });
        }
        // Members without post-clearance audit score lower on it than those with it.
        let lp09 = |pca: bool| {
            let v: Vec<f64> = bodies
                .iter()
                .filter(|b| (b.profile.pca == "yes") == pca)
                .flat_map(|b| b.responses.iter().filter(|r| r.indicator == "LP-09"))
                .filter_map(|r| match r.answer {
                    Answer::Level(l) => Some(l as f64),
                    _ => None,
                })
                .collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        assert!(lp09(false) + 0.5 < lp09(true), "LP-09 without PCA {} with {}", lp09(false), lp09(true));
    }
}

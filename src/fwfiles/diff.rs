//! What changed between two content revisions: indicators added, retired, renamed, and each
//! level descriptor changed (old and new), then any other text of an indicator or of the
//! metadata, named by field.

use crate::exchange::clean_text;
use crate::framework::{Framework, Text};
use crate::lang::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added {
        code: String,
        title: Text,
    },
    Retired {
        code: String,
        title: Text,
    },
    Renamed {
        code: String,
        old: Text,
        new: Text,
    },
    Descriptor {
        code: String,
        level: usize,
        old: Text,
        new: Text,
    },
    /// Another field of an indicator (its name in the model).
    Field {
        code: String,
        field: String,
    },
    /// A field of the metadata (pillars, priority areas, key actions, M&E, levels…).
    Meta {
        field: String,
    },
}

fn short(s: &str) -> String {
    // Old and new descriptors are shown whole up to a paragraph, control characters removed.
    let t: String = s.chars().filter(|c| !c.is_control()).take(600).collect();
    if s.chars().count() > 600 { format!("{t}…") } else { t }
}

impl Change {
    pub fn message(&self, t: Lang) -> String {
        match self {
            Change::Added { code, title } => {
                t.f("fwdiff.added", &[("code", &clean_text(code)), ("title", &short(title.get(t)))])
            }
            Change::Retired { code, title } => {
                t.f("fwdiff.retired", &[("code", &clean_text(code)), ("title", &short(title.get(t)))])
            }
            Change::Renamed { code, old, new } => t.f(
                "fwdiff.renamed",
                &[("code", &clean_text(code)), ("old", &short(old.get(t))), ("new", &short(new.get(t)))],
            ),
            Change::Descriptor { code, level, old, new } => t.f(
                "fwdiff.descriptor",
                &[
                    ("code", &clean_text(code)),
                    ("level", level),
                    ("old_en", &short(&old.en)),
                    ("new_en", &short(&new.en)),
                    ("old_fr", &short(&old.fr)),
                    ("new_fr", &short(&new.fr)),
                ],
            ),
            Change::Field { code, field } => {
                t.f("fwdiff.field", &[("code", &clean_text(code)), ("field", &clean_text(field))])
            }
            Change::Meta { field } => t.f("fwdiff.meta", &[("field", &clean_text(field))]),
        }
    }
}

/// The changes from `old` to `new`, in framework order.
pub fn changes(old: &Framework, new: &Framework) -> Vec<Change> {
    let mut out = Vec::new();
    for n in &new.indicators {
        let Some(o) = old.indicator(&n.code) else {
            out.push(Change::Added { code: n.code.clone(), title: n.title.clone() });
            continue;
        };
        if o.title != n.title {
            out.push(Change::Renamed { code: n.code.clone(), old: o.title.clone(), new: n.title.clone() });
        }
        for (level, (a, b)) in o.levels.iter().zip(&n.levels).enumerate() {
            if a != b {
                out.push(Change::Descriptor { code: n.code.clone(), level, old: a.clone(), new: b.clone() });
            }
        }
        // Every other field, compared through the model's serialisation (a new field included).
        let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
            (serde_json::to_value(o), serde_json::to_value(n))
        else {
            continue;
        };
        for (k, v) in &b {
            if k != "title" && k != "levels" && a.get(k) != Some(v) {
                out.push(Change::Field { code: n.code.clone(), field: k.clone() });
            }
        }
    }
    for o in &old.indicators {
        if new.indicator(&o.code).is_none() {
            out.push(Change::Retired { code: o.code.clone(), title: o.title.clone() });
        }
    }
    if let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(&old.meta), serde_json::to_value(&new.meta))
    {
        for (k, v) in &b {
            if k != "revision" && a.get(k) != Some(v) {
                out.push(Change::Meta { field: k.clone() });
            }
        }
    }
    out
}

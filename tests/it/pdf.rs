//! PDF writer: a realistic French report with every block type renders, parses and keeps its text.
//!
//! Set `CDF_PDF_SAMPLE=/tmp/sample.pdf` to also write the sample report for a look with pdftoppm.

use cdf_assess::report::doc::{Block, Doc};
use cdf_assess::report::pdf;

/// The text of every page of a PDF, whitespace runs collapsed to single spaces (so phrases that
/// wrap across lines can still be found).
pub fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("bytes parse as PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text extracts from every page");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes).expect("bytes parse as PDF").get_pages().len()
}

const PILLARS: [&str; 4] = [
    "Gestion des ressources humaines",
    "Législation et procédures",
    "Contrôle aux frontières et conformité",
    "Recettes et facilitation des échanges",
];

const MEMBERS: [&str; 8] = [
    "Wallis-et-Futuna",
    "Nouvelle-Calédonie",
    "Polynésie française",
    "Fidji",
    "Samoa",
    "Tonga",
    "Vanuatu",
    "Îles Salomon",
];

/// A French self-assessment report using every block type, with a 60-row table.
fn sample_doc() -> Doc {
    let rows: Vec<Vec<String>> = (1..=60)
        .map(|i| {
            let pillar = ["WF", "LP", "DC", "RD"][i % 4];
            let current = 1 + i % 5;
            let target = (current + 1 + i % 2).min(5);
            let comment = if i % 7 == 0 {
                "Procédure écrite adoptée en 2025 ; la formation des agents de première ligne reste à \
                 organiser avec l’appui du Secrétariat de l’OCO « dès que possible »."
                    .to_string()
            } else if i % 3 == 0 {
                "Données partielles – à confirmer.".to_string()
            } else {
                String::new()
            };
            vec![
                format!("{pillar}-{i:02}"),
                format!("Indicateur n° {i} : efficacité des contrôles et cœur de métier"),
                current.to_string(),
                target.to_string(),
                comment,
            ]
        })
        .collect();

    Doc {
        title: "Auto-évaluation CDF — Wallis-et-Futuna".to_string(),
        subtitle: "Cadre de développement des capacités de l’OCO · cycle 2026".to_string(),
        footer: "cdf-assess 0.1.0 · 2026-11-23".to_string(),
        page_label: "Page {n}".to_string(),
        blocks: vec![
            Block::Heading("Résumé".to_string()),
            Block::Paragraph(
                "Ce rapport présente l’auto-évaluation de l’administration des douanes de Wallis-et-Futuna \
                 au regard du Cadre de développement des capacités (CDF) de l’Organisation douanière \
                 d’Océanie. Chaque indicateur est noté de 1 à 5 ; l’écart entre le niveau actuel et la \
                 cible oriente le plan d’action… Les piliers « Législation et procédures » et « Gestion \
                 des ressources humaines » appellent une attention particulière."
                    .to_string(),
            ),
            Block::KeyValues(vec![
                ("Membre".to_string(), "Wallis-et-Futuna".to_string()),
                ("Période".to_string(), "Janvier – décembre 2026".to_string()),
                ("Évaluateurs".to_string(), "Équipe nationale (4 personnes), validée par le directeur".to_string()),
                ("Version du cadre".to_string(), "v1 (2026)".to_string()),
            ]),
            Block::Note(
                "Les niveaux sont déclarés par le membre et n’ont pas été vérifiés par le Secrétariat.".to_string(),
            ),
            Block::Subheading("Niveaux par pilier".to_string()),
            Block::Bars {
                title: "Niveau moyen par pilier (sur 5)".to_string(),
                items: PILLARS.iter().zip([2.4, 3.1, 1.8, 4.0]).map(|(p, v)| (p.to_string(), v)).collect(),
                max: 5.0,
            },
            Block::Radar {
                title: "Profil actuel et cible".to_string(),
                axes: PILLARS.iter().map(|p| p.to_string()).chain(["Partenariats".to_string()]).collect(),
                series: vec![
                    ("Actuel".to_string(), vec![2.4, 3.1, 1.8, 4.0, 2.0]),
                    ("Cible".to_string(), vec![3.5, 4.0, 3.0, 4.5, 3.0]),
                ],
                max: 5.0,
            },
            Block::PageBreak,
            Block::Heading("Comparaison régionale".to_string()),
            Block::HeatMap {
                title: "Niveau moyen par membre et par pilier".to_string(),
                rows: MEMBERS.iter().map(|m| m.to_string()).collect(),
                cols: PILLARS.iter().map(|p| p.to_string()).collect(),
                values: (0..MEMBERS.len())
                    .map(|r| {
                        (0..4)
                            .map(
                                |c| {
                                    if (r + c) % 6 == 5 { None } else { Some(((r * 3 + c * 2) % 9) as f64 * 0.5 + 1.0) }
                                },
                            )
                            .collect()
                    })
                    .collect(),
                max: 5.0,
            },
            Block::Heading("Détail des indicateurs".to_string()),
            Block::Table {
                headers: ["Code", "Indicateur", "Actuel", "Cible", "Commentaire"].map(String::from).to_vec(),
                widths: vec![1.0, 4.0, 1.0, 1.0, 4.0],
                rows,
            },
            Block::Note("Fin du rapport.".to_string()),
        ],
    }
}

#[test]
fn renders_every_block_type_across_pages_with_french_text() {
    let doc = sample_doc();
    let bytes = pdf::render(&doc).expect("report renders");
    if let Ok(path) = std::env::var("CDF_PDF_SAMPLE") {
        std::fs::write(&path, &bytes).expect("sample written");
    }
    assert!(bytes.starts_with(b"%PDF-"), "PDF header");
    let pages = page_count(&bytes);
    assert!(pages > 2, "the 60-row table runs over several pages, got {pages}");

    let text = pdf_text(&bytes);
    for expected in [
        "Wallis-et-Futuna",
        "Législation et procédures",
        "Auto-évaluation CDF",
        "cœur de métier",
        "Nouvelle-Calédonie",
        "Îles Salomon",
        "Profil actuel et cible",
        "Actuel",
        "Cible",
        "Évaluateurs",
        "WF-60",
        "Fin du rapport.",
        "cdf-assess 0.1.0",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for n in 1..=pages {
        assert!(text.contains(&format!("Page {n}")), "page label {n} missing");
    }
    // The table header repeats on the page the table continues on.
    assert!(text.matches("Commentaire").count() >= 2, "table header not repeated");
}

#[test]
fn empty_and_odd_inputs_still_render() {
    let doc = Doc::default();
    let bytes = pdf::render(&doc).expect("empty document renders");
    assert_eq!(page_count(&bytes), 1);

    let long_word = "x".repeat(400);
    let doc = Doc {
        title: "Cas limites".to_string(),
        page_label: String::new(),
        blocks: vec![
            Block::Paragraph(format!("{long_word}\nligne suivante 漢字 🙂")),
            Block::Table { headers: vec![], widths: vec![], rows: vec![] },
            Block::Table {
                headers: vec!["A".to_string(), "B".to_string()],
                widths: vec![0.0],
                rows: vec![vec!["1".to_string()], vec!["mot ".repeat(2000), "2".to_string(), "extra".to_string()]],
            },
            Block::Bars { title: String::new(), items: vec![("rien".to_string(), f64::NAN)], max: 0.0 },
            Block::Bars { title: "Vide".to_string(), items: vec![], max: 5.0 },
            Block::Radar { title: "Sans axes".to_string(), axes: vec![], series: vec![], max: 5.0 },
            Block::Radar {
                title: "Deux axes".to_string(),
                axes: vec!["A".to_string(), "B".to_string()],
                series: vec![("s".to_string(), vec![9.0])],
                max: 5.0,
            },
            Block::HeatMap { title: "Vide".to_string(), rows: vec![], cols: vec![], values: vec![], max: 5.0 },
            Block::HeatMap {
                title: "Étroite".to_string(),
                rows: vec!["Tuvalu".to_string()],
                cols: (1..=30).map(|i| format!("Colonne {i}")).collect(),
                values: vec![vec![None; 30]],
                max: 5.0,
            },
            Block::PageBreak,
            Block::PageBreak,
            Block::KeyValues(vec![]),
        ],
        ..Doc::default()
    };
    let bytes = pdf::render(&doc).expect("odd document renders");
    let text = pdf_text(&bytes);
    assert!(text.contains("ligne suivante"), "{text}");
    assert!(text.contains("Colonne 30"), "{text}");
}

//! Refuses to build with a broken framework or member registry, naming every problem, and
//! embeds the build's version.

#[path = "src/lang.rs"]
#[allow(dead_code)]
mod lang;

#[path = "src/framework/model.rs"]
#[allow(dead_code)]
mod model;

use std::fs;

fn read(path: &str) -> String {
    println!("cargo:rerun-if-changed={path}");
    fs::read_to_string(path).unwrap_or_else(|e| panic!("\n\ncannot read {path}: {e}\n\n"))
}

fn fail(what: &str, errors: &[String]) -> ! {
    panic!("\n\n{what} is invalid:\n  - {}\n\n", errors.join("\n  - "));
}

/// Every `assets/i18n/<lang>/<area>.json`, embedded through a generated list, so that each area of
/// the app keeps its own catalogue. A file that is not a flat map of strings, or a key defined in
/// two files of one language, stops the build.
fn catalogues() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut code = String::new();
    for lang in ["en", "fr"] {
        let dir = format!("assets/i18n/{lang}");
        println!("cargo:rerun-if-changed={dir}");
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("\n\ncannot read {dir}: {e}\n\n"))
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        let mut seen = std::collections::BTreeMap::<String, String>::new();
        let mut errors = Vec::new();
        code.push_str(&format!("pub const {}: &[(&str, &str)] = &[\n", lang.to_uppercase()));
        for name in names {
            let path = format!("{dir}/{name}");
            let text = read(&path);
            match serde_json::from_str::<std::collections::BTreeMap<String, String>>(&text) {
                Err(e) => errors.push(format!("{path}: {e}")),
                Ok(map) => {
                    for key in map.keys() {
                        if let Some(other) = seen.insert(key.clone(), name.clone()) {
                            errors.push(format!("{path}: \"{key}\" is also in {other}"));
                        }
                    }
                }
            }
            let abs = fs::canonicalize(&path).expect("catalogue path");
            code.push_str(&format!("    ({name:?}, include_str!({:?})),\n", abs.display().to_string()));
        }
        code.push_str("];\n");
        if !errors.is_empty() {
            fail(&format!("The {lang} catalogue (assets/i18n/{lang})"), &errors);
        }
    }
    fs::write(out.join("catalogues.rs"), code).expect("write catalogues.rs");
}

fn main() {
    let meta = read("assets/framework/v1/framework.json");
    let files: Vec<(String, String)> = ["WF", "LP", "DC", "RD"]
        .iter()
        .map(|p| {
            let name = format!("assets/framework/v1/indicators-{p}.json");
            let text = read(&name);
            (name, text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    if let Err(errors) = model::Framework::from_json(&meta, &refs) {
        fail("The framework (assets/framework/v1)", &errors);
    }
    let members = read("assets/members.json");
    match serde_json::from_str::<Vec<model::Member>>(&members) {
        Err(e) => fail("assets/members.json", &[e.to_string()]),
        Ok(list) => {
            let errors = model::validate_members(&list);
            if !errors.is_empty() {
                fail("assets/members.json", &errors);
            }
        }
    }
    catalogues();
    // The commit in the version string follows HEAD.
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let build = if commit.is_empty() { version } else { format!("{version}+{commit}") };
    println!("cargo:rustc-env=CDF_BUILD_VERSION={build}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows_resources(&build);
    }
}

/// The Windows program's icon, version information and manifest, linked into the .exe (and,
/// without the icon, into its console twin): per-monitor DPI awareness (sharp text on scaled
/// screens, the true work area for the first window), long paths, the version 6 common controls
/// (the system dialogs' look) and Windows 10/11 as the supported systems.
fn windows_resources(build: &str) {
    const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <dependency>
    <dependentAssembly>
      <assemblyIdentity type="win32" name="Microsoft.Windows.Common-Controls" version="6.0.0.0"
        processorArchitecture="*" publicKeyToken="6595b64144ccf1df" language="*"/>
    </dependentAssembly>
  </dependency>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application>
      <supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>
    </application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings>
      <dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>
      <dpiAwareness xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">PerMonitorV2, PerMonitor</dpiAwareness>
      <longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware>
    </windowsSettings>
  </application>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security>
      <requestedPrivileges>
        <requestedExecutionLevel level="asInvoker" uiAccess="false"/>
      </requestedPrivileges>
    </security>
  </trustInfo>
</assembly>
"#;
    println!("cargo:rerun-if-changed=assets/icon.ico");
    for (bin, description, file, icon) in [
        ("cdf-assess", "OCO CDF self-assessment", "cdf-assess.exe", true),
        ("cdf-assess-console", "OCO CDF self-assessment (console)", "cdf-assess.com", false),
    ] {
        let mut res = winresource::WindowsResource::new();
        res.set("FileDescription", description)
            .set("ProductName", "OCO CDF self-assessment")
            .set("ProductVersion", build)
            .set("CompanyName", "Oceania Customs Organisation")
            .set("LegalCopyright", "MIT OR Apache-2.0")
            .set("OriginalFilename", file)
            .set("InternalName", bin)
            .set_manifest(MANIFEST);
        if icon {
            res.set_icon("assets/icon.ico");
        }
        if let Err(e) = res.compile_for(bin) {
            panic!(
                "\n\nthe Windows resources (icon, version, manifest) of {bin}: {e}\n(building for Windows on Linux needs mingw-w64's windres)\n\n"
            );
        }
    }
}

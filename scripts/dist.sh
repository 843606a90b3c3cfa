#!/usr/bin/env bash
# The archives a Secretariat hands out to officers, in dist/ (git-ignored):
#
#   dist/cdf-assess-VERSION-windows-x86_64.zip   cdf-assess.exe (the window; double-click it),
#                                                cdf-assess.com (its console twin, for cmd and
#                                                PowerShell), README-EN.txt, LISEZMOI-FR.txt,
#                                                the licences
#   dist/cdf-assess-VERSION-linux-x86_64.tar.gz  cdf-assess, the same texts, the icon
#
# Usage: scripts/dist.sh [windows|linux]...   (both when none is named)
# Builds the release binaries first (Windows: cross-compiled with mingw-w64; .ci/windows installs
# what that needs), unless SKIP_BUILD=1 (then it packs what is built). CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
target_dir=${CARGO_TARGET_DIR:-target}
platforms=("$@")
[ ${#platforms[@]} -eq 0 ] && platforms=(windows linux)
mkdir -p dist

# The texts every archive holds: the officers' README in English and French, the licences, and
# the licences of the fonts compiled into the program.
common() {
    local into=$1
    cp scripts/release/README-EN.txt scripts/release/LISEZMOI-FR.txt LICENSE-MIT LICENSE-APACHE "$into/"
    mkdir -p "$into/licences"
    local dirs d crate f
    dirs=$(cargo metadata --format-version 1 --locked 2>/dev/null | python3 -c '
import json, os, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] in ("epaint_default_fonts", "notosans"):
        print(os.path.dirname(p["manifest_path"]))
')
    for d in $dirs; do
        crate=$(basename "$d")
        for f in "$d"/fonts/*.txt; do
            [ -f "$f" ] && cp "$f" "$into/licences/${crate%-*}-$(basename "$f")"
        done
    done
    [ -n "$(ls "$into/licences")" ] || { echo "no font licence found" >&2; exit 1; }
}

for platform in "${platforms[@]}"; do
    stage=$(mktemp -d)
    case $platform in
    windows)
        triple=x86_64-pc-windows-gnu
        [ "${SKIP_BUILD:-}" = 1 ] || cargo build --profile dist --locked --target "$triple" --bins
        out="$target_dir/$triple/dist"
        name="cdf-assess-$version-windows-x86_64"
        mkdir "$stage/$name"
        cp "$out/cdf-assess.exe" "$stage/$name/cdf-assess.exe"
        cp "$out/cdf-assess-console.exe" "$stage/$name/cdf-assess.com"
        common "$stage/$name"
        # Windows line ends for Notepad.
        for f in "$stage/$name"/*.txt "$stage/$name"/LICENSE-* "$stage/$name"/licences/*; do
            sed -i 's/\r\?$/\r/' "$f"
        done
        rm -f "dist/$name.zip"
        (cd "$stage" && zip -q -r -9 "$OLDPWD/dist/$name.zip" "$name")
        echo "dist/$name.zip"
        ;;
    linux)
        [ "${SKIP_BUILD:-}" = 1 ] || cargo build --profile dist --locked --bin cdf-assess
        name="cdf-assess-$version-linux-x86_64"
        mkdir "$stage/$name"
        cp "$target_dir/dist/cdf-assess" "$stage/$name/"
        cp assets/icon.png "$stage/$name/cdf-assess.png"
        common "$stage/$name"
        tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
        echo "dist/$name.tar.gz"
        ;;
    *)
        echo "unknown platform: $platform (windows or linux)" >&2
        exit 2
        ;;
    esac
    rm -rf "$stage"
done

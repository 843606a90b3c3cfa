#!/usr/bin/env bash
# Redraws the application's icon (assets/icon.png, assets/icon.ico) with ImageMagick: a blue
# tile with three rising bars (levels) on a gold base line. Run from the repository's root.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
convert -size 256x256 xc:none -fill '#1d4f91' -draw 'roundrectangle 8,8 247,247 44,44' \
    -fill white -draw 'roundrectangle 52,148 92,204 6,6' -draw 'roundrectangle 108,108 148,204 6,6' \
    -draw 'roundrectangle 164,60 204,204 6,6' \
    -fill '#f2b705' -draw 'roundrectangle 40,214 216,226 5,5' "$tmp/256.png"
for s in 16 32 48; do convert "$tmp/256.png" -resize "${s}x${s}" "$tmp/$s.png"; done
cp "$tmp/256.png" assets/icon.png
convert "$tmp/16.png" "$tmp/32.png" "$tmp/48.png" "$tmp/256.png" assets/icon.ico

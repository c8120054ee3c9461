#!/bin/sh
# Tera 1 vs Tera 2 on the built-in theme (docs/performance.md).
# Usage: bench/tera2/run.sh [ARTICLES]   (from the repository root)
set -eu
n=${1:-1000}
work=$(mktemp -d)
python3 bench/gen_archive.py --articles "$n" --out "$work/site" --flavor native >/dev/null
# Every template prints its context as JSON: the exact data pressroom hands the theme.
mkdir -p "$work/site/templates"
for t in templates/*.html templates/*.xml; do
    printf '{{ __tera_context | safe }}' > "$work/site/templates/$(basename "$t")"
done
cargo run --release --quiet -- build --root "$work/site" --out "$work/contexts" 2>/dev/null
cargo run --release --quiet --manifest-path bench/tera2/Cargo.toml -- templates "$work/contexts" errors
cargo run --release --quiet --manifest-path bench/tera2/Cargo.toml -- templates "$work/contexts"
rm -rf "$work"

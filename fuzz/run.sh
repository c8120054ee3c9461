#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each, one after another,
# and prints a line per target: corpus size, executions per second, total
# executions, and whether it crashed. Not run by CI (see README.md).
#
#   fuzz/run.sh            # 60 s per target
#   fuzz/run.sh 600 slug   # 10 minutes, one target
#
# cargo-fuzz needs a nightly compiler; RUSTC_BOOTSTRAP=1 lets the stable one
# accept the nightly flags it passes (`-Zsanitizer=address`). Install it with
# `cargo install cargo-fuzz --locked`. NICE=19 runs at the lowest priority.
set -uo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1

seconds="${1:-60}"
[ $# -gt 0 ] && shift
targets=(front_matter markdown slug site_yaml import_front_matter import_hugo_body import_jekyll_body serve_path)
[ $# -gt 0 ] && targets=("$@")
nice=(nice -n "${NICE:-0}")
repo=..

# The dictionary each target uses.
dict_of() {
    case "$1" in
        front_matter | site_yaml | import_front_matter) echo dicts/yaml.dict ;;
        markdown) echo dicts/markdown.dict ;;
        import_hugo_body | import_jekyll_body) echo dicts/import.dict ;;
        serve_path) echo dicts/serve.dict ;;
        slug) echo dicts/slug.dict ;;
    esac
}

# Files of the repository that make good first inputs, beside fuzz/seeds/.
repo_seeds() {
    case "$1" in
        front_matter | markdown) find "$repo/articles" "$repo/authors" "$repo/tests/fixtures/full" -name '*.md' ;;
        site_yaml) find "$repo" -maxdepth 1 -name site.yaml; find "$repo/tests/fixtures" -name site.yaml ;;
        import_front_matter) find "$repo/tests/fixtures"/import-* -name '*.md' -o -name '*.html' ;;
        import_hugo_body) find "$repo/tests/fixtures/import-hugo" -name '*.md' ;;
        import_jekyll_body) find "$repo/tests/fixtures"/import-{jekyll,eleventy} -name '*.md' ;;
    esac
}

# Built once, then the binaries are run directly: a change to the sources
# during a long run does not rebuild under the remaining targets.
"${nice[@]}" cargo fuzz build -a || exit 1
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release
mkdir -p target/logs
failed=0
printf '%-20s %12s %8s %12s  %s\n' target corpus execs/s executions result
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "target/seeds/$t"
    cp seeds/"$t"/* "target/seeds/$t/" 2>/dev/null
    repo_seeds "$t" | while read -r f; do cp "$f" "target/seeds/$t/$(echo "$f" | tr / _)"; done
    log="target/logs/$t.log"
    mkdir -p "artifacts/$t"
    "${nice[@]}" "$bin/$t" -artifact_prefix="artifacts/$t/" "corpus/$t" "target/seeds/$t" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -dict="$(dict_of "$t")" -print_final_stats=1 >"$log" 2>&1
    status=$?
    # The corpus as libFuzzer last reported it: entries/bytes.
    corpus=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    result=ok
    if [ $status -ne 0 ]; then
        result="FAILED (exit $status): see fuzz/$log and fuzz/artifacts/$t/"
        failed=1
    fi
    printf '%-20s %12s %8s %12s  %s\n' "$t" "$corpus" "${rate:--}" "${runs:--}" "$result"
done
exit $failed

#!/usr/bin/env bash
# The browser checks of pressroom's output, in one command:
#   tests/browser/run.sh [CHECK...]
# CHECK is any of: html a11y behaviour feeds links lighthouse (default: all).
# Installs what is missing (Debian's chromium, a Java runtime, xmllint; the
# pinned npm packages), builds pressroom and the two sites, runs every check,
# and exits non-zero if any of them fails.
#
# Environment:
#   CHECKS_OUT         where the sites and reports go (default target/browser-checks)
#   PRESSROOM_PROFILE  cargo profile to build pressroom with: dev (default) or release
#   PRESSROOM_BIN      use this pressroom binary instead of building one
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${CHECKS_OUT:-$root/target/browser-checks}"
all=(html a11y behaviour feeds links lighthouse)
if [ "$#" -gt 0 ]; then checks=("$@"); else checks=("${all[@]}"); fi
for c in "${checks[@]}"; do
  case " ${all[*]} " in *" $c "*) ;; *) echo "unknown check: $c (known: ${all[*]})" >&2; exit 2 ;; esac
done

step() { printf '\n== %s\n' "$*"; }
started=$(date +%s)

# 1. System packages, only when missing.
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v xmllint >/dev/null || need+=(libxml2-utils)
if [ "${#need[@]}" -gt 0 ]; then
  step "installing ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${need[*]}: install them (apt-get install ${need[*]}) or run as root" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# 2. npm packages, pinned by package-lock.json; install scripts are not run
# (no tool downloads a browser or a Java runtime of its own).
stamp="$here/node_modules/.lock-stamp"
if ! cmp -s "$here/package-lock.json" "$stamp" 2>/dev/null; then
  step "npm ci"
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$stamp"
fi

# 3. pressroom itself. The dev profile gives byte-identical output and reuses
# what `cargo test` already compiled; PRESSROOM_PROFILE=release for the real thing.
if [ -n "${PRESSROOM_BIN:-}" ]; then
  bin="$PRESSROOM_BIN"
else
  profile="${PRESSROOM_PROFILE:-dev}"
  step "cargo build --profile $profile"
  (cd "$root" && cargo build --locked --quiet --profile "$profile")
  if [ "$profile" = dev ]; then bin="$root/target/debug/pressroom"; else bin="$root/target/$profile/pressroom"; fi
fi

# 4. The sites: the bundled sample archive and the fixture with every feature,
# each at the root of a host and under a base URL with a path. The primary
# builds get every check; the other two the links and feeds checks.
fixture="$root/tests/fixtures/full"
step "building the sites into $out"
rm -rf "$out/sites"
mkdir -p "$out/sites"
build() { # name root base-url primary
  "$bin" build --root "$2" --out "$out/sites/$1" --base-url "$3" >/dev/null
  printf '%s{"name":"%s","dir":"%s","baseUrl":"%s","primary":%s}' "$sep" "$1" "$out/sites/$1" "$3" "$4"
  sep=','
}
# The sample archive again with `language: fr`, for the search script's strings.
french="$out/sample-fr-src"
rm -rf "$french"
mkdir -p "$french"
cp -R "$root/articles" "$root/authors" "$root/topics" "$root/static" "$french/"
sed 's/^language: "en"$/language: "fr"/' "$root/site.yaml" >"$french/site.yaml"
grep -q '^language: "fr"$' "$french/site.yaml"
sep=''
{
  printf '['
  build sample "$root" https://example.org/ true
  build sample-under-path "$root" https://example.org/commentary/ false
  build full "$fixture" https://example.org/commentary/ true
  build full-at-root "$fixture" https://example.org/ false
  build sample-fr "$french" https://example.org/ false
  printf ']\n'
} >"$out/sites.json"
export SITES_JSON="$out/sites.json" CHECKS_OUT="$out"
echo "sample archive and tests/fixtures/full, at / and at /commentary/; the sample archive in French"

# 5. The checks. Each runs even when an earlier one failed.
passed=0
failed=0
failures=()
for c in "${checks[@]}"; do
  case "$c" in
    html) cmd=(node "$here/check-html.mjs") ;;
    a11y) cmd=(node "$here/check-a11y.mjs") ;;
    behaviour) cmd=(node --test --test-reporter=spec "$here/behaviour.test.mjs" "$here/search.test.mjs") ;;
    feeds) cmd=(node "$here/check-feeds.mjs") ;;
    links) cmd=(node "$here/check-links.mjs") ;;
    lighthouse) cmd=(node "$here/check-lighthouse.mjs") ;;
  esac
  step "$c"
  t0=$(date +%s)
  if "${cmd[@]}"; then
    passed=$((passed + 1))
    echo "-- $c: passed in $(($(date +%s) - t0)) s"
  else
    failed=$((failed + 1))
    failures+=("$c")
    echo "-- $c: FAILED in $(($(date +%s) - t0)) s"
  fi
done

printf '\nbrowser checks took %s s\n' "$(($(date +%s) - started))"
[ "$failed" -eq 0 ] || echo "failed: ${failures[*]}"
echo "browser-checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

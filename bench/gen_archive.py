#!/usr/bin/env python3
"""Seeded synthetic archive of policy commentary, for the benchmarks.

    python3 bench/gen_archive.py --articles 10000 --out DIR --flavor native [--seed 20260101]

The archive looks like a think tank's commentary desk: about 8 KB of Markdown
per article (headings, emphasis, outside links, inline code, footnotes,
tables, block quotes, lists), 200 authors and 60 topics with a few prolific
ones, dates from 2005 to mid-2026, and cross-references to earlier articles.

Flavors (the same seed gives the same articles, word for word, in both):

native   pressroom's input:
           DIR/articles/YYYY/SLUG.md    YAML front matter: title, date,
                                        authors (slugs), topics (names), summary
           DIR/authors/SLUG.yaml        name, role, bio
           cross-references: [text](../YYYY/SLUG.md)
hugo     for the Hugo site in bench/sites/hugo/ (copy its config.toml and
         layouts/ into DIR):
           DIR/content/articles/YYYY/SLUG.md   the same front matter
           DIR/data/authors/SLUG.yaml          the same author files
           cross-references: [text]({{< relref "/articles/YYYY/SLUG.md" >}})

Slugs are unique within a year, not across years (the same headline can come
back a year later), as in archives imported from date-based URLs.

Only random.Random.random() is used for randomness: Python guarantees its
sequence for a given integer seed across versions, so the same seed gives the
same archive byte for byte on any Python 3. Standard library only.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import re
import sys
import time

DEFAULT_SEED = 20260101
AUTHOR_COUNT = 200

TOPICS = [
    "Housing", "Rents & tenancy", "Planning reform", "Public transport", "Rail",
    "Roads & congestion", "Pensions", "Social security", "Child care", "Schools",
    "Universities", "Skills & apprenticeships", "Health services", "Mental health",
    "Public health", "Drug policy", "Policing", "Courts & justice", "Prisons",
    "Local government", "Devolution", "Elections", "Party finance", "Parliament",
    "Civil service", "Public spending", "Taxation", "Public debt", "Central banking",
    "Inflation", "Wages & work", "Trade unions", "Productivity", "Competition",
    "Banking", "Housing finance", "Energy prices", "Electricity grids",
    "Renewable power", "Nuclear power", "Climate adaptation", "Water & rivers",
    "Farming", "Food prices", "Trade", "Tariffs", "Migration", "Asylum",
    "Defence", "Alliances", "Foreign aid", "Sanctions", "Cyber security",
    "Data & privacy", "Artificial intelligence", "Telecoms", "Broadband",
    "Media & press", "Charities", "Census & statistics",
]

GIVEN = (
    "Ada Bram Cecile Dario Edith Femi Greta Hamza Iris Joao Kemal Lena Marek Nadia "
    "Oren Paula Quentin Rosa Stellan Tamsin Ugo Valeria Wendell Ximena Yusuf Zainab "
    "Agnes Bilal Clara Dev Elif Fintan Hana Ivo Jolene Kofi Leila Mateo Noor Otto "
    "Pilar Rui Saoirse Teodor Una Viktor"
).split()
FAMILY = (
    "Achebe Bergstrom Carvalho Delacroix Eze Fontaine Grieve Halloran Iqbal Jovanovic "
    "Kaur Lombardi Mwangi Nilsen Oduya Prescott Quarshie Ramaswamy Sorensen Trevino "
    "Ulloa Vasquez Whitlock Yamada Zielinski Abara Blackwood Costa Duarte Falk Gallo "
    "Hartley Ito Keane Larsen Moretti Nakagawa Ortega Pham Reyes Stroud Tiwari"
).split()
ROLES = ["Senior Fellow", "Fellow", "Research Fellow", "Associate Fellow",
         "Director of Research", "Policy Analyst", "Economist", "Visiting Fellow",
         "Commissioning Editor", "Head of Programme"]
PROGRAMMES = ["Cities Programme", "Public Finance Unit", "Work and Welfare Team",
              "Energy Transition Project", "Justice Programme", "Health Policy Unit",
              "Democracy Project", "Trade and Security Programme", "Data Lab",
              "Education Programme"]

# Sentences are built from slots: [opener] subject verb [quality] object [qualifier].
OPENERS = ["In practice,", "On the evidence so far,", "Put bluntly,", "Even so,",
           "Over the past decade,", "Since the last review,", "For most households,",
           "At local level,", "Looked at closely,", "Until now,", "Crucially,",
           "In most regions,", "By any measure,", "For ministers,"]
# Subjects as (text, plural?); verbs as (with a singular subject, with a plural one).
SUBJECTS = [("the government", False), ("the treasury", False), ("the regulator", False),
            ("local councils", True), ("the new minister", False), ("the opposition", False),
            ("employers", True), ("most landlords", True), ("the central bank", False),
            ("the audit office", False), ("the select committee", False), ("smaller firms", True),
            ("the courts", True), ("regional mayors", True), ("the health service", False),
            ("the statistics office", False), ("households on low incomes", True),
            ("the reform bill", False), ("this spending round", False),
            ("the latest white paper", False), ("the official forecast", False),
            ("the inspectorate", False), ("trade negotiators", True), ("the grid operator", False)]
VERBS = [("has underestimated", "have underestimated"), ("keeps postponing", "keep postponing"),
         ("quietly widened", "quietly widened"), ("will have to fund", "will have to fund"),
         ("cannot ignore", "cannot ignore"), ("has misread", "have misread"),
         ("now depends on", "now depend on"), ("overstated", "overstated"),
         ("is still paying for", "are still paying for"), ("should publish", "should publish"),
         ("has yet to explain", "have yet to explain"), ("chose to protect", "chose to protect"),
         ("failed to measure", "failed to measure"), ("is right to question", "are right to question"),
         ("struggles to enforce", "struggle to enforce"), ("has finally costed", "have finally costed"),
         ("watered down", "watered down"), ("is betting on", "are betting on"),
         ("ought to simplify", "ought to simplify"), ("barely mentions", "barely mention")]
QUALITIES = ["the hidden", "the rising", "a fragile", "an unfunded", "the promised",
             "the long-delayed", "a lopsided", "the overdue", "a modest", "the contested",
             "a credible", "the patchy", "an ambitious", "the uneven", "a cheaper",
             "the temporary", "a permanent", "the regional"]
OBJECTS = ["cost of borrowing", "backlog of cases", "cap on rents", "shortfall in staff",
           "pension promise", "duty on fuel", "bus subsidy", "target for new homes",
           "appeals process", "social care budget", "capital programme", "tariff schedule",
           "connection queue", "repair bill", "waiting list", "settlement with councils",
           "price guarantee", "training levy", "fiscal rule", "planning consent",
           "procurement framework", "data-sharing agreement", "inspection regime",
           "minimum wage"]
QUALIFIERS = ["for a second year", "without saying so", "in the poorest areas",
              "at considerable expense", "despite the warnings", "as the figures show",
              "before the next election", "across every region", "in all but name",
              "at the worst possible moment", "for the first time since 2008",
              "with little scrutiny", "on paper at least", "by a wide margin"]

TITLES = [
    "What {topic} in {region} tells us about {quality} {object}",
    "{Topic}: the {object} nobody budgeted for in {region}",
    "{Topic}: why {subject} {verb} {quality} {object}",
    "Five questions on {topic}, {region} and {quality} {object}",
    "After the vote in {region}: {topic} and {quality} {object}",
    "Is {quality} {object} the answer on {topic}?",
    "Getting {topic} right in {region} means fixing {quality} {object}",
    "{Topic} in numbers: {quality} {object} in {region}",
    "Towards {quality} {object} for {topic} in {region}",
    "Why {subject} {verb} the {object} in {region}",
    "{Topic} needs more than {quality} {object}",
    "The quiet politics of {quality} {object} in {region}",
]
HEADINGS = ["The background", "What the numbers show", "Who pays", "What changed",
            "Three options", "The case against", "What other countries do",
            "Where this leaves {topic}", "What to watch", "A way forward",
            "Recommendations", "The {object} in detail"]
LINK_LABELS = ["the published figures", "the consultation response", "an audit report",
               "the minutes", "committee evidence", "the impact assessment",
               "a survey of councils", "the original announcement", "the data tables",
               "an independent review"]
LINK_SITES = ["https://data.example.gov", "https://www.example.org/reports",
              "https://parliament.example.net/evidence", "https://stats.example.com/tables"]
XREF_LABELS = ["we made this case before", "an earlier piece", "our analysis at the time",
               "the background", "a previous commentary", "what we wrote then",
               "the first part of this argument", "an earlier warning"]
COLUMN_NAMES = ["Spending (bn)", "Change (%)", "Share (%)", "Homes started",
                "Waiting (weeks)", "Per head", "Staff (000s)", "Index"]
REGIONS = ["North East", "North West", "Yorkshire", "East Midlands", "West Midlands",
           "East", "London", "South East", "South West", "Wales", "Scotland",
           "Northern Ireland"]
SPEAKERS = ["a council finance director", "a former permanent secretary",
            "the committee chair", "a housing association chief executive",
            "a union negotiator", "the regulator's annual report",
            "a backbench member", "an official evaluation"]


class Rng:
    """Draws built on random.Random.random() alone (stable across Pythons)."""

    def __init__(self, seed: int):
        self._random = random.Random(seed).random

    def below(self, n: int) -> int:
        return int(self._random() * n)

    def between(self, lo: int, hi: int) -> int:
        """An integer in lo..=hi."""
        return lo + self.below(hi - lo + 1)

    def chance(self, p: float) -> bool:
        return self._random() < p

    def pick(self, items):
        return items[self.below(len(items))]

    def weighted(self, items, cumulative):
        """One of items, with the running totals of their weights."""
        x = self._random() * cumulative[-1]
        return items[min(bisect.bisect_right(cumulative, x), len(items) - 1)]

    def seed(self) -> int:
        return self.below(1 << 48)


def zipf_cumulative(n: int, s: float) -> list[float]:
    """Running totals of weights 1/k^s: a few items get most of the use."""
    return list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def slugify(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def sentence(rng: Rng) -> str:
    parts = [rng.pick(OPENERS)] if rng.chance(0.3) else []
    subject, plural = rng.pick(SUBJECTS)
    parts += [subject, rng.pick(VERBS)[plural]]
    parts.append(rng.pick(QUALITIES) + " " + rng.pick(OBJECTS) if rng.chance(0.7)
                 else "the " + rng.pick(OBJECTS))
    if rng.chance(0.55):
        parts.append(rng.pick(QUALIFIERS))
    return capitalise(" ".join(parts)) + "."


def fill(rng: Rng, pattern: str, topic: str) -> str:
    """A title or heading pattern with its slots drawn from the vocabulary."""
    slots = {
        "topic": topic.lower(), "Topic": topic, "object": rng.pick(OBJECTS),
        "quality": rng.pick(QUALITIES), "region": rng.pick(REGIONS),
    }
    slots["subject"], plural = rng.pick(SUBJECTS)
    slots["verb"] = rng.pick(VERBS)[plural]
    return capitalise(pattern.format(**slots))


class Body:
    """One article's Markdown, drawn from its own seed so that every flavor
    gets the same words; only the cross-reference syntax differs."""

    def __init__(self, seed: int, topic: str, xrefs: list[str]):
        self.rng = Rng(seed)
        self.topic = topic
        self.xrefs = xrefs  # links already in the flavor's syntax
        self.footnotes_left = self.rng.pick([0, 0, 1, 1, 2, 3])
        self.footnotes: list[str] = []
        self.size = 0  # bytes of text so far, links to other articles not counted

    def decorated(self) -> str:
        """A sentence with, sometimes, emphasis, a link, code or a footnote."""
        rng = self.rng
        s = sentence(rng)
        roll = rng.below(100)
        words = s.split(" ")
        if roll < 10 and len(words) > 3:
            i = rng.between(1, len(words) - 2)
            words[i] = "*" + words[i] + "*"
            s = " ".join(words)
        elif roll < 15 and len(words) > 4:
            i = rng.between(1, len(words) - 3)
            words[i] = "**" + words[i]
            words[i + 1] += "**"
            s = " ".join(words)
        elif roll < 23:
            url = "%s/%d/%s" % (rng.pick(LINK_SITES), rng.between(2004, 2026),
                                slugify(rng.pick(OBJECTS)))
            s = s[:-1] + " ([%s](%s))." % (rng.pick(LINK_LABELS), url)
        elif roll < 25:
            s = s[:-1] + " (clause `%s-%d`)." % (slugify(rng.pick(OBJECTS)), rng.between(1, 40))
        if self.footnotes_left and rng.chance(0.12):
            s += self.footnote()
        self.size += len(s) + 1
        if self.xrefs and rng.chance(0.15):
            s += " (%s: %s.)" % (capitalise(rng.pick(XREF_LABELS)), self.xrefs.pop(0))
        return s

    def footnote(self) -> str:
        self.footnotes_left -= 1
        self.footnotes.append(sentence(self.rng))
        return "[^%d]" % len(self.footnotes)

    def paragraph(self) -> str:
        return " ".join(self.decorated() for _ in range(self.rng.between(3, 8)))

    def quote(self) -> str:
        rng = self.rng
        said = sentence(rng) + " " + sentence(rng)
        return "> %s\n>\n> — %s" % (said, rng.pick(SPEAKERS))

    def bullets(self) -> str:
        rng = self.rng
        marker = "1." if rng.chance(0.4) else "-"
        return "\n".join("%s %s" % (marker, sentence(rng)) for _ in range(rng.between(3, 6)))

    def table(self) -> str:
        rng = self.rng
        columns = [rng.pick(COLUMN_NAMES) for _ in range(rng.between(2, 4))]
        lines = ["| Region | " + " | ".join(columns) + " |",
                 "|---|" + "---:|" * len(columns)]
        start = rng.below(len(REGIONS) - 6)
        for region in REGIONS[start:start + rng.between(3, 6)]:
            cells = ["%.1f" % (rng.below(10000) / 10) for _ in columns]
            lines.append("| " + region + " | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def extras(self) -> dict[str, bool]:
        rng = self.rng
        return {"quote": rng.chance(0.25), "list": rng.chance(0.35), "table": rng.chance(0.12)}

    def markdown(self) -> str:
        rng = self.rng
        target = rng.between(6000, 8000)  # bytes of prose; with the rest, about 8 KB
        extras = self.extras()
        headings = rng.pick([0, 1, 1, 2, 3])
        blocks: list[str] = []
        while self.size < target:
            if blocks and headings and rng.chance(0.25):
                headings -= 1
                blocks.append("## " + fill(rng, rng.pick(HEADINGS), self.topic))
            for kind, make in (("quote", self.quote), ("list", self.bullets), ("table", self.table)):
                if blocks and extras[kind] and rng.chance(0.2):
                    extras[kind] = False
                    blocks.append(make())
            blocks.append(self.paragraph())
        if self.xrefs:
            blocks.append("Further reading: " + "; ".join(self.xrefs) + ".")
            self.xrefs = []
        while self.footnotes_left:
            blocks[-1] += self.footnote()
        blocks += ["[^%d]: %s" % (i, text) for i, text in enumerate(self.footnotes, 1)]
        return "\n\n".join(blocks) + "\n"


def make_authors(rng: Rng) -> list[dict]:
    authors, seen = [], set()
    while len(authors) < AUTHOR_COUNT:
        name = rng.pick(GIVEN) + " " + rng.pick(FAMILY)
        slug = slugify(name)
        if slug in seen:
            continue
        seen.add(slug)
        role = rng.pick(ROLES)
        if rng.chance(0.5):
            role += ", " + rng.pick(PROGRAMMES)
        bio = "%s writes on %s and %s. %s" % (
            name, rng.pick(TOPICS).lower(), rng.pick(TOPICS).lower(), sentence(rng))
        authors.append({"slug": slug, "name": name, "role": role, "bio": bio})
    return authors


def draw_distinct(rng: Rng, items, cumulative, count: int) -> list:
    """Up to count weighted draws, duplicates dropped, in draw order."""
    out = []
    for _ in range(count):
        item = rng.weighted(items, cumulative)
        if item not in out:
            out.append(item)
    return out


def make_articles(rng: Rng, n: int, authors: list[dict]) -> list[dict]:
    slugs = [a["slug"] for a in authors]
    author_weights = zipf_cumulative(len(slugs), 0.8)
    topic_weights = zipf_cumulative(len(TOPICS), 0.7)
    first = dt.date(2005, 1, 1).toordinal()
    span = dt.date(2026, 6, 30).toordinal() - first + 1
    days = sorted(first + rng.below(span) for _ in range(n))
    taken: set[tuple[int, str]] = set()
    articles = []
    for i, day in enumerate(days):
        date = dt.date.fromordinal(day)
        topics = draw_distinct(rng, TOPICS, topic_weights, rng.between(1, 4))
        title = fill(rng, rng.pick(TITLES), topics[0])
        base = slugify(title)[:80].strip("-")
        slug, k = base, 2
        while (date.year, slug) in taken:
            slug, k = "%s-%d" % (base, k), k + 1
        taken.add((date.year, slug))
        summary = sentence(rng) + (" " + sentence(rng) if rng.chance(0.5) else "")
        earlier = sorted({rng.below(i) for _ in range(rng.pick([0, 0, 1, 1, 2, 3]))}) if i else []
        articles.append({
            "date": date, "slug": slug, "title": title, "summary": summary,
            "authors": draw_distinct(rng, slugs, author_weights, rng.between(1, 3)),
            "topics": topics, "xrefs": earlier, "seed": rng.seed(),
        })
    return articles


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def front_matter(article: dict) -> str:
    return "---\n%s---\n\n" % "".join("%s: %s\n" % kv for kv in (
        ("title", quoted(article["title"])),
        ("date", article["date"].isoformat()),
        ("authors", "[" + ", ".join(map(quoted, article["authors"])) + "]"),
        ("topics", "[" + ", ".join(map(quoted, article["topics"])) + "]"),
        ("summary", quoted(article["summary"])),
    ))


def cross_reference(flavor: str, label: str, target: dict) -> str:
    path = "%d/%s.md" % (target["date"].year, target["slug"])
    if flavor == "native":
        return "[%s](../%s)" % (label, path)
    return '[%s]({{< relref "/articles/%s" >}})' % (label, path)


def write(path: str, text: str) -> int:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def generate(n: int, seed: int, flavor: str, out: str) -> tuple[int, int]:
    """Write the archive; returns (authors, bytes of Markdown written)."""
    rng = Rng(seed)
    authors = make_authors(rng)
    articles = make_articles(rng, n, authors)
    articles_dir, authors_dir = (("articles", "authors") if flavor == "native"
                                 else ("content/articles", "data/authors"))
    for a in authors:
        write(os.path.join(out, authors_dir, a["slug"] + ".yaml"), "name: %s\nrole: %s\nbio: %s\n" % (
            quoted(a["name"]), quoted(a["role"]), quoted(a["bio"])))
    total = 0
    for article in articles:
        labels = Rng(article["seed"] ^ 0x5EED)  # link labels: the same in every flavor
        links = [cross_reference(flavor, labels.pick(XREF_LABELS), articles[j])
                 for j in article["xrefs"]]
        body = Body(article["seed"], article["topics"][0], links).markdown()
        path = os.path.join(out, articles_dir, str(article["date"].year), article["slug"] + ".md")
        total += write(path, front_matter(article) + body)
    return len(authors), total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, required=True, help="how many articles")
    ap.add_argument("--out", required=True, help="folder to create (must be missing or empty)")
    ap.add_argument("--flavor", choices=["native", "hugo"], required=True)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    args = ap.parse_args()
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    if os.path.isdir(args.out) and os.listdir(args.out):
        sys.exit(f"{args.out} is not empty: refusing to write into it")
    start = time.perf_counter()
    n_authors, total = generate(args.articles, args.seed, args.flavor, args.out)
    print("flavor=%s articles=%d authors=%d topics=%d markdown_bytes=%d seconds=%.1f out=%s" % (
        args.flavor, args.articles, n_authors, len(TOPICS), total,
        time.perf_counter() - start, args.out))


if __name__ == "__main__":
    main()

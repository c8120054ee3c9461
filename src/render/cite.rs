//! "Cite this article": ready-to-copy citations in the common styles, the
//! `.bib` and `.ris` files, and Google Scholar's `citation_*` values, all
//! made from one description of the article (`Work`).

use crate::content::date::month_name;
use serde::Serialize;

/// What every citation is made from.
pub struct Work<'a> {
    pub title: &'a str,
    /// Authors' full names, in byline order.
    pub authors: Vec<&'a str>,
    /// Year, month (1-12), day.
    pub date: (i32, u8, u8),
    /// The site (or, for an article first published elsewhere, still the site that hosts this copy).
    pub publisher: &'a str,
    pub url: &'a str,
    pub summary: &'a str,
    pub topics: Vec<&'a str>,
    /// A key for BibTeX, e.g. `okonkwo2024interconnection`.
    pub key: String,
}

/// The citations of one article, as `article.citation`.
#[derive(Serialize, Debug, PartialEq)]
pub struct Citations {
    pub chicago: String,
    pub apa: String,
    pub mla: String,
    pub bibtex: String,
    pub ris: String,
    /// Authors as Google Scholar wants them: `Family, Given`.
    pub scholar_authors: Vec<String>,
    /// `2024/03/18`.
    pub scholar_date: String,
}

/// A person's name split as citation styles need it.
struct Name<'a> {
    given: &'a str,
    family: &'a str,
}

/// The last word is the family name ("Mara Okonkwo" -> Okonkwo, Mara); a
/// one-word name is all family name.
fn split_name(full: &str) -> Name<'_> {
    let full = full.trim();
    match full.rfind(char::is_whitespace) {
        Some(i) => Name {
            given: full[..i].trim(),
            family: full[i..].trim(),
        },
        None => Name {
            given: "",
            family: full,
        },
    }
}

fn inverted(n: &Name<'_>) -> String {
    if n.given.is_empty() {
        n.family.to_string()
    } else {
        format!("{}, {}", n.family, n.given)
    }
}

fn initials(given: &str) -> String {
    given
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|part| part.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Joins with commas and a final `, and` (`A, B, and C`; `A, and B`), as
/// Chicago does after an inverted first name.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// Ends a title with a period unless it already ends in punctuation.
fn closed(title: &str) -> String {
    if title.ends_with(['.', '?', '!']) {
        title.to_string()
    } else {
        format!("{title}.")
    }
}

fn month(m: u8) -> &'static str {
    time::Month::try_from(m).map(month_name).unwrap_or("")
}

/// MLA abbreviates months of more than four letters.
fn mla_month(m: u8) -> String {
    let name = month(m);
    if name.len() <= 4 {
        name.to_string()
    } else if m == 9 {
        "Sept.".to_string()
    } else {
        format!("{}.", &name[..3])
    }
}

impl Work<'_> {
    /// The work's BibTeX entry (as in [`Work::citations`]).
    pub fn bibtex_entry(&self) -> String {
        self.bibtex(&self.names())
    }

    /// The work's RIS record (as in [`Work::citations`]).
    pub fn ris_record(&self) -> String {
        self.ris(&self.names())
    }

    fn names(&self) -> Vec<Name<'_>> {
        self.authors.iter().map(|a| split_name(a)).collect()
    }

    /// Every citation of the work.
    pub fn citations(&self) -> Citations {
        let names = self.names();
        let (y, m, d) = self.date;
        Citations {
            chicago: self.chicago(&names),
            apa: self.apa(&names),
            mla: self.mla(&names),
            bibtex: self.bibtex(&names),
            ris: self.ris(&names),
            scholar_authors: names.iter().map(inverted).collect(),
            scholar_date: format!("{y:04}/{m:02}/{d:02}"),
        }
    }

    /// Chicago, notes and bibliography, web page: `Family, Given, Given Family, and Given Family. "Title." Site, Month D, YYYY. URL.`
    fn chicago(&self, names: &[Name<'_>]) -> String {
        let people: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                if i == 0 {
                    inverted(n)
                } else {
                    format!("{} {}", n.given, n.family).trim().to_string()
                }
            })
            .collect();
        let (y, m, d) = self.date;
        format!(
            "{} “{}” {}, {} {d}, {y}. {}.",
            closed(&join_and(&people)),
            closed(self.title),
            self.publisher,
            month(m),
            self.url
        )
    }

    /// APA 7: `Family, G., Family, G., & Family, G. (YYYY, Month D). Title. Site. URL`
    fn apa(&self, names: &[Name<'_>]) -> String {
        let people: Vec<String> = names
            .iter()
            .map(|n| {
                let i = initials(n.given);
                if i.is_empty() {
                    n.family.to_string()
                } else {
                    format!("{}, {i}", n.family)
                }
            })
            .collect();
        let authors = match people.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{}, & {last}", rest.join(", ")),
        };
        let (y, m, d) = self.date;
        format!(
            "{} ({y}, {} {d}). {} {}. {}",
            authors,
            month(m),
            closed(self.title),
            self.publisher,
            self.url
        )
    }

    /// MLA 9: one author inverted, two joined by `and`, three or more as `et al.`
    fn mla(&self, names: &[Name<'_>]) -> String {
        let authors = match names {
            [] => String::new(),
            [one] => inverted(one),
            [a, b] => format!("{}, and {} {}", inverted(a), b.given, b.family),
            [a, ..] => format!("{}, et al", inverted(a)),
        };
        let (y, m, d) = self.date;
        format!(
            "{} “{}” {}, {d} {} {y}, {}.",
            closed(&authors),
            closed(self.title),
            self.publisher,
            mla_month(m),
            self.url.trim_start_matches("https://").trim_start_matches("http://")
        )
    }

    fn bibtex(&self, names: &[Name<'_>]) -> String {
        let authors: Vec<String> = names.iter().map(|n| bib_escape(&inverted(n))).collect();
        let (y, m, d) = self.date;
        let mut fields = vec![
            ("author", authors.join(" and ")),
            ("title", format!("{{{}}}", bib_escape(self.title))),
            ("year", y.to_string()),
            ("month", month(m).get(..3).unwrap_or("").to_lowercase()),
            ("date", format!("{y:04}-{m:02}-{d:02}")),
            ("publisher", bib_escape(self.publisher)),
            ("howpublished", format!("\\url{{{}}}", self.url)),
            ("url", self.url.to_string()),
        ];
        if !self.topics.is_empty() {
            fields.push(("keywords", bib_escape(&self.topics.join(", "))));
        }
        // Written into one buffer: a `.bib` file and every article page make one.
        let mut out = String::with_capacity(512);
        out.push_str("@misc{");
        out.push_str(&self.key);
        for (k, v) in &fields {
            out.push_str(",\n  ");
            out.push_str(k);
            out.push_str(" = ");
            if *k == "month" {
                out.push_str(v);
            } else {
                out.push('{');
                out.push_str(v);
                out.push('}');
            }
        }
        out.push_str("\n}\n");
        out
    }

    fn ris(&self, names: &[Name<'_>]) -> String {
        let (y, m, d) = self.date;
        let mut out = String::with_capacity(512);
        let mut line = |tag: &str, value: &str| {
            out.push_str(tag);
            out.push_str("  - ");
            out.push_str(value);
            out.push_str("\r\n");
        };
        line("TY", "ELEC");
        names.iter().for_each(|n| line("AU", &inverted(n)));
        line("TI", &one_line(self.title));
        line("PY", &format!("{y:04}"));
        line("DA", &format!("{y:04}/{m:02}/{d:02}"));
        line("PB", &one_line(self.publisher));
        line("UR", self.url);
        if !self.summary.is_empty() {
            line("AB", &one_line(self.summary));
        }
        self.topics.iter().for_each(|t| line("KW", &one_line(t)));
        line("ER", "");
        out
    }
}

/// `text` on one line: white space collapsed to single spaces, none at
/// either end.
fn one_line(text: &str) -> String {
    let mut line = text.to_string();
    super::text::collapse(&mut line);
    line
}

/// Escapes BibTeX's special characters.
fn bib_escape(text: &str) -> String {
    let special = |c: char| matches!(c, '&' | '%' | '$' | '#' | '_' | '{' | '}' | '~' | '^' | '\\');
    let text = one_line(text);
    if !text.contains(special) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            _ => out.push(c),
        }
    }
    out
}

/// A BibTeX key: first author's family name, year, first long word of the title.
pub fn bib_key(first_author: &str, year: i32, title: &str) -> String {
    let family = crate::markdown::slugify(split_name(first_author).family).replace('-', "");
    let word = title
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.chars().count() > 3)
        .map(|w| crate::markdown::slugify(w).replace('-', ""))
        .unwrap_or_default();
    format!("{family}{year}{word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work() -> Work<'static> {
        Work {
            title: "Who Pays for Transmission?",
            authors: vec!["Mara Okonkwo", "Priya Raman", "Theo Lindqvist"],
            date: (2024, 9, 3),
            publisher: "Alderwick Institute",
            url: "https://example.org/articles/who-pays/",
            summary: "Costs & benefits.",
            topics: vec!["Energy", "Grid_reliability"],
            key: bib_key("Mara Okonkwo", 2024, "Who Pays for Transmission?"),
        }
    }

    #[test]
    fn three_authors_in_every_style() {
        let c = work().citations();
        assert_eq!(
            c.chicago,
            "Okonkwo, Mara, Priya Raman, and Theo Lindqvist. “Who Pays for Transmission?” Alderwick Institute, September 3, 2024. https://example.org/articles/who-pays/."
        );
        assert_eq!(
            c.apa,
            "Okonkwo, M., Raman, P., & Lindqvist, T. (2024, September 3). Who Pays for Transmission? Alderwick Institute. https://example.org/articles/who-pays/"
        );
        assert_eq!(
            c.mla,
            "Okonkwo, Mara, et al. “Who Pays for Transmission?” Alderwick Institute, 3 Sept. 2024, example.org/articles/who-pays/."
        );
        assert!(c.bibtex.starts_with("@misc{okonkwo2024pays,\n  author = {Okonkwo, Mara and Raman, Priya and Lindqvist, Theo},\n  title = {{Who Pays for Transmission?}},"), "{}", c.bibtex);
        assert!(c.bibtex.contains("  month = sep,\n"));
        assert!(c.bibtex.contains("keywords = {Energy, Grid\\_reliability}"));
        assert_eq!(c.ris.matches("AU  - ").count(), 3);
        assert!(c.ris.starts_with("TY  - ELEC\r\nAU  - Okonkwo, Mara\r\n"));
        assert!(c.ris.ends_with("ER  - \r\n"));
        assert_eq!(c.scholar_authors, ["Okonkwo, Mara", "Raman, Priya", "Lindqvist, Theo"]);
        assert_eq!(c.scholar_date, "2024/09/03");
    }

    #[test]
    fn one_line_collapses_white_space() {
        for text in [
            "",
            " ",
            "a",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\u{a0}b",
            "Ünd — so",
            "a \n b",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(one_line(text), expected, "{text:?}");
        }
        assert_eq!(bib_escape("R&D  at 5%"), "R\\&D at 5\\%");
    }

    #[test]
    fn one_and_two_authors() {
        let mut w = work();
        w.authors = vec!["Mara Okonkwo", "Priya Raman"];
        let c = w.citations();
        assert!(c.mla.starts_with("Okonkwo, Mara, and Priya Raman. “"), "{}", c.mla);
        assert!(
            c.chicago.starts_with("Okonkwo, Mara, and Priya Raman. “"),
            "{}",
            c.chicago
        );
        assert!(c.apa.starts_with("Okonkwo, M., & Raman, P. (2024"), "{}", c.apa);
        w.authors = vec!["Mara Okonkwo"];
        let c = w.citations();
        assert!(c.mla.starts_with("Okonkwo, Mara. “"));
        assert!(c.apa.starts_with("Okonkwo, M. (2024"));
    }
}

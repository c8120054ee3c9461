//! The topic vocabulary: topics named in articles, the files under
//! `topics/` with their aliases and parents, and the rule that a parent's
//! page lists its subtopics' articles too.

use super::indexed::Indexed;
use crate::content::TopicInfo;
use crate::diag::{closest, Code, Diagnostic};
use crate::markdown::slugify;
use std::collections::HashMap;

/// A topic as shown on the site.
#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    /// The broader topic, by id.
    pub parent: Option<usize>,
}

/// A topic file's parent as written, kept until every topic has its id.
struct ParentRef {
    child: String,
    written: String,
    path: String,
    line: usize,
    col: usize,
}

/// Topics of the site (sorted by name) and each article's topic ids.
pub(super) fn index_topics(
    articles: &[&Indexed<'_>],
    files: Vec<TopicInfo>,
    strict: bool,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Topic>, Vec<Vec<usize>>) {
    let known = Vocabulary::new(&files, problems);
    let mut parents = Vec::new();
    let mut by_slug: HashMap<String, Topic> = HashMap::new();
    for t in files {
        if let Some((written, line, col)) = t.parent {
            let (child, path) = (t.slug.clone(), t.source_path.clone());
            parents.push(ParentRef {
                child,
                written,
                path,
                line,
                col,
            });
        }
        let topic = Topic {
            slug: t.slug.clone(),
            name: t.name,
            description: t.description,
            parent: None,
        };
        by_slug.insert(t.slug, topic);
    }
    // Articles name few distinct topics: resolve each name once.
    let named = Named::resolve(articles, &known, |slug| strict && !by_slug.contains_key(slug));
    report_refused(articles, &named, problems);
    for (slug, name) in named.spellings(articles) {
        by_slug.entry(slug.to_string()).or_insert_with(|| Topic {
            slug: slug.to_string(),
            name: name.trim().to_string(),
            description: None,
            parent: None,
        });
    }
    let mut topics: Vec<Topic> = by_slug.into_values().collect();
    topics.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone()));
    let ids: HashMap<&str, usize> = topics.iter().enumerate().map(|(i, t)| (t.slug.as_str(), i)).collect();
    let topic_of: Vec<Option<usize>> = named.names.iter().map(|n| ids.get(n.slug.as_str()).copied()).collect();
    let mut at = named.at.iter();
    let article_topics = articles
        .iter()
        .map(|a| {
            let mut list: Vec<usize> = Vec::with_capacity(a.topics.len());
            for id in at.by_ref().take(a.topics.len()).filter_map(|&k| topic_of[k]) {
                if !list.contains(&id) {
                    list.push(id);
                }
            }
            list
        })
        .collect();
    let resolved: Vec<(usize, Option<usize>, ParentRef)> = parents
        .into_iter()
        .map(|p| {
            (
                ids[p.child.as_str()],
                ids.get(known.resolve(&p.written).as_str()).copied(),
                p,
            )
        })
        .collect();
    for (child, parent, p) in resolved {
        let message = match parent {
            None => known
                .unknown(&p.written)
                .replacen("unknown topic", "unknown parent topic", 1),
            Some(parent) if has_ancestor(&topics, parent, child) => {
                format!(
                    "parent `{}` would make a cycle: it is {} itself or under it",
                    p.written, topics[child].name
                )
            }
            Some(parent) => {
                topics[child].parent = Some(parent);
                continue;
            }
        };
        problems.push(Diagnostic::error(Code::InvalidTopic, &p.path, p.line, p.col, message));
    }
    (topics, article_topics)
}

/// One distinct topic name articles use: its slug, and why it is
/// refused, if it is.
struct Name<'a> {
    name: &'a str,
    slug: String,
    refused: Option<String>,
}

/// The topic names of the articles, each resolved once.
struct Named<'a> {
    names: Vec<Name<'a>>,
    /// Each article's names (by number in `names`), article after article.
    at: Vec<usize>,
}

impl<'a> Named<'a> {
    /// `unknown(slug)`: whether a slug that no topic file has is refused.
    fn resolve(articles: &[&Indexed<'a>], known: &Vocabulary, unknown: impl Fn(&str) -> bool) -> Self {
        let mut numbers: HashMap<&str, usize> = HashMap::new();
        let mut names: Vec<Name<'a>> = Vec::new();
        let mut at = Vec::with_capacity(articles.len() * 2);
        for name in articles.iter().flat_map(|a| a.topics) {
            let n = *numbers.entry(name.as_str()).or_insert_with(|| {
                let slug = known.resolve(name);
                let refused = if slug.is_empty() {
                    Some(format!("topic `{name}` has no letters or digits"))
                } else if unknown(&slug) {
                    Some(known.unknown(name))
                } else {
                    None
                };
                names.push(Name { name, slug, refused });
                names.len() - 1
            });
            at.push(n);
        }
        Named { names, at }
    }

    /// Each article's names in order, with the article's position.
    fn occurrences(&self, articles: &[&Indexed<'a>]) -> impl Iterator<Item = (usize, usize, &Name<'a>)> + '_ {
        let articles: Vec<usize> = articles.iter().map(|a| a.topics.len()).collect();
        let owners = articles
            .into_iter()
            .enumerate()
            .flat_map(|(i, n)| (0..n).map(move |j| (i, j)));
        owners.zip(&self.at).map(|((i, j), &k)| (i, j, &self.names[k]))
    }

    /// Each slug named (and not refused) with the name it is spelled by:
    /// that of the first article by path naming it (the first such name in
    /// that article), so the result does not depend on dates.
    fn spellings(&self, articles: &[&Indexed<'a>]) -> Vec<(&str, &'a str)> {
        let mut first: HashMap<&str, (&str, usize, &'a str)> = HashMap::new();
        for (i, j, n) in self.occurrences(articles).filter(|(_, _, n)| n.refused.is_none()) {
            let here = (articles[i].rel_path, j, n.name);
            first
                .entry(n.slug.as_str())
                .and_modify(|old| {
                    if (here.0, here.1) < (old.0, old.1) {
                        *old = here;
                    }
                })
                .or_insert(here);
        }
        first.into_iter().map(|(slug, (_, _, name))| (slug, name)).collect()
    }
}

/// An error for each refused topic name, articles by path.
fn report_refused(articles: &[&Indexed<'_>], named: &Named<'_>, problems: &mut Vec<Diagnostic>) {
    if named.names.iter().all(|n| n.refused.is_none()) {
        return;
    }
    let mut refused: Vec<(usize, usize, &Name<'_>)> = named
        .occurrences(articles)
        .filter(|(_, _, n)| n.refused.is_some())
        .collect();
    refused.sort_by_key(|&(i, j, _)| (articles[i].rel_path, j));
    for (i, _, n) in refused {
        let article = articles[i];
        let (line, col) = article.locate("topics", n.name);
        let message = n.refused.clone().unwrap_or_default();
        problems.push(Diagnostic::error(
            Code::InvalidTopic,
            article.source_path,
            line,
            col,
            message,
        ));
    }
}

/// Is `ancestor` the topic `t` or above it?
fn has_ancestor(topics: &[Topic], mut t: usize, ancestor: usize) -> bool {
    for _ in 0..=topics.len() {
        if t == ancestor {
            return true;
        }
        match topics[t].parent {
            Some(p) => t = p,
            None => return false,
        }
    }
    true
}

/// Adds each topic's articles to the lists of its parent, grandparent and
/// so on; lists stay newest first (by id) without repeats.
pub fn include_subtopics(topics: &[Topic], topic_articles: &mut [Vec<usize>]) {
    let mut changed = vec![false; topics.len()];
    for t in 0..topics.len() {
        let mut up = topics[t].parent;
        let mut steps = 0;
        while let (Some(p), true) = (up, steps < topics.len()) {
            let ids = topic_articles[t].clone();
            topic_articles[p].extend(ids);
            changed[p] = true;
            up = topics[p].parent;
            steps += 1;
        }
    }
    for (list, _) in topic_articles.iter_mut().zip(changed).filter(|(_, c)| *c) {
        list.sort_unstable();
        list.dedup();
    }
}

/// The topic files' slugs, names and aliases, each slugified to the slug of its topic.
struct Vocabulary {
    to_slug: HashMap<String, String>,
    /// Every name a topic is known by, for did-you-mean.
    names: Vec<String>,
}

impl Vocabulary {
    fn new(files: &[TopicInfo], problems: &mut Vec<Diagnostic>) -> Self {
        let mut to_slug: HashMap<String, String> = files.iter().map(|t| (t.slug.clone(), t.slug.clone())).collect();
        let mut names: Vec<String> = Vec::new();
        for t in files {
            names.push(t.name.clone());
            to_slug.entry(slugify(&t.name)).or_insert_with(|| t.slug.clone());
            for (alias, line, col) in &t.aliases {
                let key = slugify(alias);
                names.push(alias.clone());
                match to_slug.get(&key) {
                    Some(owner) if *owner != t.slug => {
                        problems.push(Diagnostic::error(
                            Code::InvalidTopic,
                            &t.source_path,
                            *line,
                            *col,
                            format!("alias `{alias}` already names the topic `{owner}`"),
                        ));
                    }
                    _ => {
                        to_slug.insert(key, t.slug.clone());
                    }
                }
            }
        }
        Vocabulary { to_slug, names }
    }

    /// The slug of the topic a name means: a file's topic when the name is
    /// its slug, name or an alias, else the name slugified.
    fn resolve(&self, name: &str) -> String {
        let slug = slugify(name);
        self.to_slug.get(&slug).cloned().unwrap_or(slug)
    }

    fn unknown(&self, name: &str) -> String {
        let hint = match closest(name, self.names.iter().map(String::as_str), 3).as_slice() {
            [] => "; add a file under topics/ or use one of the topics there".to_string(),
            near => format!(
                "; did you mean {}?",
                near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        format!("unknown topic `{name}`: no file under topics/ names it{hint}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(slug: &str, parent: Option<usize>) -> Topic {
        Topic {
            slug: slug.into(),
            name: slug.into(),
            description: None,
            parent,
        }
    }

    fn article(rel: &str, date: &str, topics: &str) -> crate::content::Article {
        let source = crate::content::source::Source {
            path: format!("articles/{rel}"),
            text: format!("---\ntitle: T\ndate: {date}\nauthors: jane\ntopics: {topics}\n---\nBody\n"),
        };
        let mut problems = Vec::new();
        let article = crate::content::Article::from_source(&source, rel, &Default::default(), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        article.unwrap()
    }

    /// A topic named only in articles is spelled as the first article by
    /// path first names it; refused names are reported by path, in each
    /// article's order; an article lists a topic once.
    #[test]
    fn names_resolve_by_path_and_refusals_follow_it() {
        let articles = [
            article("b.md", "2020-01-01", "[Housing, \"?!\", housing]"),
            article("a.md", "2024-01-01", "[Trade, HOUSING]"),
            article("c.md", "2019-01-01", "[\"--\", Trade]"),
        ];
        let seen: Vec<Indexed<'_>> = articles.iter().map(Indexed::of).collect();
        let refs: Vec<&Indexed<'_>> = seen.iter().collect();
        let mut problems = Vec::new();
        let (topics, lists) = index_topics(&refs, Vec::new(), false, &mut problems);
        let names: Vec<(&str, &str)> = topics.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
        assert_eq!(names, [("housing", "HOUSING"), ("trade", "Trade")]);
        assert_eq!(lists, [vec![0], vec![1, 0], vec![1]]);
        let places: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert_eq!(places.len(), 2, "{places:?}");
        assert!(places[0].starts_with("articles/b.md:5:"), "{places:?}");
        assert!(places[1].starts_with("articles/c.md:5:"), "{places:?}");
        let mut problems = Vec::new();
        let (topics, _) = index_topics(&refs, Vec::new(), true, &mut problems);
        assert!(topics.is_empty());
        assert_eq!(problems.len(), 7, "every name is unknown or empty: {problems:?}");
    }

    #[test]
    fn a_parent_lists_its_descendants_articles() {
        // Asia > East Asia > Korean Peninsula.
        let topics = [
            topic("asia", None),
            topic("east-asia", Some(0)),
            topic("korea", Some(1)),
        ];
        let mut lists = vec![vec![5], vec![1, 7], vec![0, 7]];
        include_subtopics(&topics, &mut lists);
        assert_eq!(lists, vec![vec![0, 1, 5, 7], vec![0, 1, 7], vec![0, 7]]);
    }
}

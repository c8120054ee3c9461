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
    let mut slugs: HashMap<&str, String> = HashMap::new();
    for name in articles.iter().flat_map(|a| a.topics) {
        slugs.entry(name.as_str()).or_insert_with(|| known.resolve(name));
    }
    // Topics named only in articles take the spelling of the first article
    // by path, so the result does not depend on dates.
    let mut by_path: Vec<&Indexed<'_>> = articles.to_vec();
    by_path.sort_by(|a, b| a.rel_path.cmp(b.rel_path));
    for article in by_path {
        for name in article.topics {
            let slug = slugs[name.as_str()].clone();
            let problem = if slug.is_empty() {
                Some(format!("topic `{name}` has no letters or digits"))
            } else if strict && !by_slug.contains_key(&slug) {
                Some(known.unknown(name))
            } else {
                None
            };
            if let Some(message) = problem {
                let (line, col) = article.locate("topics", name);
                problems.push(Diagnostic::error(
                    Code::InvalidTopic,
                    article.source_path,
                    line,
                    col,
                    message,
                ));
                continue;
            }
            by_slug.entry(slug.clone()).or_insert_with(|| Topic {
                slug,
                name: name.trim().to_string(),
                description: None,
                parent: None,
            });
        }
    }
    let mut topics: Vec<Topic> = by_slug.into_values().collect();
    topics.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone()));
    let ids: HashMap<&str, usize> = topics.iter().enumerate().map(|(i, t)| (t.slug.as_str(), i)).collect();
    let article_topics = articles
        .iter()
        .map(|a| {
            let mut list: Vec<usize> = Vec::new();
            for id in a
                .topics
                .iter()
                .filter_map(|n| ids.get(slugs[n.as_str()].as_str()).copied())
            {
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

//! Tera 1 vs Tera 2 on pressroom's theme: the errors each reports, and render
//! time over the contexts of a generated archive (see run.sh). Macros are
//! inlined, since Tera 2 has none; both engines get the same templates.
use serde_json::Value;
use std::collections::HashMap;
use std::time::Instant;

fn theme(dir: &str) -> Vec<(String, String)> {
    let read = |n: &str| std::fs::read_to_string(format!("{dir}/{n}")).unwrap();
    let byline = r#"{% for a in article.byline %}{% if loop.last and not loop.first %}{{ strings.and }}{% elif not loop.first %}, {% endif %}<a href="{{ a.url }}">{{ a.name }}</a>{% endfor %}"#;
    let compact = r#"<li><a href="{{ a.url }}">{{ a.title }}</a> <span class="meta"><time datetime="{{ a.date }}">{{ a.date_display }}</time></span></li>"#;
    let strip = |t: String| t.replace("{% import \"macros.html\" as m %}\n", "");
    let article = strip(read("article.html"))
        .replace("{{ m::byline(authors=article.byline, and=strings.and) }}", byline)
        .replace("{{ m::compact(a=a) }}", compact);
    let index = strip(read("index.html"));
    let index = index
        .lines()
        .filter(|l| !l.contains("m::pagination"))
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        ("base.html".into(), read("base.html")),
        ("card.html".into(), read("card.html")),
        ("article.html".into(), article),
        ("index.html".into(), index),
    ]
}

fn fill(text: &str, args: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

fn fill1(value: &Value, args: &HashMap<String, Value>) -> tera1::Result<Value> {
    let text = match value {
        Value::Object(forms) => {
            let n = args.get("n").and_then(Value::as_f64).unwrap_or(0.0);
            forms
                .get(if n == 1.0 { "one" } else { "other" })
                .and_then(Value::as_str)
                .unwrap_or_default()
        }
        v => v.as_str().unwrap_or_default(),
    };
    let args: Vec<(String, String)> = args
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    Ok(Value::String(fill(text, &args)))
}

fn fill2(value: tera2::Value, kwargs: tera2::Kwargs, _: &tera2::State) -> tera2::TeraResult<String> {
    let text = match value.as_map() {
        Some(forms) => {
            let n = kwargs.get::<i64>("n")?.unwrap_or(0);
            let key = if n == 1 { "one" } else { "other" };
            forms
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .and_then(|(_, v)| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }
        None => value.as_str().unwrap_or_default().to_string(),
    };
    let args: Vec<(String, String)> = kwargs
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap_or_default().to_string(),
                v.as_str().map_or_else(|| v.to_string(), str::to_string),
            )
        })
        .collect();
    Ok(fill(&text, &args))
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn engines(templates: &[(String, String)]) -> (tera1::Tera, tera2::Tera) {
    let mut t1 = tera1::Tera::default();
    t1.autoescape_on(vec![".html"]);
    t1.set_escape_fn(escape);
    t1.register_filter("fill", fill1);
    t1.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .unwrap();
    let mut t2 = tera2::Tera::new();
    t2.autoescape_on(vec![".html"]);
    t2.set_escape_fn(|s: &str, w: &mut dyn std::io::Write| w.write_all(escape(s).as_bytes()));
    t2.register_filter("fill", fill2);
    t2.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .unwrap();
    (t1, t2)
}

fn errors() {
    let cases = [
        ("variable", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ article.title }}</h1>\n<p>{{ article.summary }}</p>\n<p>{{ article.subtitle }}</p>\n{% endblock content %}"),
        ("filter", "<p>\n  {{ article.title | nope }}</p>"),
        ("unclosed if", "{% extends \"base.html\" %}\n{% block content %}\n  {% if article.summary %}<p>{{ article.summary }}</p>\n<h1>{{ article.title }}</h1>\n{% endblock content %}\n"),
        ("self include", "<p>\n{% include \"article.html\" %}</p>"),
    ];
    let ctx: Value = serde_json::from_str(
        &std::fs::read_to_string(std::env::args().nth(2).unwrap() + "/articles/" + &first_article() + "/index.html")
            .unwrap(),
    )
    .unwrap();
    for (what, text) in cases {
        let mut templates = theme(&std::env::args().nth(1).unwrap());
        templates.retain(|(n, _)| n != "article.html");
        templates.push(("article.html".into(), text.into()));
        println!("== {what}");
        if what == "self include" {
            println!("tera 1: stack overflow (aborts)");
        } else {
            let mut t1 = tera1::Tera::default();
            t1.register_filter("fill", fill1);
            let r = t1
                .add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
                .and_then(|_| t1.render("article.html", &tera1::Context::from_value(ctx.clone()).unwrap()));
            println!(
                "tera 1: {}",
                r.err()
                    .map(|e| {
                        let mut s = e.to_string();
                        let mut c = std::error::Error::source(&e);
                        while let Some(x) = c {
                            s += &format!(": {x}");
                            c = x.source();
                        }
                        s
                    })
                    .unwrap_or_default()
            );
        }
        let mut t2 = tera2::Tera::new();
        t2.register_filter("fill", fill2);
        let r = t2
            .add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .and_then(|_| t2.render("article.html", &tera2::Context::from_serialize(&ctx).unwrap()));
        println!("tera 2: {}", r.err().map(|e| format!("{e}\n{e:?}")).unwrap_or_default());
    }
}

fn first_article() -> String {
    let dir = std::env::args().nth(2).unwrap() + "/articles";
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names[0].clone()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(3).map(String::as_str) == Some("errors") {
        return errors();
    }
    let templates = theme(&args[1]);
    let (t1, t2) = engines(&templates);
    let out = &args[2];
    let mut pages: Vec<(String, Value)> = Vec::new();
    let mut paths: Vec<String> = std::fs::read_dir(format!("{out}/articles"))
        .unwrap()
        .map(|e| {
            format!(
                "{out}/articles/{}/index.html",
                e.unwrap().file_name().into_string().unwrap()
            )
        })
        .collect();
    paths.sort();
    for p in &paths {
        pages.push((
            "article.html".into(),
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap(),
        ));
    }
    pages.push((
        "index.html".into(),
        serde_json::from_str(&std::fs::read_to_string(format!("{out}/index.html")).unwrap()).unwrap(),
    ));
    // Card contexts hidden in listings' `html`: rendered by each engine once per run.
    let mut cards: Vec<Value> = Vec::new();
    for (_, v) in &pages {
        let lists = [
            v.pointer("/article/related"),
            v.pointer("/article/referenced_by"),
            v.get("articles"),
        ];
        for list in lists.into_iter().flatten().filter_map(Value::as_array) {
            for item in list {
                cards.push(serde_json::from_str(item["html"].as_str().unwrap()).unwrap());
            }
        }
    }
    let card_html = |v: &Value| -> String {
        t1.render("card.html", &tera1::Context::from_value(v.clone()).unwrap())
            .unwrap()
    };
    let mut fixed = pages.clone();
    for (_, v) in fixed.iter_mut() {
        for ptr in ["/article/related", "/article/referenced_by", "/articles"] {
            if let Some(Value::Array(list)) = v.pointer_mut(ptr) {
                for item in list {
                    let c: Value = serde_json::from_str(item["html"].as_str().unwrap()).unwrap();
                    item["html"] = Value::String(card_html(&c));
                }
            }
        }
    }
    let mut same = 0;
    for (t, v) in &fixed {
        let a = t1.render(t, &tera1::Context::from_value(v.clone()).unwrap()).unwrap();
        let b = t2.render(t, &tera2::Context::from_serialize(v).unwrap()).unwrap();
        if a == b {
            same += 1
        }
    }
    println!(
        "{} pages, {} cards; identical output on {same} pages",
        fixed.len(),
        cards.len()
    );
    let (mut r1, mut r2) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let s = Instant::now();
        for c in &cards {
            std::hint::black_box(
                t1.render("card.html", &tera1::Context::from_serialize(c).unwrap())
                    .unwrap(),
            );
        }
        for (t, v) in &fixed {
            std::hint::black_box(t1.render(t, &tera1::Context::from_serialize(v).unwrap()).unwrap());
        }
        r1.push(s.elapsed().as_secs_f64());
        let s = Instant::now();
        for c in &cards {
            std::hint::black_box(
                t2.render("card.html", &tera2::Context::from_serialize(c).unwrap())
                    .unwrap(),
            );
        }
        for (t, v) in &fixed {
            std::hint::black_box(t2.render(t, &tera2::Context::from_serialize(v).unwrap()).unwrap());
        }
        r2.push(s.elapsed().as_secs_f64());
    }
    r1.sort_by(f64::total_cmp);
    r2.sort_by(f64::total_cmp);
    println!(
        "tera 1 median {:.3} s, tera 2 median {:.3} s, ratio tera2/tera1 {:.2} (runs {:?} / {:?})",
        r1[3],
        r2[3],
        r2[3] / r1[3],
        r1,
        r2
    );
}

//! HTML reports: the article's text without navigation, scripts and page furniture, and its
//! headline, byline and publication date from meta tags, JSON-LD or a `<time>` element.
//!
//! Parsing is html5ever's (through `scraper`), which repairs broken markup the way browsers do,
//! so no input is refused. The text is taken from the `<article>` (else `<main>`, else the
//! body), block by block (paragraphs, headings, list items, quotes, captions); blocks inside
//! navigation, headers, footers, asides, forms and scripts are left out, and so are blocks
//! that are mostly links (menus, "read more" lists).

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Selector};

/// What an HTML page yields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The headline.
    pub title: Option<String>,
    /// The author or authors.
    pub byline: Option<String>,
    /// The publication date.
    pub published: Option<NaiveDate>,
    /// The article's text, one block per paragraph.
    pub text: String,
}

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("the selectors are valid CSS")
}

/// Elements whose content is never article text.
const FURNITURE: &[&str] = &["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "template"];

/// Extracts the article from an HTML page.
pub fn extract(html: &str) -> Extracted {
    let doc = Html::parse_document(html);
    let meta = |names: &[&str]| -> Option<String> {
        names.iter().find_map(|n| {
            let sel = selector(&format!("meta[property=\"{n}\"], meta[name=\"{n}\"], meta[itemprop=\"{n}\"]"));
            doc.select(&sel).find_map(|m| m.value().attr("content")).map(|c| c.trim().to_owned()).filter(|c| !c.is_empty())
        })
    };
    let json_ld: Vec<serde_json::Value> =
        doc.select(&selector("script[type=\"application/ld+json\"]")).filter_map(|s| serde_json::from_str(&s.text().collect::<String>()).ok()).collect();
    let from_ld = |key: &str| json_ld.iter().find_map(|v| ld_field(v, key));

    // A page's <title> often carries the site's name ("Site | Headline"): the article's h1 first.
    let text_of = |s: &str| doc.select(&selector(s)).next().map(|t| collapse(&t.text().collect::<String>())).filter(|t| !t.is_empty());
    let title = meta(&["og:title", "twitter:title", "headline"])
        .or_else(|| from_ld("headline"))
        .or_else(|| text_of("article h1"))
        .or_else(|| text_of("h1"))
        .or_else(|| text_of("title"));
    let byline = meta(&["author", "article:author", "byl"]).or_else(|| from_ld("author"));
    let published = meta(&["article:published_time", "datePublished", "date", "pubdate", "publishdate", "dc.date", "DC.date.issued"])
        .or_else(|| from_ld("datePublished"))
        .or_else(|| doc.select(&selector("time[datetime]")).find_map(|t| t.value().attr("datetime").map(str::to_owned)))
        .and_then(|d| crate::intake::parse_day(&d));

    let root = ["article", "main", "body"]
        .iter()
        .find_map(|s| doc.select(&selector(s)).max_by_key(|e| e.text().map(str::len).sum::<usize>()))
        .unwrap_or_else(|| doc.root_element());
    let blocks = selector("p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, pre, td");
    let mut text = String::new();
    for block in root.select(&blocks) {
        if in_furniture(block, root) || has_block_ancestor(block, root) {
            continue;
        }
        let content = collapse(&block.text().collect::<String>());
        if content.is_empty() || mostly_links(block, &content) {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&content);
    }
    Extracted { title, byline, published, text }
}

/// A JSON-LD field as text, looking through `@graph` and arrays; an author object gives its
/// name.
fn ld_field(v: &serde_json::Value, key: &str) -> Option<String> {
    match v {
        serde_json::Value::Array(items) => items.iter().find_map(|i| ld_field(i, key)),
        serde_json::Value::Object(map) => match map.get(key) {
            Some(serde_json::Value::String(s)) => Some(s.trim().to_owned()),
            Some(serde_json::Value::Object(o)) => o.get("name").and_then(|n| n.as_str()).map(|n| n.trim().to_owned()),
            Some(serde_json::Value::Array(a)) => {
                let names: Vec<&str> = a.iter().filter_map(|x| x.as_str().or_else(|| x.get("name").and_then(|n| n.as_str()))).collect();
                (!names.is_empty()).then(|| names.join(", "))
            }
            _ => map.get("@graph").and_then(|g| ld_field(g, key)),
        },
        _ => None,
    }
}

/// The day of a date or date-time as pages write them ("2022-09-10", "2022-09-10T14:03:00Z").
/// True when an element lies inside page furniture (below `root`).
fn in_furniture(e: ElementRef<'_>, root: ElementRef<'_>) -> bool {
    e.ancestors().take_while(|a| a.id() != root.id()).filter_map(ElementRef::wrap).any(|a| FURNITURE.contains(&a.value().name()) || is_furniture_class(a))
}

/// Class and role names pages give to navigation and widgets.
fn is_furniture_class(e: ElementRef<'_>) -> bool {
    let v = e.value();
    let role = v.attr("role").unwrap_or("");
    let class = v.attr("class").unwrap_or("").to_lowercase();
    matches!(role, "navigation" | "banner" | "contentinfo" | "complementary")
        || ["nav", "menu", "share", "social", "related", "newsletter", "cookie", "advert", "promo", "subscribe"]
            .iter()
            .any(|w| class.split(|c: char| !c.is_alphanumeric()).any(|part| part == *w))
}

/// True when a block sits inside another block that is itself taken (an `li` holding a `p`).
fn has_block_ancestor(e: ElementRef<'_>, root: ElementRef<'_>) -> bool {
    e.ancestors()
        .take_while(|a| a.id() != root.id())
        .filter_map(ElementRef::wrap)
        .any(|a| matches!(a.value().name(), "p" | "li" | "blockquote" | "figcaption" | "td" | "pre"))
}

/// A short block whose text is mostly link text: a menu or a list of other articles.
fn mostly_links(block: ElementRef<'_>, content: &str) -> bool {
    let links: usize = block.select(&selector("a")).map(|a| a.text().map(str::len).sum::<usize>()).sum();
    links * 2 > content.len() && content.len() < 200
}

/// White space collapsed to single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!doctype html><html><head>
        <title>Site | Fighting near Izyum</title>
        <meta property="og:title" content="Fighting near Izyum">
        <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2022-09-10T09:00:00Z","author":{"name":"A. Writer"}}]}</script>
        <script>var tracking = "Kupiansk";</script>
        </head><body>
        <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li></ul></nav>
        <article>
          <h1>Fighting near Izyum</h1>
          <p>Ukrainian forces advanced <b>30 miles</b>, officials said.</p>
          <aside><p>Related: Kharkiv gallery</p></aside>
          <ul><li><p>A list paragraph once.</p></li></ul>
          <p class="share-links"><a href="#">Share</a> <a href="#">Tweet</a></p>
          <figure><figcaption>Troops near Izyum. Photo: Agency</figcaption></figure>
        </article>
        <footer><p>Copyright</p></footer>
        </body></html>"##;

    #[test]
    fn article_text_and_metadata() {
        let e = extract(PAGE);
        assert_eq!(e.title.as_deref(), Some("Fighting near Izyum"));
        assert_eq!(e.byline.as_deref(), Some("A. Writer"));
        assert_eq!(e.published, NaiveDate::from_ymd_opt(2022, 9, 10));
        assert_eq!(
            e.text,
            "Fighting near Izyum\n\nUkrainian forces advanced 30 miles, officials said.\n\nA list paragraph once.\n\nTroops near Izyum. Photo: Agency"
        );
    }

    #[test]
    fn broken_and_empty_markup() {
        assert_eq!(extract("").text, "");
        let broken = extract("<p>Shelling hit <b>Kherson<p>Second <i>paragraph");
        assert_eq!(broken.text, "Shelling hit Kherson\n\nSecond paragraph");
        assert_eq!(extract("<html><head><meta name=date content=\"not a date\"></head></html>").published, None);
    }
}

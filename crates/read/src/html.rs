//! HTML reports: the article's text without navigation, scripts and page furniture, and its
//! headline, byline and publication date from meta tags, JSON-LD or a `<time>` element.
//!
//! Parsing is html5ever's (through `scraper`), which repairs broken markup the way browsers do,
//! so no input is refused. The text is taken from the `<article>` (else `<main>`, else the
//! body), block by block (paragraphs, headings, list items, quotes, captions); blocks inside
//! navigation, headers, footers, asides, forms and scripts are left out, and so are blocks
//! that are mostly links (menus, "read more" lists).

use chrono::NaiveDate;
use ego_tree::iter::Edge;
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
    let doc = Html::parse_document(&flatten_deep(html));
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

    let root = article_root(&doc);
    let text = blocks_text(root);
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

/// How deep elements may nest before the ones below are taken as siblings (as browsers' parsers
/// do, Blink's at 512): html5ever's tree builder looks through the open elements for every
/// tag, so a page of 100,000 nested elements would take minutes to parse.
pub const MAX_DEPTH: usize = 512;

/// How much deeper than [`MAX_DEPTH`] a block element (a paragraph) may still open.
const BLOCK_ALLOWANCE: usize = 64;

/// Elements that never have content (no closing tag).
const VOID: &[&str] = &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Elements whose content is text up to their closing tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"];

/// The page with every opening tag deeper than [`MAX_DEPTH`] (and its closing tag) left out,
/// their content kept (blocks a little deeper, [`BLOCK_ALLOWANCE`]); the page itself when it nests no deeper (the usual case: one pass, no
/// copy). A light scan of tags, comments and raw text, linear in the page.
fn flatten_deep(html: &str) -> std::borrow::Cow<'_, str> {
    if scan_tags(html, None) <= MAX_DEPTH {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan_tags(html, Some(&mut out));
    std::borrow::Cow::Owned(out)
}

/// Walks the tags of `html`; returns the deepest nesting seen. With `out`, writes the page
/// with the tags beyond [`MAX_DEPTH`] left out.
fn scan_tags(html: &str, mut out: Option<&mut String>) -> usize {
    let bytes = html.as_bytes();
    // Open elements, innermost last, each with whether its tags are kept.
    let mut open: Vec<(&str, bool)> = Vec::new();
    let (mut kept_depth, mut deepest, mut i, mut copied) = (0usize, 0usize, 0usize, 0usize);
    let name_end = |from: usize| bytes[from..].iter().position(|b| !b.is_ascii_alphanumeric() && *b != b'-').map_or(bytes.len(), |n| from + n);
    let tag_end = |from: usize| {
        // The '>' that ends a tag, outside quoted attribute values.
        let mut quote = None;
        for (k, &b) in bytes[from..].iter().enumerate() {
            match (quote, b) {
                (None, b'"' | b'\'') => quote = Some(b),
                (Some(q), _) if b == q => quote = None,
                (None, b'>') => return from + k + 1,
                _ => {}
            }
        }
        bytes.len()
    };
    while let Some(lt) = memchr_lt(bytes, i) {
        let next = bytes.get(lt + 1).copied().unwrap_or(0);
        if html[lt..].starts_with("<!--") {
            i = html[lt + 4..].find("-->").map_or(bytes.len(), |k| lt + 4 + k + 3);
        } else if next == b'!' || next == b'?' {
            i = tag_end(lt);
        } else if next == b'/' && bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) {
            let name = &html[lt + 2..name_end(lt + 2)];
            let end = tag_end(lt);
            if let Some(at) = open.iter().rposition(|(n, _)| n.eq_ignore_ascii_case(name)) {
                let kept = open[at].1;
                kept_depth -= open[at..].iter().filter(|(_, k)| *k).count();
                open.truncate(at);
                if !kept {
                    if let Some(out) = out.as_deref_mut() {
                        out.push_str(&html[copied..lt]);
                        copied = end;
                    }
                }
            }
            i = end;
        } else if next.is_ascii_alphabetic() {
            let name = &html[lt + 1..name_end(lt + 1)];
            let end = tag_end(lt);
            let lower = name.to_ascii_lowercase();
            if RAW_TEXT.contains(&lower.as_str()) {
                // Its content is not markup: skip to its closing tag.
                let mut at = end;
                i = loop {
                    match memchr_lt(bytes, at) {
                        Some(k)
                            if bytes.get(k + 1) == Some(&b'/')
                                && bytes.get(k + 2..k + 2 + lower.len()).is_some_and(|n| n.eq_ignore_ascii_case(lower.as_bytes())) =>
                        {
                            break k
                        }
                        Some(k) => at = k + 1,
                        None => break bytes.len(),
                    }
                };
                continue;
            }
            i = end;
            if VOID.contains(&lower.as_str()) || html[..end].ends_with("/>") {
                continue;
            }
            // Blocks may go a little deeper, so that a paragraph at the bottom stays one.
            let keep = kept_depth < MAX_DEPTH || (kept_depth < MAX_DEPTH + BLOCK_ALLOWANCE && BLOCKS.contains(&lower.as_str()));
            if keep {
                kept_depth += 1;
            } else if let Some(out) = out.as_deref_mut() {
                out.push_str(&html[copied..lt]);
                copied = end;
            }
            open.push((name, keep));
            deepest = deepest.max(open.len());
        } else {
            i = lt + 1;
        }
    }
    if let Some(out) = out {
        out.push_str(&html[copied..]);
    }
    deepest
}

/// The next '<' at or after `from`.
fn memchr_lt(bytes: &[u8], from: usize) -> Option<usize> {
    bytes.get(from..)?.iter().position(|b| *b == b'<').map(|k| from + k)
}

/// Elements whose text is taken as one block.
const BLOCKS: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "td"];

/// The element the article's text is taken from: of the `<article>` elements the one with the
/// most text, else of the `<main>` elements, else the body, else the whole page. Text lengths
/// are summed in one pass over the tree, so nesting depth costs nothing extra.
fn article_root(doc: &Html) -> ElementRef<'_> {
    const ROOTS: [&str; 3] = ["article", "main", "body"];
    // Per kind of root: the element with the most text so far.
    let mut best: [Option<(usize, ElementRef<'_>)>; 3] = [None, None, None];
    // Text length of each open element, innermost last.
    let mut open: Vec<usize> = Vec::new();
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                scraper::Node::Element(_) => open.push(0),
                scraper::Node::Text(t) => {
                    if let Some(top) = open.last_mut() {
                        *top += t.len();
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Some(element) = ElementRef::wrap(node) else { continue };
                let len = open.pop().unwrap_or(0);
                if let Some(parent) = open.last_mut() {
                    *parent += len;
                }
                if let Some(kind) = ROOTS.iter().position(|r| *r == element.value().name()) {
                    if best[kind].is_none_or(|(most, _)| len > most) {
                        best[kind] = Some((len, element));
                    }
                }
            }
        }
    }
    best.into_iter().flatten().next().map_or_else(|| doc.root_element(), |(_, e)| e)
}

/// The text of the blocks below `root`, one per paragraph, in one pass over the tree: a block
/// inside page furniture or inside another taken block is not taken again, and a short block
/// that is mostly link text (a menu) is left out.
fn blocks_text(root: ElementRef<'_>) -> String {
    let mut text = String::new();
    // The outermost open element that is furniture (its content is never text), and how many
    // open elements are links.
    let (mut furniture, mut link): (Option<ego_tree::NodeId>, usize) = (None, 0);
    // The block being taken: its node, its raw text and how much of that is link text. Blocks
    // opened inside it are part of it.
    let mut block: Option<(ego_tree::NodeId, String, usize)> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                scraper::Node::Element(e) => {
                    if furniture.is_none()
                        && node.id() != root.id()
                        && (FURNITURE.contains(&e.name()) || ElementRef::wrap(node).is_some_and(is_furniture_class))
                    {
                        furniture = Some(node.id());
                    }
                    if e.name() == "a" {
                        link += 1;
                    }
                    if BLOCKS.contains(&e.name()) && block.is_none() && furniture.is_none() {
                        block = Some((node.id(), String::new(), 0));
                    }
                }
                scraper::Node::Text(t) if furniture.is_none() => {
                    if let Some((_, raw, links)) = &mut block {
                        raw.push_str(t);
                        if link > 0 {
                            *links += t.len();
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let scraper::Node::Element(e) = node.value() else { continue };
                if furniture == Some(node.id()) {
                    furniture = None;
                }
                if e.name() == "a" {
                    link = link.saturating_sub(1);
                }
                if block.as_ref().is_none_or(|(id, _, _)| *id != node.id()) {
                    continue;
                }
                if let Some((_, raw, links)) = block.take() {
                    let content = collapse(&raw);
                    // A short block that is mostly link text: a menu or a list of other articles.
                    let menu = links * 2 > content.len() && content.len() < 200;
                    if !content.is_empty() && !menu {
                        if !text.is_empty() {
                            text.push_str("\n\n");
                        }
                        text.push_str(&content);
                    }
                }
            }
        }
    }
    text
}

/// True when an element carries the class or role names pages give to navigation and widgets.
fn is_furniture_class(e: ElementRef<'_>) -> bool {
    let v = e.value();
    let role = v.attr("role").unwrap_or("");
    let class = v.attr("class").unwrap_or("").to_lowercase();
    matches!(role, "navigation" | "banner" | "contentinfo" | "complementary")
        || ["nav", "menu", "share", "social", "related", "newsletter", "cookie", "advert", "promo", "subscribe"]
            .iter()
            .any(|w| class.split(|c: char| !c.is_alphanumeric()).any(|part| part == *w))
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
    fn deep_nesting_is_flattened_below_the_limit_and_loses_no_text() {
        // 50,000 nested elements of each kind that matter: plain, block, furniture, root.
        for (open, close) in [("<div class=\"a>b\">", "</div>"), ("<li>", "</li>"), ("<aside>", "</aside>"), ("<article>", "</article>")] {
            let page = format!("<html><body>{}<p>Shelling near Kupiansk.</p>{}</body></html>", open.repeat(50_000), close.repeat(50_000));
            let flat = flatten_deep(&page);
            assert!(scan_tags(&flat, None) <= MAX_DEPTH + BLOCK_ALLOWANCE, "{open}");
            let e = extract(&page);
            assert!(open == "<aside>" || e.text.contains("Shelling near Kupiansk."), "{open}: {:?}", e.text);
        }
        // A page within the limit is parsed as it is.
        assert!(matches!(flatten_deep(PAGE), std::borrow::Cow::Borrowed(_)));
        // Script text is not markup, comments are skipped, void and self-closed tags do not nest.
        assert_eq!(scan_tags("<script>if (a<b) { x = '<div>'; }</SCRIPT><!-- <p> --><p>a<br>b<img/>c</p>", None), 1);
        // Many raw-text elements cost one pass, as do tags cut off at the end.
        assert_eq!(scan_tags(&"<style>p{}</style>".repeat(20_000), None), 0);
        for cut in ["<div", "<div class=\"x", "<!-- open", "</", "<script>x", "<ü>", "<a\u{00e9}>"] {
            scan_tags(cut, None);
        }
    }

    #[test]
    fn broken_and_empty_markup() {
        assert_eq!(extract("").text, "");
        let broken = extract("<p>Shelling hit <b>Kherson<p>Second <i>paragraph");
        assert_eq!(broken.text, "Shelling hit Kherson\n\nSecond paragraph");
        assert_eq!(extract("<html><head><meta name=date content=\"not a date\"></head></html>").published, None);
    }
}

//! Romanisation of Ukrainian and Russian place names, by the rules analysts meet in sources.
//!
//! Reports spell one Cyrillic name several ways: Ukraine's official romanisation (the Cabinet of
//! Ministers' table of 2010, "KMU 2010": Kharkiv, Zaporizhzhia, Yenakiieve), the BGN/PCGN
//! romanisation of Ukrainian used on older maps (Kharkiv, Zaporizhzhya, Yenakiyeve), and the
//! Russian-style Latin of Russian sources and of most pre-2022 news (Kharkov, Zaporozhye,
//! Yenakiyevo, Gorlovka). [`romanisations`] gives each distinct spelling a name has by these
//! rules; the gazetteer builder indexes them as alternates. Folding (see [`crate::normalize`])
//! already reads `y` as `i` and drops apostrophes, so spellings that differ only there share one
//! key and are not repeated.

/// Which language's letters a Cyrillic name is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Ukrainian (і, ї, є or ґ, or no letter only Russian has).
    Ukrainian,
    /// Russian (ы, э, ё or ъ).
    Russian,
}

/// The language of a Cyrillic name from the letters only one of the two alphabets has; `None`
/// for a name with neither (it is romanised both ways) or with no Cyrillic at all.
pub fn script(name: &str) -> Option<Script> {
    let lower = name.to_lowercase();
    if lower.chars().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ')) {
        Some(Script::Ukrainian)
    } else if lower.chars().any(|c| matches!(c, 'ы' | 'э' | 'ё' | 'ъ')) {
        Some(Script::Russian)
    } else {
        None
    }
}

/// True when the name has a Cyrillic letter.
pub fn is_cyrillic(name: &str) -> bool {
    name.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// A romanisation system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    /// Ukrainian, KMU 2010: word-initial є ї й ю я as ye yi y yu ya, else ie i i iu ia; г as h;
    /// зг as zgh; soft sign and apostrophe dropped.
    Kmu2010,
    /// Ukrainian, BGN/PCGN 1965: є ї й ю я as ye yi y yu ya everywhere; soft sign as `'`.
    BgnPcgnUkrainian,
    /// Russian, as Russian sources and news write it (BGN/PCGN without diacritics): г as g,
    /// е as ye at the start of a word and after a vowel, ё as yo, ы as y, э as e, й as y.
    RussianStyle,
    /// Russian with е always as e ("Elino", "Enakievo"), as many other sources write it.
    RussianPlainE,
}

/// The romanisations of a Cyrillic name that the rules give: for a Ukrainian name KMU 2010 and
/// BGN/PCGN, for a Russian one the two Russian styles, for a name of either alphabet all four,
/// each also with щ as "sch" where it has one. Distinct spellings only, in that order; empty
/// for a name with no Cyrillic letter.
pub fn romanisations(name: &str) -> Vec<String> {
    if !is_cyrillic(name) {
        return Vec::new();
    }
    let systems: &[System] = match script(name) {
        Some(Script::Ukrainian) => &[System::Kmu2010, System::BgnPcgnUkrainian],
        Some(Script::Russian) => &[System::RussianStyle, System::RussianPlainE],
        None => &[System::Kmu2010, System::BgnPcgnUkrainian, System::RussianStyle, System::RussianPlainE],
    };
    let mut out: Vec<String> = Vec::new();
    for &system in systems {
        let r = romanise(name, system);
        // English-language reports often write щ as "sch" (Schastia, Vyscheve).
        let sch = (r.contains("shch") || r.contains("Shch")).then(|| r.replace("shch", "sch").replace("Shch", "Sch"));
        for r in std::iter::once(r).chain(sch) {
            if !r.is_empty() && !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// Romanises `name` by `system`. Letters outside the Ukrainian and Russian alphabets pass
/// through unchanged; the capitalisation of each letter is kept on its first Latin letter.
pub fn romanise(name: &str, system: System) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).map(|p| p.to_lowercase().next().unwrap_or(*p));
        let word_start = prev.is_none_or(|p| !p.is_alphabetic() && !is_apostrophe(p));
        let after_vowel = prev.is_some_and(|p| "аеєиіїоуюяыэёьъ'’ʼ".contains(p));
        match letter(lower, prev, word_start, after_vowel, system) {
            Some(latin) if c != lower => {
                let mut l = latin.chars();
                if let Some(first) = l.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(l.as_str());
                }
            }
            Some(latin) => out.push_str(latin),
            // The Ukrainian apostrophe: BGN/PCGN writes it as a prime; the others drop it.
            None if is_apostrophe(c) => {
                if system == System::BgnPcgnUkrainian {
                    out.push('\'');
                }
            }
            None => out.push(c),
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`')
}

/// One lower-case letter's romanisation; `None` for a character of neither alphabet.
fn letter(c: char, prev: Option<char>, word_start: bool, after_vowel: bool, system: System) -> Option<&'static str> {
    use System::*;
    let ukrainian = matches!(system, Kmu2010 | BgnPcgnUkrainian);
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' if ukrainian => {
            if system == Kmu2010 && prev == Some('з') {
                "gh"
            } else {
                "h"
            }
        }
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' if ukrainian => "e",
        'е' if system == RussianStyle && (word_start || after_vowel) => "ye",
        'е' => "e",
        'є' if system == Kmu2010 && !word_start => "ie",
        'є' => "ye",
        'ё' if system == RussianStyle => "yo",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' if ukrainian => "y",
        'и' => "i",
        'і' => "i",
        'ї' if system == Kmu2010 && !word_start => "i",
        'ї' => "yi",
        'й' if system == Kmu2010 && !word_start => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ь' if system == BgnPcgnUkrainian => "'",
        'ь' | 'ъ' => "",
        'ы' => "y",
        'э' => "e",
        'ю' if system == Kmu2010 && !word_start => "iu",
        'ю' => "yu",
        'я' if system == Kmu2010 && !word_start => "ia",
        'я' => "ya",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        let mut out = String::new();
        crate::fold(s, &mut out);
        out
    }

    #[test]
    fn ukrainian_names_by_kmu_2010_and_bgn_pcgn() {
        assert_eq!(romanise("Запоріжжя", System::Kmu2010), "Zaporizhzhia");
        assert_eq!(romanise("Запоріжжя", System::BgnPcgnUkrainian), "Zaporizhzhya");
        assert_eq!(romanise("Єнакієве", System::Kmu2010), "Yenakiieve");
        assert_eq!(romanise("Згурівка", System::Kmu2010), "Zghurivka");
        assert_eq!(romanise("Харків", System::Kmu2010), "Kharkiv");
        assert_eq!(romanise("Куп'янськ", System::Kmu2010), "Kupiansk");
        assert_eq!(romanise("Куп'янськ", System::BgnPcgnUkrainian), "Kup'yans'k");
        assert_eq!(romanise("Часів Яр", System::Kmu2010), "Chasiv Yar");
    }

    #[test]
    fn russian_names_as_russian_sources_write_them() {
        assert_eq!(romanise("Горловка", System::RussianStyle), "Gorlovka");
        assert_eq!(romanise("Артёмовск", System::RussianStyle), "Artyomovsk");
        assert_eq!(romanise("Артёмовск", System::RussianPlainE), "Artemovsk");
        assert_eq!(romanise("Кривой Рог", System::RussianStyle), "Krivoy Rog");
        assert_eq!(romanise("Рубежное", System::RussianStyle), "Rubezhnoye");
        assert_eq!(romanise("Елино", System::RussianPlainE), "Elino");
        assert_eq!(romanise("Волчанск", System::RussianStyle), "Volchansk");
    }

    #[test]
    fn each_spelling_once_and_the_alphabet_decides_the_systems() {
        // Ukrainian letters: only the Ukrainian systems.
        assert_eq!(romanisations("Бахмутівка"), ["Bakhmutivka"]);
        let ukr = romanisations("Покровськ");
        assert!(ukr.contains(&"Pokrovsk".to_owned()) && ukr.iter().all(|s| !s.contains('g')), "{ukr:?}");
        // Neither alphabet's own letters: both readings, so г is h and g.
        let both = romanisations("Горловка");
        assert!(both.contains(&"Horlovka".to_owned()) && both.contains(&"Gorlovka".to_owned()), "{both:?}");
        assert_eq!(key(&romanise("Кропивницький", System::Kmu2010)), key("Kropyvnytskyi"));
        assert!(romanisations("Kyiv").is_empty());
        assert!(romanisations("Щастя").contains(&"Schastia".to_owned()), "{:?}", romanisations("Щастя"));
    }
}

//! One sentence per class of decision the recognizer makes, written for these tests: each
//! checks a rule, not a corpus sentence.

use sitrep_gazetteer::{Feature, Gazetteer};
use sitrep_geoparse::{Geoparser, Parse, Precision, Role};

fn parse(text: &str) -> Parse<'static> {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    let gaz = GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"));
    Geoparser::new(gaz).parse(text)
}

fn places(text: &str) -> Vec<String> {
    parse(text).toponyms.into_iter().map(|t| t.text).collect()
}

#[test]
fn a_sentence_opening_word_does_not_hide_the_place_after_it() {
    assert_eq!(places("In Kupiansk, a railway bridge was hit overnight."), ["Kupiansk"]);
    assert_eq!(places("Near Melitopol, partisans blew up a train."), ["Melitopol"]);
    assert_eq!(places("A Winona man was arrested on Friday."), ["Winona"]);
}

#[test]
fn people_are_not_places() {
    // A first name before a town's name, a speaker, an age after a name.
    assert!(places("Reporters asked Vladimir Putin about the war.").is_empty());
    assert!(places("Deputy mayor Anna Lincoln said the shelter was full.").is_empty());
    assert!(places("Officers stopped Marshall, 24, on the bridge.").is_empty());
    // A number after a comma is a distance, not an age, when a unit follows it.
    assert_eq!(places("Troops took control of Pytomnyk, 10 kilometers north of Kharkiv."), ["Pytomnyk", "Kharkiv"]);
    assert_eq!(places("Troops took control of Pytomnyk, 12 km north of Kharkiv."), ["Pytomnyk", "Kharkiv"]);
    // A name the report gives a person stays that person.
    let p = places("Ivan Bell chairs the committee. Bell said the vote was close.");
    assert!(p.is_empty(), "{p:?}");
    // A word only a town takes keeps the name a place where the report also gives it to a person.
    assert_eq!(places("Officers spoke with Tom Decatur on Monday. Decatur residents were told to stay home."), ["Decatur"]);
    // A country speaks through its government.
    assert_eq!(places("Russia said the strikes would go on."), ["Russia"]);
}

#[test]
fn words_that_fold_into_place_names_stay_words() {
    assert!(places("The United Way volunteers came. I’ve seen it; we’ll see.").is_empty());
    assert!(places("The vote is due on Nov. 26 in the State Duma.").is_empty());
}

#[test]
fn a_place_in_quotation_marks_is_found_without_them() {
    // A closing mark is no part of the name: "Izyum\"" must not read as a contraction ("I'm").
    assert_eq!(places("Officials called \"Izyum\" and 'Bakhmut' contested."), ["Izyum", "Bakhmut"]);
    assert_eq!(places("Residents of “Kupiansk” returned."), ["Kupiansk"]);
    // An apostrophe between letters stays inside the name.
    assert_eq!(places("Troops reached Kup'yans'k by night."), ["Kup'yans'k"]);
}

#[test]
fn organisations_keep_notable_places_inside_them() {
    let parse = parse("A spokesman for the Kharkiv Regional Military Administration said.");
    let kharkiv = parse.toponyms.iter().find(|t| t.text == "Kharkiv").expect("Kharkiv inside the name");
    assert_eq!(kharkiv.role, Role::Embedded);
    assert!(places("The Shiloh High School team won.").iter().all(|p| p != "High"));
}

#[test]
fn a_works_named_after_its_town_keeps_the_town_a_place() {
    // "Glass" is no word the lists know; "Plant" makes the run a works, not a person's name,
    // so the town stays a place where the report names it alone.
    let p = places("Fires broke out at the Lysychansk Glass Plant. Russian units attacked southwest of Lysychansk.");
    assert_eq!(p, ["Lysychansk", "Lysychansk"]);
    assert_eq!(places("Smoke rose over the Kupiansk Bread Factory."), ["Kupiansk"]);
}

#[test]
fn a_city_named_with_its_type_word_is_the_city_itself() {
    let role = |text: &str, name: &str| parse(text).toponyms.iter().find(|t| t.text == name).map(|t| t.role);
    assert_eq!(role("Artillery hit the outskirts of Kherson City overnight.", "Kherson"), Some(Role::Literal));
    assert_eq!(role("Shells fell on Sumy City.", "Sumy"), Some(Role::Literal));
    assert_eq!(role("The Kherson City Council met on Friday.", "Kherson"), Some(Role::Embedded), "a council is an organisation");
}

#[test]
fn a_plural_type_word_types_every_name_in_the_list() {
    let parse = parse("Schools in Barrow, Jackson and Madison counties closed.");
    let counties: Vec<_> = parse.toponyms.iter().filter_map(|t| t.place.map(|p| (t.text.clone(), p.feature()))).collect();
    assert_eq!(counties.len(), 3, "{counties:?}");
    assert!(counties.iter().all(|(_, f)| *f == Feature::Admin2), "{counties:?}");
}

#[test]
fn nationality_words_are_demonyms_including_two_word_ones() {
    let parse = parse("Sri Lankan and Ukrainian officials met; debris fell into the Indian Ocean.");
    let demonyms: Vec<_> = parse.demonyms.iter().map(|d| (d.text.as_str(), d.country.map(|c| c.code()))).collect();
    assert_eq!(demonyms, [("Sri Lankan", Some("LK")), ("Ukrainian", Some("UA"))]);
    assert_eq!(parse.toponyms.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["Indian Ocean"]);
}

#[test]
fn russian_spellings_of_oblasts_and_front_directions() {
    let parse = parse("Fighting went on in the Kharkov region and in the Krasnoliman direction.");
    let kharkov = &parse.toponyms[0];
    assert_eq!(kharkov.place.map(|p| p.geonameid()), Some(Some(706482)), "Kharkiv Oblast");
    let lyman = &parse.toponyms[1];
    assert_eq!(lyman.text, "Krasnoliman");
    assert_eq!(lyman.place.map(|p| p.code()), Some("lyman-direction"));
}

#[test]
fn datelines_and_state_abbreviations() {
    let parse = parse("SEVIERVILLE, Tenn. (AP) — Police said a Ky. man was held.");
    let found: Vec<_> = parse.toponyms.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(found, ["SEVIERVILLE", "Tenn.", "Ky."]);
}

#[test]
fn an_abbreviation_keeps_its_full_stop() {
    // Dotted initials, inside a sentence and at its end.
    assert_eq!(places("Talks in Washington, D.C. ended early."), ["Washington, D.C."]);
    assert_eq!(places("The delegation flew home to the U.S."), ["U.S."]);
    assert_eq!(places("Floods closed roads near Elkins, W.Va. on Monday."), ["Elkins", "W.Va."]);
    // A state written short, and a street whose type word is written short.
    assert_eq!(places("The plant moved to Fresno, Calif. last year."), ["Fresno", "Calif."]);
    let street = parse("A pipe burst on Maple St. in Fresno.");
    assert_eq!(street.toponyms.first().map(|t| t.text.as_str()), Some("Maple St."));
    // A whole name at the end of a sentence leaves the full stop to the sentence.
    assert_eq!(places("Aid convoys reached Gaza. Others waited in Egypt."), ["Gaza", "Egypt"]);
    assert_eq!(places("Shelling went on near Kupiansk."), ["Kupiansk"]);
    // A two-letter abbreviation of something else is no state ("No. 4" is a number).
    assert!(places("The band played Symphony No. 4 last night.").is_empty());
    // Offsets cover the full stop too.
    let capital = parse("Envoys met in the U.S. capital.");
    let us = &capital.toponyms[0];
    assert_eq!((us.start, us.end, us.byte_end - us.byte_start), (18, 22, 4));
    // Demonyms are still listed apart.
    let officials = parse("Ukrainian and U.S. officials met.");
    assert_eq!(officials.demonyms.iter().map(|d| d.text.as_str()).collect::<Vec<_>>(), ["Ukrainian"]);
    assert_eq!(officials.toponyms.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["U.S."]);
}

#[test]
fn streets_and_natural_features_the_gazetteer_lacks_are_local_features() {
    let parse = parse("Shells hit Sumska Street and the dam on the Siverka Creek in Kharkiv.");
    let local: Vec<_> = parse.toponyms.iter().filter(|t| t.local).map(|t| t.text.as_str()).collect();
    assert_eq!(local, ["Sumska Street", "Siverka Creek"]);
    for t in parse.toponyms.iter().filter(|t| t.local) {
        assert_eq!(t.place.map(|p| p.geonameid()), Some(Some(706483)), "placed at Kharkiv");
        assert_eq!(t.precision, Precision::Near);
    }
    assert_eq!(places("Traffic backed up on Route 66 for hours."), ["Route 66"]);
}

#[test]
fn a_line_break_ends_a_name_and_a_direction_marks_a_place() {
    // The headline's last word is not joined to the next line's first ("Kreminna This").
    assert_eq!(places("Fighting west of Kreminna\n\nThis report was filed later."), ["Kreminna"]);
    // "east of Lyman": a surname that is also a town, after a direction and "of".
    assert_eq!(places("Units dug in some 20 kilometres east of Lyman."), ["Lyman"]);
}

/// The resolved place of every mention of `name` in `text`, as (feature, country code).
fn resolved(text: &str, name: &str) -> Vec<(Feature, Option<String>)> {
    parse(text)
        .toponyms
        .into_iter()
        .filter(|t| t.text == name)
        .filter_map(|t| t.place.map(|p| (p.feature(), p.country().map(|c| c.code().to_owned()))))
        .collect()
}

#[test]
fn a_name_that_is_a_country_and_a_home_state_is_the_state_in_a_report_about_that_home() {
    let us = "Schools in Athens, Gainesville and Macon are reviewing their budgets. Georgia lawmakers \
              met in Atlanta on Monday, and officials in Savannah said Georgia would cut spending.";
    assert!(resolved(us, "Georgia").iter().all(|(f, c)| *f == Feature::Admin1 && c.as_deref() == Some("US")), "{:?}", resolved(us, "Georgia"));
    let caucasus = "Talks in Tbilisi with officials from Armenia and Azerbaijan ended on Monday. \
                    Georgia said it would host the next round, and Turkey agreed.";
    assert!(resolved(caucasus, "Georgia").iter().all(|(f, _)| *f == Feature::Country), "{:?}", resolved(caucasus, "Georgia"));
}

#[test]
fn an_entry_the_gazetteer_cannot_place_is_never_chosen() {
    // The gazetteer lists Guam both as a territory (with coordinates) and as a subdivision of
    // the United States without any; a report about US states must still get a located Guam.
    let text = "Members flew to Hawaii, Alaska, Guam, Texas and Florida for the exercise.";
    let guam: Vec<_> = parse(text).toponyms.into_iter().filter(|t| t.text == "Guam").filter_map(|t| t.place).collect();
    assert!(!guam.is_empty() && guam.iter().all(|p| p.is_located()), "{:?}", guam.iter().map(|p| p.id()).collect::<Vec<_>>());
}

#[test]
fn a_name_does_not_vote_for_itself_and_a_named_county_holds_its_town() {
    // Repeating "Alexandria" must not make the Egyptian city likelier; the parish named once
    // places the town in Louisiana.
    let text = "Alexandria man charged with arson. A man from Alexandria was arrested on Friday, and \
                deputies from Rapides Parish investigated the fire.";
    let towns: Vec<_> = parse(text).toponyms.into_iter().filter(|t| t.text == "Alexandria").filter_map(|t| t.place).collect();
    assert!(!towns.is_empty());
    for p in towns {
        assert_eq!(p.admin1().map(|a| a.display_name()), Some("Louisiana"), "{}", p.id());
    }
}

/// The first-level subdivision of every resolved mention of `name` in `text`.
fn states(text: &str, name: &str) -> Vec<Option<String>> {
    parse(text).toponyms.into_iter().filter(|t| t.text == name).filter_map(|t| t.place.map(|p| p.admin1().map(|a| a.display_name().to_owned()))).collect()
}

#[test]
fn a_subdivision_the_report_names_outweighs_a_bigger_namesake_elsewhere() {
    // A county named once decides between a small town and a country of the same name.
    let text = "A Palestine man was held on Tuesday after a chase, Anderson County deputies said. \
                He was taken to the Anderson County jail.";
    let picked = states(text, "Palestine");
    assert!(!picked.is_empty() && picked.iter().all(|s| s.as_deref() == Some("Texas")), "{picked:?}");
}

#[test]
fn a_town_vouches_for_the_county_that_bears_its_name() {
    // "DeKalb" and "DeKalb County" are two names: the town in Illinois places the county there
    // rather than in Georgia, whose DeKalb County is the more populous.
    let text = "Walkers in DeKalb County raised money for the hospital. The walk starts at a park in \
                DeKalb on Saturday, and volunteers from DeKalb County will hand out water.";
    let picked = states(text, "DeKalb County");
    assert!(!picked.is_empty() && picked.iter().all(|s| s.as_deref() == Some("Illinois")), "{picked:?}");
}

#[test]
fn a_word_only_a_town_takes_rules_out_the_country_throughout_the_report() {
    // People of a country go by its demonym; "a Jordan man" lives in a town called Jordan, and
    // so does the report's later, bare "Jordan".
    let text = "Deputies arrested a Jordan man on Friday after a chase. Officers in Jordan said he fled.";
    let picked = resolved(text, "Jordan");
    assert_eq!(picked.len(), 2, "{picked:?}");
    assert!(picked.iter().all(|(f, _)| *f != Feature::Country), "{picked:?}");
    // Where a named person lives.
    let picked = resolved("Officers said John Stone, 41, of Lebanon was fined on Monday.", "Lebanon");
    assert!(!picked.is_empty() && picked.iter().all(|(f, _)| *f != Feature::Country), "{picked:?}");
    // A street address ends in its town; a person of a place is from a town.
    for text in ["Services will be held at the chapel, 214 Orchard Lane, Lebanon.", "Survivors include a sister, Nora Beale of Lebanon."] {
        let picked = resolved(text, "Lebanon");
        assert!(!picked.is_empty() && picked.iter().all(|(f, _)| *f != Feature::Country), "{text}: {picked:?}");
    }
    // The country itself is still the country, and a titled person of it is its ruler.
    for text in ["Talks between Israel and Jordan resumed in Amman.", "King Abdullah of Jordan met the envoy on Monday."] {
        let picked = resolved(text, "Jordan");
        assert!(!picked.is_empty() && picked.iter().all(|(f, _)| *f == Feature::Country), "{text}: {picked:?}");
    }
}

#[test]
fn a_bare_name_is_the_town_only_when_the_town_is_of_some_size_beside_the_area() {
    // A small South African town called Virginia does not outweigh the US state...
    let text = "He was sent back to Virginia to stand trial, police in Alexandria said.";
    let virginia = resolved(text, "Virginia");
    assert!(!virginia.is_empty() && virginia.iter().all(|(f, c)| *f == Feature::Admin1 && c.as_deref() == Some("US")), "{virginia:?}");
    // ...while a city that is a large share of its oblast is what a bare name means.
    let kherson = resolved("Shelling hit Kherson overnight.", "Kherson");
    assert!(!kherson.is_empty() && kherson.iter().all(|(f, _)| *f == Feature::City), "{kherson:?}");
}

#[test]
fn states_listed_together_do_not_hold_one_another() {
    // California, named beside Nevada, does not make "Nevada" the Californian town that
    // GeoNames also calls Nevada; a county listed with its town still holds it.
    let nevada = resolved("Lawmakers in Nevada and California passed the bill.", "Nevada");
    assert!(!nevada.is_empty() && nevada.iter().all(|(f, _)| *f == Feature::Admin1), "{nevada:?}");
    let paris = states("Residents of Paris and Henry County will get a letter from the rescue squad.", "Paris");
    assert!(!paris.is_empty() && paris.iter().all(|s| s.as_deref() == Some("Tennessee")), "{paris:?}");
}

#[test]
fn a_town_placed_once_by_its_state_is_that_town_throughout_the_report() {
    // The towns of Massachusetts around the second "Springfield" do not make it that state's.
    let text = "Springfield, Ohio - The band has played in Boston, Worcester, Lowell and Amherst, and \
                comes home to Springfield on Friday.";
    let picked = states(text, "Springfield");
    assert_eq!(picked.len(), 2, "{picked:?}");
    assert!(picked.iter().all(|s| s.as_deref() == Some("Ohio")), "{picked:?}");
}

#[test]
fn the_ocean_is_the_ocean_in_a_report_about_american_towns() {
    // Iowa has a town called Atlantic, some 120 km from Des Moines; an ocean is still the
    // likelier reading of its name.
    let picked = resolved("Volunteers from Des Moines sailed across the Atlantic.", "Atlantic");
    assert!(!picked.is_empty() && picked.iter().all(|(f, _)| *f == Feature::Sea), "{picked:?}");
}

#[test]
fn a_state_abbreviation_counts_when_a_comma_follows_its_full_stop() {
    let text = "He lives in Bethel, Vt., and works in Hanover.";
    assert_eq!(places(text), ["Bethel", "Vt.", "Hanover"]);
    assert_eq!(states(text, "Bethel"), [Some("Vermont".to_owned())]);
    assert_eq!(states(text, "Hanover"), [Some("New Hampshire".to_owned())]);
}

#[test]
fn the_city_of_a_town_is_the_same_name_and_does_not_vouch_for_it() {
    // "City of Richmond" is the report's Richmond again, not a second name placing it in
    // Virginia; the county named places it in Kentucky.
    let text = "A Richmond man was charged on Sunday, Madison County deputies said. The City of Richmond \
                will repave the road.";
    assert_eq!(states(text, "Richmond"), [Some("Kentucky".to_owned())]);
}

#[test]
fn the_people_of_a_subdivision_point_at_the_subdivision() {
    for (people, country) in [("Chechen", "RU"), ("Dagestani", "RU"), ("Abkhaz", "GE"), ("North Ossetian", "RU"), ("Ingush", "RU")] {
        let parse = parse(&format!("Two {people} servicemen were hurt in the blast."));
        let d = parse.demonyms.first().unwrap_or_else(|| panic!("{people} is a demonym"));
        let region = d.subdivision.unwrap_or_else(|| panic!("{people} names a subdivision"));
        assert_eq!(region.feature(), Feature::Admin1, "{people}");
        assert_eq!(region.country().map(|c| c.code()), Some(country), "{people}");
        assert_eq!(d.country.map(|c| c.code()), Some(country), "{people}: the country stays");
    }
    assert!(parse("Ukrainian troops advanced.").demonyms[0].subdivision.is_none());
}

#[test]
fn compass_words_ordinals_and_a_coast_are_no_places_of_their_own() {
    // Each of these words is another name of a province abroad in the gazetteer.
    assert_eq!(places("Fighting eased in Sumy and Northeastern Ukraine this week."), ["Sumy", "Ukraine"]);
    assert_eq!(places("Kyiv said First Deputy Defence Minister Ivanov was dismissed."), ["Kyiv"]);
    assert_eq!(places("Landing craft were seen along the Black Sea Coast near Odesa."), ["Black Sea", "Odesa"]);
}

#[test]
fn a_line_of_authors_names_no_places() {
    // An analysts' byline: every word capitalised, so capitals say nothing, and several of the
    // names are also spellings of towns abroad. A first name before a word, or a first name and
    // an initial, make it a surname.
    let byline = "Oleh Barros, Karolina Hird, and Thomas J. Kagan\n\nMay 3, 6 pm ET\n\nShelling went on near Izium.";
    assert_eq!(places(byline), ["Izium"]);
    // A headline's "In" is no first name, whoever bears it.
    assert_eq!(places("What Went Wrong In Vuhledar"), ["Vuhledar"]);
}

#[test]
fn a_capitalised_compass_word_makes_a_sector_name_and_an_outlet_is_no_place() {
    // "the Southern Axis" names a sector of the front, not the south of a town called Axis; in
    // lower case the compass word still marks a location.
    let p = places("Shelling went on along the Southern Axis, and near Kherson, on Monday.");
    assert_eq!(p, ["Kherson"]);
    assert_eq!(places("Residents of southern Kherson fled."), ["Kherson"]);
    // A media outlet or a channel named after a word that some town abroad also spells.
    assert!(places("The Russian outlet Baza reported the strike first.").is_empty());
}

#[test]
fn weapons_named_like_towns_abroad_are_no_places() {
    // Missile systems and a petrol bomb whose names also spell towns in Uzbekistan, Hungary,
    // Russia: in war reporting they are the weapons.
    let p = places("Two Iskander launchers and a Buk battery moved north of Kharkiv; a Molotov cocktail hit a truck.");
    assert_eq!(p, ["Kharkiv"]);
}

#[test]
fn a_name_that_is_also_a_first_name_is_a_place_in_a_list_after_a_place() {
    // "Lyman" is a first name and a small town: alone it waits for the report to place it, but
    // listed after a place it is one of the places.
    assert_eq!(places("Russian troops shelled Sloviansk and Lyman."), ["Sloviansk", "Lyman"]);
    assert_eq!(places("Russian troops shelled Siversk, Lyman and Bakhmut."), ["Siversk", "Lyman", "Bakhmut"]);
    // After a person it is no list of places.
    assert!(places("Prizes went to Maria Kovalenko and Lyman on Friday.").is_empty());
}

#[test]
fn the_red_cross_is_no_place() {
    // A hamlet in the United States bears the aid organisation's name.
    let p = places("The International Committee of the Red Cross asked for access to prisoners held near Olenivka.");
    assert_eq!(p, ["Olenivka"]);
    // Nor is the last word of its name a place of its own (a Nigerian state is also "Cross").
    assert_eq!(places("Officials of the Red Cross (ICRC) visited Olenivka."), ["Olenivka"]);
}

//! The theatre gazetteer and prior: villages, qualified names, the theatre and its escape,
//! ambiguity. Sentences written for these tests.

use sitrep_gazetteer::{Feature, Gazetteer};
use sitrep_geoparse::{BatchTally, Geoparser, Parse, Precision, Theatre, TheatreChoice, Toponym};

fn gaz() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

fn parse(text: &str, theatre: Option<&str>) -> Parse<'static> {
    let parser = Geoparser::new(gaz());
    let parser = match theatre {
        Some(code) => parser.with_theatre(Theatre::country(gaz(), code).expect("a country code")),
        None => parser,
    };
    parser.parse(text)
}

fn toponym<'a>(parse: &'a Parse<'static>, name: &str) -> &'a Toponym<'static> {
    parse
        .toponyms
        .iter()
        .find(|t| t.text == name)
        .unwrap_or_else(|| panic!("{name} not found in {:?}", parse.toponyms.iter().map(|t| &t.text).collect::<Vec<_>>()))
}

fn id(parse: &Parse<'static>, name: &str) -> Option<u32> {
    toponym(parse, name).place.and_then(|p| p.geonameid())
}

#[test]
fn a_village_missing_from_cities500_is_found_in_text() {
    // Pisky by Avdiivka has no population figure in GeoNames; cities500 lacks it.
    let p = parse("Assaults continued at Pisky, west of Avdiivka, through the night.", Some("UA"));
    assert_eq!(id(&p, "Pisky"), Some(9_113_066));
}

#[test]
fn the_theatre_prefers_its_own_homonym() {
    // Without a theatre a bare name goes to the largest place of the name.
    let text = "Shelling hit Volchansk overnight.";
    assert_eq!(id(&parse(text, Some("UA")), "Volchansk"), Some(689_304), "Vovchansk, Kharkiv oblast");
    assert_eq!(id(&parse("Drones struck Zelenodolsk.", Some("UA")), "Zelenodolsk"), Some(687_392));
    // Former names that are also Russian towns' names: in the theatre they are the renamed towns.
    assert_eq!(id(&parse("Artillery fire was heard in Dzerzhinsk.", Some("UA")), "Dzerzhinsk"), Some(709_354), "Toretsk");
    assert_eq!(id(&parse("Troops regrouped near Krasnoarmeysk.", Some("UA")), "Krasnoarmeysk"), Some(704_422), "Pokrovsk");
}

#[test]
fn a_named_foreign_region_or_country_escapes_the_theatre() {
    let p = parse("Volchansk in Sverdlovsk oblast held a festival.", Some("UA"));
    assert_eq!(id(&p, "Volchansk"), Some(1_486_984), "the Urals town");
    let p = parse("Pisky, Romania, hosted a fair.", Some("UA"));
    let pisky = toponym(&p, "Pisky").place.expect("resolved");
    assert_ne!(pisky.country_code(), "UA", "{}", pisky.display_name());
}

#[test]
fn qualified_names_pick_the_village_in_the_unit_or_the_unit_itself() {
    // One of many Andriivkas, chosen by its oblast.
    let p = parse("Andriivka, Sumy oblast, was shelled on Monday.", Some("UA"));
    let place = toponym(&p, "Andriivka").place.expect("resolved");
    assert_eq!(place.admin1().map(|a| a.code()), Some("UA.21"), "{}", place.display_name());
    // Several of them in Kyiv oblast: the text narrowed it to the oblast, and says no more.
    let p = parse("Shelling hit Andriivka, Kyiv oblast.", Some("UA"));
    let t = toponym(&p, "Andriivka");
    assert_eq!(t.place.and_then(|p| p.admin1()).map(|a| a.code()), Some("UA.13"));
    assert_eq!(t.precision, Precision::Admin1, "ambiguous within the oblast: {:?}", t.ambiguous);
    // A raion narrows it further.
    let p = parse("Shelling hit Andriivka in the Kramatorsk raion of Donetsk region.", Some("UA"));
    let raion = toponym(&p, "Andriivka").place.and_then(|p| p.admin2()).map(|a| a.geonameid());
    assert_eq!(raion, Some(Some(12_189_528)), "Kramatorskyi Raion");
    // "X village in Y Oblast" is containment too.
    let p = parse("A school was damaged in Andriivka village in Kyiv Oblast.", Some("UA"));
    assert_eq!(toponym(&p, "Andriivka").place.and_then(|p| p.admin1()).map(|a| a.code()), Some("UA.13"));
    // A village the gazetteer does not know: the oblast as an area, never its capital city.
    let p = parse("Shelling damaged houses in Zzyzvarivka, Sumy, on Monday.", Some("UA"));
    let sumy = toponym(&p, "Sumy");
    assert_eq!(sumy.place.map(|s| s.feature()), Some(Feature::Admin1));
    assert_eq!(sumy.precision, Precision::Admin1);
}

#[test]
fn a_name_many_villages_share_is_marked_ambiguous() {
    let p = parse("Shelling was reported in Andriivka.", Some("UA"));
    let t = toponym(&p, "Andriivka");
    let a = t.ambiguous.expect("ambiguous");
    assert!(a.candidates >= 50, "{a:?}");
    assert!(a.spread_km > 300.0, "{a:?}");
    assert_eq!(t.precision, Precision::Country, "the villages lie in many oblasts");
    assert!(t.confidence < 0.1);
    // A town of note beside villages of its name is what the bare name means.
    let p = parse("Shelling was reported in Kramatorsk.", Some("UA"));
    assert!(toponym(&p, "Kramatorsk").ambiguous.is_none());
    assert_eq!(toponym(&p, "Kramatorsk").precision, Precision::Exact);
}

#[test]
fn a_batch_gives_its_theatre() {
    let parser = Geoparser::new(gaz());
    let parses: Vec<_> =
        ["Fighting near Kupiansk and Izium.", "Strikes on Kharkiv.", "Shelling of Lyman in Donetsk oblast."].iter().map(|t| parser.parse(t)).collect();
    let mut tally = BatchTally::default();
    parses.iter().for_each(|p| tally.add(p));
    let theatre = tally.theatre();
    let kharkiv = parses[1].toponyms[0].place.expect("resolved");
    assert!(theatre.weight(&kharkiv) > 0.9, "every place lies in Ukraine");
    let volchansk = parse("Shelling hit Volchansk overnight.", None);
    let russian = volchansk.toponyms[0].place.expect("resolved");
    if russian.country_code() != "UA" {
        assert_eq!(theatre.weight(&russian), 0.0);
    }
    assert_eq!(id(&Geoparser::new(gaz()).with_theatre(theatre).parse("Shelling hit Volchansk overnight."), "Volchansk"), Some(689_304));
}

#[test]
fn a_town_of_the_theatre_named_like_a_person_is_the_town_there() {
    let text = "Shelling of Lyman continued through the night.";
    assert!(parse(text, None).toponyms.is_empty(), "without a theatre a lone first name is not read as a place");
    assert_eq!(id(&parse(text, Some("UA")), "Lyman"), Some(704_204));
    // A first name before a surname is still a person's.
    assert!(parse("Lyman Abbott wrote a letter.", Some("UA")).toponyms.is_empty());
}

#[test]
fn a_unit_in_brackets_qualifies_the_name_before_it() {
    // One of many Novoselivkas, put in its oblast by the bracket.
    let p = parse("Shelling of Novoselivka (Donetsk) went on all day.", Some("UA"));
    let place = toponym(&p, "Novoselivka").place.expect("resolved");
    assert_eq!(place.admin1().map(|a| a.code()), Some("UA.05"), "{}", place.display_name());
    // A village the gazetteer does not know: the oblast in brackets is the area, not its capital.
    let p = parse("Shelling damaged houses in Zzyzvarivka (Sumy) on Monday.", Some("UA"));
    let sumy = toponym(&p, "Sumy");
    assert_eq!(sumy.place.map(|s| s.feature()), Some(Feature::Admin1));
    assert_eq!(sumy.precision, Precision::Admin1);
}

#[test]
fn a_russian_form_in_a_named_raion_finds_the_ukrainian_village() {
    // Russian sources write Ukrainian neuter names with -oye (Stepne: "Stepnoye"); the raion
    // picks the Stepne inside it among the many of either spelling.
    let p = parse("Stepnoye in the Volnovakha district was shelled.", Some("UA"));
    assert_eq!(id(&p, "Stepnoye"), Some(692_553));
}

#[test]
fn hromadas_hold_their_villages() {
    // KATOTTG gives a joined village its hromada; "X in the Y hromada" picks the X inside it.
    let p = parse("Shelling hit Ivanivka in the Bohodukhiv hromada.", Some("UA"));
    let ivanivka = toponym(&p, "Ivanivka").place.expect("resolved");
    assert_eq!(ivanivka.admin3().map(|h| h.name()), Some("Bohodukhivska hromada"));
    // The hromada itself, by the name of its town, is an area placed as a raion would be.
    let p = parse("Fighting continued in the Kupiansk hromada.", Some("UA"));
    let hromada = toponym(&p, "Kupiansk");
    assert_eq!(hromada.place.map(|h| h.feature()), Some(Feature::Hromada));
    assert_eq!(hromada.precision, Precision::Admin2);
}

#[test]
fn a_large_city_of_the_theatre_is_read_in_lower_case() {
    let text = "smoke rising in mariupol after the strike";
    assert_eq!(id(&parse(text, Some("UA")), "mariupol"), Some(701_822));
    assert!(parse(text, None).toponyms.is_empty(), "without a theatre lower case is no name");
    // Villages are not read in lower case.
    assert!(parse("smoke rising in pisky after the strike", Some("UA")).toponyms.is_empty());
}

#[test]
fn the_batch_focus_is_its_most_named_oblast() {
    let parser = Geoparser::new(gaz());
    let parses: Vec<_> =
        ["Fighting near Kupiansk and Izium.", "Strikes on Kharkiv.", "Shelling of Lyman in Donetsk oblast."].iter().map(|t| parser.parse(t)).collect();
    let mut tally = BatchTally::default();
    parses.iter().for_each(|p| tally.add(p));
    let theatre = tally.theatre();
    let kharkiv = parses[1].toponyms[0].place.expect("resolved");
    assert_eq!(theatre.focus(&kharkiv), 1.0, "Kharkiv oblast is named most");
    let explicit = Theatre::country(gaz(), "UA").expect("Ukraine");
    assert_eq!(explicit.focus(&kharkiv), 0.0, "an explicit theatre has no focus");
    assert_eq!(explicit.and(&theatre).focus(&kharkiv), 1.0);
}

#[test]
fn a_feature_named_after_a_town_lies_there_when_no_other_town_is_named() {
    // The bridge, park or road takes its town's name: with no other town in the text, that town.
    let p = parse("Engineers blew up the Irpin Bridge at dawn.", Some("UA"));
    let bridge = toponym(&p, "Irpin Bridge");
    assert!(bridge.local);
    assert_eq!(bridge.place.and_then(|p| p.geonameid()), Some(707_565), "Irpin");
    assert_eq!(bridge.precision, Precision::Near);
    // A village's name is as often a person's: a park called after a writer is not in the
    // village that shares his name.
    let p = parse("Rockets struck Gorky Park overnight.", Some("UA"));
    assert!(toponym(&p, "Gorky Park").place.is_none());
    // Nor in the city that bore the name once: without a theatre the name's likeliest town is
    // Nizhny Novgorod, called Gorky in Soviet times, which the park does not lie in.
    let p = parse("Rockets struck Gorky Park overnight.", None);
    assert!(toponym(&p, "Gorky Park").place.is_none(), "{:?}", toponym(&p, "Gorky Park").place.map(|p| p.display_name()));
    // A town's name of today still places its feature, theatre or not.
    let p = parse("Engineers blew up the Irpin Bridge at dawn.", None);
    assert_eq!(toponym(&p, "Irpin Bridge").place.and_then(|p| p.geonameid()), Some(707_565), "Irpin");
    // With another town named, the feature is placed by it as before ("the Zhytomyr highway
    // in Berezivka" runs towards Zhytomyr, through the village).
    let p = parse("A convoy burned on the Zhytomyr Highway outside Kyiv.", Some("UA"));
    assert_eq!(toponym(&p, "Zhytomyr Highway").place.and_then(|p| p.geonameid()), Some(703_448), "Kyiv");
}

#[test]
fn a_name_right_after_in_without_its_article_is_the_village_not_the_river() {
    // "the Oskil" is the river; "in Oskil" the village of that name.
    let p = parse("A boarding school was damaged in Oskil.", Some("UA"));
    assert_eq!(toponym(&p, "Oskil").place.map(|p| p.feature()), Some(Feature::City));
    let p = parse("Pontoons were laid across the Oskil.", Some("UA"));
    assert_eq!(toponym(&p, "Oskil").place.map(|p| p.feature()), Some(Feature::River));
}

#[test]
fn the_batch_front_reads_a_lone_village_where_the_fighting_is() {
    // Many villages share the name Pisky; the largest lies far from the fighting, the one by
    // Avdiivka has no population figure. A batch that names the places around Donetsk again
    // and again puts a lone mention of the name there.
    let explicit = Theatre::country(gaz(), "UA").expect("Ukraine");
    let first = Geoparser::new(gaz()).with_theatre(explicit.clone());
    let batch = [
        "Heavy fighting was reported near Avdiivka.",
        "Artillery hit Donetsk again overnight.",
        "Assaults on Marinka and Krasnohorivka were repelled.",
        "Yasynuvata came under fire.",
        "Avdiivka and Donetsk were shelled through the day.",
        "Drones were seen over Marinka.",
    ];
    let theatre = batch_theatre(&batch);
    let text = "Mortar fire in Pisky this morning.";
    let alone = first.parse(text);
    assert_ne!(id(&alone, "Pisky"), Some(9_113_066), "without the batch the bare name is not placed by Avdiivka");
    let with_front = Geoparser::new(gaz()).with_theatre(theatre.clone()).parse(text);
    assert_eq!(id(&with_front, "Pisky"), Some(9_113_066), "the Pisky by Avdiivka");
    // The front counts the batch's mentions near a place, and none far from them.
    let near = toponym(&with_front, "Pisky").place.expect("resolved");
    assert!(theatre.front(&near) >= 6.0, "{}", theatre.front(&near));
    let far = toponym(&alone, "Pisky").place.expect("resolved");
    assert_eq!(theatre.front(&far), 0.0);
    assert_eq!(explicit.front(&near), 0.0, "an explicit theatre has no front");
}

#[test]
fn a_name_many_villages_bear_is_not_a_citys_other_spelling() {
    // Dozens of villages are called Oleksandrivka; it is also an old name of Donetsk.
    let p = parse("A tank was hit in Oleksandrivka.", Some("UA"));
    let t = toponym(&p, "Oleksandrivka");
    assert_ne!(t.place.and_then(|p| p.geonameid()), Some(709_717), "not Donetsk");
    assert!(t.ambiguous.is_some(), "one of many villages, none preferred");
}

#[test]
fn saints_in_a_church_name_are_no_places() {
    // "Paul" is also a municipality of Cabo Verde and a town in Idaho; beside "Peter and" it is
    // a saint, and Moscow is not drawn to Idaho by it.
    let p = parse("Smoke rose over the Church of Peter and Paul in Moscow.", None);
    assert!(p.toponyms.iter().all(|t| t.text != "Paul"), "{:?}", p.toponyms.iter().map(|t| &t.text).collect::<Vec<_>>());
    assert_eq!(toponym(&p, "Moscow").place.map(|m| m.country_code()), Some("RU"));
    // A place listed after a person's first name that is no place is still read.
    let p = parse("Volunteers from Peter and Kharkiv arrived.", None);
    assert!(p.toponyms.iter().any(|t| t.text == "Kharkiv"));
}

#[test]
fn a_slip_in_a_named_unit_is_read_inside_that_unit() {
    // An oblast's name with two letters swapped, before its type word, is still the oblast,
    // and puts the village before it there.
    let p = parse("A school got bombed in Novoselivka, Donestk oblast.", Some("UA"));
    assert_eq!(toponym(&p, "Donestk").place.map(|o| o.code()), Some("UA.05"), "Donetsk Oblast");
    assert_eq!(toponym(&p, "Novoselivka").place.and_then(|v| v.admin1()).map(|a| a.code()), Some("UA.05"));
    // A village written with the Russian o for the Ukrainian i, or with its last letter lost,
    // is the one of that spelling inside the unit named after it, not the oblast.
    let p = parse("Artillery fire near Dibrovne, Kharkiv Oblast.", Some("UA"));
    let village = toponym(&p, "Dibrovne").place.expect("read as a village");
    assert_eq!((village.feature(), village.admin1().map(|a| a.code())), (Feature::City, Some("UA.07")), "{}", village.display_name());
    let p = parse("Shelling of Trostyanet, Sumy.", Some("UA"));
    assert_eq!(id(&p, "Trostyanet"), Some(691_255), "Trostianets, Sumy oblast");
    // Without a unit after it, or without a theatre, a slip is no name.
    assert!(parse("Artillery fire near Dibrovne.", Some("UA")).toponyms.is_empty());
    assert!(parse("Shelling of Trostyanet, Sumy.", None).toponyms.iter().all(|t| t.text != "Trostyanet"));
    // A word of the language before a unit is not read as a slip of a village's name.
    let p = parse("Houses burned, Sumy oblast officials said.", Some("UA"));
    assert!(p.toponyms.iter().all(|t| t.text != "Houses"));
}

#[test]
fn a_town_of_the_theatre_misspelt_alone_after_in_is_still_read() {
    // Short notes name one town and nothing around it; a letter lost or swapped in the name of
    // a town of ten thousand or more is still that town when no other such town is one edit away.
    let p = parse("Russian troops were filmed in Popsana on Tuesday.", Some("UA"));
    assert_eq!(id(&p, "Popsana"), Some(696_566), "Popasna");
    let p = parse("Houses burned in Bordyanka.", Some("UA"));
    assert_eq!(id(&p, "Bordyanka"), Some(711_635), "Borodianka");
    // Without a theatre, or without a word of place before it, the word is no name.
    assert!(parse("Russian troops were filmed in Popsana on Tuesday.", None).toponyms.is_empty());
    assert!(parse("Soldiers told Popsana nothing.", Some("UA")).toponyms.is_empty());
    // Another capitalised word after it makes a longer name (a firm's, a person's).
    assert!(parse("The contract went to Popsana Holdings.", Some("UA")).toponyms.iter().all(|t| t.text != "Popsana"));
}

/// The theatre of a batch of short notes, read first with the explicit theatre.
fn batch_theatre(notes: &[&str]) -> Theatre {
    TheatreChoice { country: Some("UA".to_owned()), batch: true }.of_texts(gaz(), notes).expect("Ukraine")
}

#[test]
fn a_village_with_no_population_figure_can_still_be_where_the_batch_fights() {
    // The Lukashivka north of Chernihiv has no population figure; others of the name have
    // hundreds. A batch about the fighting round Chernihiv reads the bare name there.
    let theatre = batch_theatre(&[
        "Shelling of Chernihiv continued.",
        "A bridge out of Chernihiv was blown up.",
        "Strikes hit Chernihiv overnight.",
        "Convoys were seen near Chernihiv.",
    ]);
    let text = "A church was destroyed in Lukashivka.";
    assert_ne!(id(&parse(text, Some("UA")), "Lukashivka"), Some(702_629), "alone, nothing puts it by Chernihiv");
    let p = Geoparser::new(gaz()).with_theatre(theatre).parse(text);
    assert_eq!(id(&p, "Lukashivka"), Some(702_629), "the village by Chernihiv");
}

#[test]
fn a_town_outside_the_theatre_is_not_taken_from_it_by_the_batch() {
    // A hamlet of the Donetsk front shares Grozny's name. However much the batch fights round
    // it, the capital of Chechnya is what the bare name means.
    let theatre = batch_theatre(&[
        "Fighting near Avdiivka and Yasynuvata.",
        "Shelling of Avdiivka.",
        "Assaults on Avdiivka were repelled.",
        "Strikes on Yasynuvata and Avdiivka.",
        "Heavy fighting at Avdiivka.",
    ]);
    let p = Geoparser::new(gaz()).with_theatre(theatre.clone()).parse("Two officials landed at the Grozny airport.");
    assert_eq!(toponym(&p, "Grozny").place.map(|g| g.country_code()), Some("RU"));
    // The front is there all the same: the hamlet's namesakes in the theatre are placed by it.
    let hamlet = gaz().places().find(|p| p.geonameid() == Some(708_029)).expect("the hamlet");
    assert!(theatre.front(&hamlet) > 0.0);
}

mod choice {
    //! `TheatreChoice`, the one builder of a reader's theatre that the commands and the
    //! evaluations share.

    use super::{gaz, id};
    use sitrep_geoparse::{Geoparser, Theatre, TheatreChoice, UnknownCountry};

    fn choice(country: Option<&str>, batch: bool) -> TheatreChoice {
        TheatreChoice { country: country.map(str::to_owned), batch }
    }

    #[test]
    fn each_combination_of_levels_names_itself() {
        assert_eq!(choice(None, false).level(), "none (each report's own places)");
        assert_eq!(choice(Some("ua"), false).level(), "explicit UA");
        assert_eq!(choice(Some("UA"), true).level(), "explicit UA + batch");
        assert_eq!(choice(None, true).level(), "batch");
        assert_eq!(TheatreChoice::default(), choice(None, false));
    }

    #[test]
    fn without_the_batch_level_the_documents_are_never_asked_for() {
        let built = choice(Some("UA"), false)
            .build(gaz(), |_| -> Result<(), UnknownCountry> { panic!("the batch pass ran though no batch level was asked for") })
            .expect("Ukraine is in the gazetteer");
        assert_eq!(built, Theatre::country(gaz(), "UA").expect("Ukraine"));
        assert!(!built.has_batch_level());
        let nothing = choice(None, false).of_texts(gaz(), ["Shelling hit Marinka."]).expect("no code to look up");
        assert!(nothing.is_empty(), "no level asked for gives the empty theatre");
    }

    #[test]
    fn a_code_of_no_country_is_an_error_that_names_it() {
        let err = choice(Some("QQ"), true).of_texts(gaz(), ["Kyiv"]).expect_err("QQ is no country");
        assert_eq!(err, UnknownCountry("QQ".to_owned()));
        assert!(err.to_string().contains("\"QQ\""), "{err}");
    }

    #[test]
    fn an_error_from_the_batch_pass_is_handed_back_unchanged() {
        #[derive(Debug, PartialEq)]
        enum Failure {
            Country,
            Disk,
        }
        impl From<UnknownCountry> for Failure {
            fn from(_: UnknownCountry) -> Failure {
                Failure::Country
            }
        }
        let result = choice(None, true).build(gaz(), |add| {
            add("Troops held Vuhledar.");
            Err(Failure::Disk)
        });
        assert_eq!(result, Err(Failure::Disk));
    }

    #[test]
    fn the_batch_level_places_a_lone_shared_name_near_the_documents_fighting() {
        // Reports about the villages around Avdiivka and Donetsk, and a note naming only
        // Pisky, a name many villages share (the one by Avdiivka has no population figure).
        let reports = [
            "Russian troops pressed on Avdiivka from the south.",
            "Shells fell on Donetsk and Yasynuvata overnight.",
            "Ukrainian units repelled assaults near Marinka and Krasnohorivka.",
            "Avdiivka and Yasynuvata saw heavy artillery duels.",
            "Marinka was hit again by drones.",
        ];
        let note = "A mortar round struck Pisky at dawn.";
        let explicit = choice(Some("UA"), false).of_texts(gaz(), reports).expect("Ukraine");
        let batch = choice(Some("UA"), true).of_texts(gaz(), reports).expect("Ukraine");
        assert!(batch.has_batch_level() && !explicit.has_batch_level());
        let alone = Geoparser::new(gaz()).with_theatre(explicit).parse(note);
        let within = Geoparser::new(gaz()).with_theatre(batch).parse(note);
        assert_ne!(id(&alone, "Pisky"), Some(9_113_066), "the country alone does not pick the Pisky by Avdiivka");
        assert_eq!(id(&within, "Pisky"), Some(9_113_066), "the batch's front does");
        // The sink's texts are what counts: the same levels built through `build` agree.
        let streamed = choice(Some("UA"), true)
            .build(gaz(), |add| -> Result<(), UnknownCountry> {
                reports.iter().for_each(|r| add(r));
                Ok(())
            })
            .expect("Ukraine");
        let again = Geoparser::new(gaz()).with_theatre(streamed).parse(note);
        assert_eq!(id(&again, "Pisky"), Some(9_113_066));
    }
}

#[test]
fn geoparsers_with_other_theatres_on_one_thread_keep_their_own_readings() {
    // A name's first candidates are kept per thread between texts, for one geoparser at a
    // time: interleaving geoparsers of different theatres must read as each does alone.
    let text = "Shelling hit Volchansk overnight. Drones struck Zelenodolsk.";
    let plain = Geoparser::new(gaz());
    let ua = Geoparser::new(gaz()).with_theatre(Theatre::country(gaz(), "UA").expect("a country code"));
    let ids = |p: &Parse<'static>| -> Vec<Option<u32>> { p.toponyms.iter().map(|t| t.place.and_then(|p| p.geonameid())).collect() };
    let alone = |code: Option<&'static str>| std::thread::spawn(move || ids(&parse(text, code))).join().expect("a thread of its own");
    let (plain_alone, ua_alone) = (alone(None), alone(Some("UA")));
    assert_ne!(plain_alone, ua_alone, "the theatre changes what the names are read as");
    for _ in 0..3 {
        assert_eq!(ids(&plain.parse(text)), plain_alone);
        assert_eq!(ids(&ua.parse(text)), ua_alone);
    }
}

#[test]
fn a_bare_oblast_capital_is_the_city_even_when_the_oblast_towns_around_it_are_far() {
    // Every other town named lies 50–170 km from Kherson city, inside its oblast: the oblast
    // is at no distance from them, the city far, and distance alone made "Kherson" the oblast.
    let text = "Ukrainian artillery hit Russian positions by Nova Kakhovka, Beryslav and Skadovsk, \
                and partisans struck in Henichesk. Russian troops kept digging in around Kherson.";
    let p = parse(text, None);
    assert_eq!(id(&p, "Kherson"), Some(706_448), "the city, not Kherson Oblast");
    // Written with its type word, the oblast is still the oblast.
    let p = parse(&format!("{text} Kherson Oblast lost power overnight."), None);
    assert_eq!(id(&p, "Kherson Oblast"), Some(706_442));
}

#[test]
fn a_big_citys_own_name_is_the_city_even_beside_a_village_that_has_it_as_another_spelling() {
    // A town near Sloviansk lists the city's name among its other spellings; beside Donbas
    // towns, distance alone took it. Written as the city writes itself, the name is the city.
    let text = "Russian artillery hit Sloviansk and Kramatorsk overnight. Missiles also struck Mykolaiv.";
    for theatre in [None, Some("UA")] {
        let p = parse(text, theatre);
        assert_eq!(id(&p, "Mykolaiv"), Some(700_569), "the city on the Southern Buh, theatre {theatre:?}");
    }
    // The town's own name still reads as the town.
    let p = parse("Russian artillery hit Sloviansk and Kramatorsk overnight. Shells also fell on Mykolaivka.", None);
    assert_eq!(id(&p, "Mykolaivka"), Some(700_119));
}

#[test]
fn a_citys_own_name_is_that_city_beside_the_places_of_another_city_that_has_it_as_another_spelling() {
    // GeoNames lists "Slovyansk" among the other spellings of Nikopol, a city as large, which
    // lies near Zaporizhzhia; named beside Zaporizhzhia, the name is still Sloviansk.
    let text = "Russian forces tried again to advance toward Slovyansk and Zaporizhzhia on Tuesday.";
    for theatre in [None, Some("UA")] {
        let p = parse(text, theatre);
        assert_eq!(id(&p, "Slovyansk"), Some(693_468), "the city in Donetsk Oblast, theatre {theatre:?}");
    }
    // Nikopol by its own name is Nikopol.
    assert_eq!(id(&parse("Shells fell on Nikopol and Zaporizhzhia on Tuesday.", None), "Nikopol"), Some(700_051));
}

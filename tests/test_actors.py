"""The actors stage on real sentences: titles, capitals, possessives, memory, compounds."""

from __future__ import annotations

import datetime as dt

import pytest

from dyad.actors.resolver import ActorResolver


@pytest.fixture(scope="module")
def resolve(nlp):
    resolver = ActorResolver(nlp)

    def run(text: str):
        doc = nlp(text)
        sents = list(doc.sents)
        actors = resolver.resolve(doc, sents, dt.date(2019, 2, 26))
        return doc, actors

    return run


def codes_of(doc, actors, word: str) -> list[str]:
    token = next(t for t in doc if t.text == word)
    return [a.code for a in actors.group(token)]


def test_title_with_demonym_gives_country_and_agent(resolve):
    doc, actors = resolve("Venezuelan Vice President Delcy Rodriguez met Russian troops.")
    assert codes_of(doc, actors, "Rodriguez") == ["VENGOV"]
    assert codes_of(doc, actors, "troops") == ["RUSMIL"]


def test_capital_is_an_actor_when_it_acts_and_a_place_when_it_locates(resolve):
    doc, actors = resolve("Moscow has backed the government. Ministers held talks in Moscow.")
    moscows = [t for t in doc if t.text == "Moscow"]
    assert [a.code for a in actors.actors_at(moscows[0])] == ["RUS"]
    assert actors.actors_at(moscows[1]) == []


def test_seats_of_power_stand_for_their_state(resolve):
    doc, actors = resolve("The Kremlin criticised the White House on Monday.")
    assert codes_of(doc, actors, "Kremlin") == ["RUS"]
    assert codes_of(doc, actors, "House") == ["USA"]


def test_possessive_pronoun_carries_the_country_over(resolve):
    doc, actors = resolve(
        "Russia has lent Caracas billions of dollars. Moscow has also helped its military."
    )
    assert codes_of(doc, actors, "military") == ["VENMIL"]


def test_the_countrys_minister(resolve):
    doc, actors = resolve(
        "Venezuela's deputy foreign minister, Ivan Gil, and the country's industry minister, "
        "Tareck El Aissami, were in Moscow."
    )
    ministers = [t for t in doc if t.text == "minister"]
    assert [a.code for a in actors.actors_at(ministers[0])] == ["VENGOV"]
    assert [a.code for a in actors.actors_at(ministers[1])] == ["VENGOV"]


def test_a_person_introduced_with_a_title_is_remembered(resolve):
    doc, actors = resolve(
        "Russian Foreign Minister Sergei Lavrov arrived on Monday. Lavrov said talks went well."
    )
    lavrovs = [t for t in doc if t.text == "Lavrov"]
    assert [a.code for a in actors.actors_at(lavrovs[1])] == ["RUSGOV"]
    assert actors.actors_at(lavrovs[1])[0].how == "memory"


def test_a_bare_title_takes_the_storys_country(resolve):
    doc, actors = resolve(
        "Venezuela's government rejected the plan. Opposition leader Juan Guaido called "
        "for protests."
    )
    assert codes_of(doc, actors, "Guaido") == ["VENOPP"]


def test_compound_actors_give_one_actor_each(resolve):
    doc, actors = resolve("Russia, alongside China, has become a creditor of Venezuela.")
    assert codes_of(doc, actors, "Russia") == ["RUS", "CHN"]
    doc, actors = resolve("Hungarian and Romanian officials agreed on Wednesday.")
    assert sorted(codes_of(doc, actors, "officials")) == ["HUNGOV", "ROUGOV"]


def test_historical_names_follow_the_leaders_tables_convention(resolve):
    # USSR under RUS, Yugoslavia under SRB, as the leaders table codes their leaders
    doc, actors = resolve("Soviet troops met Kampuchean rebels.")
    assert codes_of(doc, actors, "troops") == ["RUSMIL"]
    assert codes_of(doc, actors, "rebels") == ["KHMREB"]
    doc, actors = resolve("Yugoslav officials met them.")
    assert codes_of(doc, actors, "officials") == ["SRBGOV"]


def test_a_side_is_the_state_its_adjective_names(resolve):
    doc, actors = resolve("The Israeli side rejected the proposal, but both sides met.")
    sides = [t for t in doc if t.lemma_ == "side"]
    assert [[a.code for a in actors.group(t)] for t in sides] == [["ISR"], []]


def test_army_officers_are_military_and_bare_officers_nobody_in_particular(resolve):
    doc, actors = resolve("Syrian army officers met Turkish security officers.")
    officers = [t for t in doc if t.text == "officers"]
    assert [{a.code for a in actors.group(t)} for t in officers] == [{"SYRMIL"}, {"TURCOP"}]
    # prison, election, press officers: a bare 'officers' says no sector
    doc, actors = resolve("British prison officers went on strike.")
    assert codes_of(doc, actors, "officers") == []


def test_a_people_living_in_one_state_stands_for_it_as_a_demonym_does(resolve):
    doc, actors = resolve("A group of Yoruba leaders met Chechen rebels and Tamil politicians.")
    assert codes_of(doc, actors, "group") == ["NGA"]
    assert codes_of(doc, actors, "rebels") == ["RUSREB"]
    assert codes_of(doc, actors, "Tamil") == []  # Tamils live in two states
    doc, actors = resolve("Pashtun tribesmen in Pakistan attacked a police post.")
    assert codes_of(doc, actors, "tribesmen") == ["PAKCVL"]  # nor Pashtuns


def test_armed_groups_of_the_cold_war_era_are_known(resolve):
    doc, actors = resolve("UNITA rebels ambushed a convoy and the RUF attacked Freetown.")
    assert codes_of(doc, actors, "rebels") == ["AGOREBUNI"]
    assert codes_of(doc, actors, "RUF") == ["SLEREBRUF"]
    # a story naming no state is about the state of the groups it names
    doc, actors = resolve("President Manuel Ferreira conceded to demands from UNITA.")
    assert codes_of(doc, actors, "Ferreira") == ["AGOGOV"]
    # initials other bodies share are not these groups' names
    doc, actors = resolve("AUC Chairperson Moussa Faki Mahamat condemned the coup.")
    assert all(not a.code.startswith("COL") for t in doc for a in actors.group(t))
    # a news agency cited is no such group: the story is not about China
    doc, actors = resolve("Rebels attacked a town in the north, Xinhua reported.")
    assert codes_of(doc, actors, "Rebels") == []


def test_an_attack_stands_for_its_attacker(resolve):
    doc, actors = resolve("Iran condemned the Israeli attack and a military offensive.")
    assert codes_of(doc, actors, "attack") == ["ISR"]
    assert codes_of(doc, actors, "offensive") == []  # 'military' says what kind, not whose


def test_the_country_next_to_a_title_places_it(resolve):
    # a section name run into the sentence is no second country of the person
    doc, actors = resolve("Iraq U.S. Secretary of State Condoleezza Rice arrived in Baghdad.")
    assert codes_of(doc, actors, "Rice") == ["USAGOV"]
    doc, actors = resolve("Senior Hungarian and Romanian officials met in Budapest.")
    assert codes_of(doc, actors, "officials") == ["HUNGOV", "ROUGOV"]
    doc, actors = resolve("Croatian Serb refugees returned to Knin.")  # Croatia's Serbs
    assert codes_of(doc, actors, "refugees") == ["HRVREF"]
    doc, actors = resolve("Kosovo Serb leaders met in Pristina.")  # no title: both
    assert codes_of(doc, actors, "leaders") == ["XKX", "SRB"]


def test_a_town_places_a_body_in_its_state(resolve):
    doc, actors = resolve("An Istanbul court charged the journalist with terrorism.")
    assert codes_of(doc, actors, "court") == ["TURJUD"]
    doc, actors = resolve("Police in Los Angeles arrested three protesters.")
    assert codes_of(doc, actors, "Police") == ["USACOP"]
    # a city that shares a leader's surname (Chile's Ricardo Lagos) is the city
    doc, actors = resolve("Lagos police arrested ten protesters.")
    assert codes_of(doc, actors, "police") == ["NGACOP"]
    doc, actors = resolve("Victoria police arrested three men.")  # Australia or Hong Kong
    assert codes_of(doc, actors, "police") == []


def test_a_speakers_title_yields_to_the_body_it_speaks_for(resolve):
    doc, actors = resolve("A Colombian rebel spokesman criticised the government.")
    assert codes_of(doc, actors, "spokesman") == ["COLREB"]
    doc, actors = resolve("The EU's foreign policy chief criticised Israel.")
    assert codes_of(doc, actors, "chief") == ["IGOEUREEC"]
    doc, actors = resolve("A Colombian spokesman criticised the rebels.")
    assert codes_of(doc, actors, "spokesman") == ["COLGOV"]


def test_organisations_and_regions(resolve):
    doc, actors = resolve("NATO warned Russia, and the United Nations urged Western nations.")
    assert codes_of(doc, actors, "NATO")[0].startswith("IGO")
    assert codes_of(doc, actors, "Nations")[0] == "IGOUNO"
    assert codes_of(doc, actors, "nations") == ["WST"]
    doc, actors = resolve("NATO-member Norway criticised Russia.")
    assert codes_of(doc, actors, "Norway") == ["NOR"]  # a member is itself
    doc, actors = resolve("EU member Poland criticised Russia.")
    assert codes_of(doc, actors, "Poland") == ["POL"]


def test_things_that_are_not_actors(resolve):
    doc, actors = resolve("Russia provided Russian wheat to the economy.")
    assert codes_of(doc, actors, "wheat") == []
    assert codes_of(doc, actors, "economy") == []


def test_leaders_known_by_date_need_no_title(nlp):
    resolver = ActorResolver(nlp)
    doc = nlp("Erdogan met Merkel in Berlin.")
    actors = resolver.resolve(doc, list(doc.sents), dt.date(2018, 9, 28))
    assert codes_of(doc, actors, "Erdogan") == ["TURGOV"]
    assert codes_of(doc, actors, "Merkel") == ["DEUGOV"]
    doc = nlp("Merkel met the press.")
    actors = resolver.resolve(doc, list(doc.sents), dt.date(2023, 5, 1))
    assert codes_of(doc, actors, "Merkel") == []  # out of office by then


def test_an_act_noun_stands_for_whoever_owns_it(resolve):
    doc, actors = resolve("Bangladesh rejected an Indian proposal and welcomed Sweden's decision.")
    assert codes_of(doc, actors, "proposal") == ["IND"]
    assert codes_of(doc, actors, "decision") == ["SWE"]
    doc, actors = resolve("Farmers sold Russian wheat and a proposal to the market.")
    assert codes_of(doc, actors, "proposal") == []  # nobody's proposal: no actor


def test_a_group_in_a_country_takes_that_country(resolve):
    doc, actors = resolve("Security forces in Guinea arrested dozens of protesters.")
    assert codes_of(doc, actors, "forces") == ["GINCOP"]
    doc, actors = resolve("Lawmakers in Chad and Niger welcomed the talks.")
    assert sorted(codes_of(doc, actors, "Lawmakers")) == ["NERLEG", "TCDLEG"]


def test_a_name_compounded_with_the_head_is_its_actor(resolve):
    doc, actors = resolve("U.N. helicopters evacuated the wounded on Friday.")
    assert codes_of(doc, actors, "helicopters") == ["IGOUNO"]
    assert codes_of(doc, actors, "Friday") == []  # a day, not a leader called Friday
    doc, actors = resolve("NASA sold rides to the Moon, Moon Jae-in said.")
    moons = [t for t in doc if t.text == "Moon"]
    assert actors.actors_at(moons[0]) == []  # the Moon, not South Korea's president


def test_a_misparsed_clause_inside_a_name_adds_no_actor(resolve):
    # spaCy hangs "two of its nationals suspected by the West" on "Britain".
    doc, actors = resolve(
        "Libya offered to hand over to Great Britain two of its nationals suspected by the "
        "West of blowing up a plane."
    )
    assert codes_of(doc, actors, "Britain") == ["GBR"]


def test_a_shared_modifier_reaches_every_conjunct(resolve):
    doc, actors = resolve("Danish media and government criticized the plan.")
    assert codes_of(doc, actors, "media") == ["DNKMED", "DNKGOV"]


def test_undated_text_still_knows_leaders_who_held_one_office(nlp):
    resolver = ActorResolver(nlp)
    doc = nlp("President Obama met Bush at the White House.")
    actors = resolver.resolve(doc, list(doc.sents), None)
    assert codes_of(doc, actors, "Obama") == ["USAGOV"]
    assert codes_of(doc, actors, "Bush") == ["USAGOV"]  # both Bushes were presidents
    # the small model tags a first word that is also a common noun as one
    doc = nlp("Trump has now suspended military aid to Pakistan.")
    actors = resolver.resolve(doc, list(doc.sents), None)
    assert codes_of(doc, actors, "Trump") == ["USAGOV"]


# -- with a user's PETRARCH dictionaries -------------------------------------------------


@pytest.fixture(scope="module")
def resolve_with_validation(nlp):
    from conftest import SHARED

    from dyad.actors.dictionary import load_dictionaries
    from dyad.evaluate import petrarch

    user = load_dictionaries(petrarch.dictionaries(SHARED), nlp=nlp, strict=False)
    resolver = ActorResolver(nlp, user)

    def run(text: str):
        doc = nlp(text)
        return doc, resolver.resolve(doc, list(doc.sents), dt.date(2010, 1, 1))

    return run


def test_user_actor_codes_combine_without_repeating_an_agent(resolve_with_validation):
    doc, actors = resolve_with_validation("White House security officials met Gondor.")
    assert codes_of(doc, actors, "officials") == ["USAGOV"]  # USAGOV + ~GOV


def test_short_names_are_abbreviations_not_stems(resolve_with_validation):
    # THE_KU [USAEDU] has no final "_", but two letters are no stem of "Kuwait".
    doc, actors = resolve_with_validation("The Kuwait government met the KU basketball team.")
    assert codes_of(doc, actors, "government") == ["KUWGOV"]
    assert codes_of(doc, actors, "team") == ["USAEDU"]


def test_an_actor_of_several_codes_gives_one_actor_each(resolve_with_validation):
    doc, actors = resolve_with_validation("The Shire welcomed Gondor.")
    assert codes_of(doc, actors, "Shire") == ["FRO", "BIL", "SAM"]


def test_an_act_named_with_its_agent_stands_for_the_agent(resolve):
    doc, actors = resolve("Turkey condemned an attack by Syrian rebels and a demand from Iran.")
    assert codes_of(doc, actors, "attack") == ["SYRREB", "IRN"]  # with its conjunct
    assert codes_of(doc, actors, "demand") == ["IRN"]
    doc, actors = resolve("Turkey condemned the attack near the river by the bridge.")
    assert codes_of(doc, actors, "attack") == []


def test_a_leader_named_on_a_group_gives_its_country(nlp):
    resolver = ActorResolver(nlp)
    doc = nlp("The Bush administration criticized Chinese trade rules.")
    actors = resolver.resolve(doc, list(doc.sents), None)
    assert codes_of(doc, actors, "administration") == ["USAGOV"]
    doc = nlp("The government of President Prosper Avril arrested opponents.")
    actors = resolver.resolve(doc, list(doc.sents), dt.date(1989, 4, 1))
    assert codes_of(doc, actors, "government") == ["HTIGOV"]
    doc = nlp("European Community foreign ministers met in Brussels.")
    actors = resolver.resolve(doc, list(doc.sents), dt.date(1991, 5, 1))
    assert codes_of(doc, actors, "ministers") == ["IGOEUREEC"]  # the EU's name until 1993


def test_titles_are_no_part_of_a_name_and_organisations_are_no_people(resolve):
    doc, actors = resolve("Brazilian Deputy Alberto Fraga criticized the Ethics Commission.")
    token = next(t for t in doc if t.text == "Fraga")
    assert [(a.code, a.name) for a in actors.actors_at(token)] == [("BRA", "Alberto Fraga")]
    assert codes_of(doc, actors, "Commission") == []  # not a person met without a title


def test_a_story_naming_a_state_only_as_a_place_is_about_that_state(resolve):
    doc, actors = resolve("Opposition leaders postponed the rally in Baku until Friday.")
    assert codes_of(doc, actors, "leaders") == ["AZEOPP"]
    doc, actors = resolve("Turkish opposition leaders postponed the rally in Baku.")
    assert codes_of(doc, actors, "leaders") == ["TUROPP"]  # a state named as an actor first


def test_weapons_stand_for_the_force_that_uses_them(resolve):
    doc, actors = resolve("British aircraft and Israeli drones struck targets near the border.")
    assert sorted(codes_of(doc, actors, "aircraft")) == ["GBRMIL", "ISRMIL"]
    doc, actors = resolve("The airline bought new aircraft.")
    assert codes_of(doc, actors, "aircraft") == []  # no state: no actor


def test_every_agent_word_of_a_phrase_joins_the_code(resolve_with_validation):
    doc, actors = resolve_with_validation("The Danish Islamist media and government met.")
    assert codes_of(doc, actors, "media") == ["DNKMUSMED", "DNKMUSGOV"]


def test_ethnic_group_belongs_to_the_state_it_lives_in(resolve):
    doc, actors = resolve("Ethnic Albanians in south Serbia are demanding a referendum.")
    assert codes_of(doc, actors, "Albanians") == ["SRB"]
    doc, actors = resolve("Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia.")
    assert codes_of(doc, actors, "Albanians") == ["SRB"]
    # a people named by its demonym alone is still its state's
    doc, actors = resolve("Albanians demonstrated on Tuesday in Serbia.")
    assert codes_of(doc, actors, "Albanians") == ["ALB"]


def test_a_leaders_surname_inside_another_name_gives_no_country(nlp):
    # David Levy was Israel's foreign minister; Levy Mwanawasa was Zambia's president
    doc = nlp("President Levy Mwanawasa has reneged on his commitment.")
    actors = ActorResolver(nlp).resolve(doc, list(doc.sents), None)
    for word in ("Mwanawasa", "his"):
        assert not any(code.startswith("ISR") for code in codes_of(doc, actors, word))


def test_a_reported_subject_pronoun_is_the_speaker(resolve):
    doc, actors = resolve("Chad's rebels said they captured the town of Abeche.")
    assert codes_of(doc, actors, "they") == ["TCDREB"]
    # only the subject of the reported clause: an object pronoun is somebody else
    doc, actors = resolve("Chad's rebels said the army attacked them.")
    assert codes_of(doc, actors, "them") != ["TCDREB"]
    # the pronoun must fit the speaker: one president is no "they", and "this" is no one
    doc, actors = resolve("The Iraqi president said they attacked the town.")
    assert codes_of(doc, actors, "they") == []
    doc, actors = resolve("The United Nations said this was an attack on Lebanon.")
    assert codes_of(doc, actors, "this") == []


def test_a_group_noun_takes_the_agent_of_its_modifier(resolve):
    doc, actors = resolve("Opposition groups in Zimbabwe are demanding new elections.")
    assert codes_of(doc, actors, "groups") == ["ZWEOPP"]
    doc, actors = resolve("Islamic fundamentalists in Algeria began a hunger strike.")
    assert codes_of(doc, actors, "fundamentalists") == ["DZARAD"]
    # with no agent word a group is nobody in particular
    doc, actors = resolve("Several groups in Zimbabwe are demanding new elections.")
    assert codes_of(doc, actors, "groups") == []


def test_a_number_or_body_of_people_is_its_members(resolve):
    doc, actors = resolve("Thousands of Nigerians were converging for a rally in Lagos.")
    assert codes_of(doc, actors, "Thousands") == ["NGA"]
    doc, actors = resolve("A group of Kenyan students marched on parliament.")
    assert codes_of(doc, actors, "group") == ["KENEDU"]


def test_a_name_modifying_a_group_noun_is_the_actor(resolve):
    doc, actors = resolve("The pro-Iranian Hizbollah group declared a ceasefire.")
    assert [c[:3] for c in codes_of(doc, actors, "group")] == ["LBN"]


def test_a_person_described_by_an_organisation_belongs_to_it(resolve):
    doc, actors = resolve("Jan Egeland, the United Nations relief coordinator, urged restraint.")
    assert codes_of(doc, actors, "Egeland") == ["IGOUNO"]


def test_a_different_first_name_is_not_the_leader_with_that_surname(nlp):
    # John Turner was Canada's prime minister; this Turner is a sports official
    doc = nlp("Athletic director Malcolm Turner said the coach has his full support.")
    actors = ActorResolver(nlp).resolve(doc, list(doc.sents), None)
    assert not any(c.startswith("CAN") for c in codes_of(doc, actors, "Turner"))
    doc = nlp("Prime Minister John Turner said Canada would send troops.")
    actors = ActorResolver(nlp).resolve(doc, list(doc.sents), None)
    assert codes_of(doc, actors, "Turner") == ["CANGOV"]


def test_a_coalition_led_by_a_state_is_that_states(resolve):
    doc, actors = resolve("The Saudi-led coalition has declared a two-week ceasefire in Yemen.")
    assert codes_of(doc, actors, "coalition") == ["SAU"]


def test_a_council_named_by_its_agent_is_that_agent(resolve):
    doc, actors = resolve("The Egyptian military council decided to ease restrictions.")
    assert codes_of(doc, actors, "council") == ["EGYMIL"]


def test_a_group_named_by_its_country_is_that_countrys(resolve):
    doc, actors = resolve("Palestinian factions have agreed to lay down their weapons.")
    assert codes_of(doc, actors, "factions") == ["PSE"]

"""The events stage on real sentences: clause shapes, modality, nominal events."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def code(pipeline):
    def run(text: str, date: str = "2019-02-26"):
        return [e.to_dict() for e in pipeline.code_text(text, date)]

    return run


def dyads(events) -> set[tuple[str, str, str]]:
    return {
        (e["source"]["code"], e["target"]["code"] if e["target"] else "-", e["root"])
        for e in events
    }


def test_active_clause(code):
    assert ("RUS", "USA", "11") in dyads(code("Russia has accused the United States of lying."))


def test_passive_clause_swaps_source_and_target(code):
    events = code("Israeli troops were attacked by Hamas militants near Gaza on Monday.")
    assert any(
        e["target"] and e["target"]["code"].startswith("ISR") and e["root"] in ("18", "19")
        for e in events
    )


def test_announced_meeting_takes_the_intent_code(code):
    events = code("French President Emmanuel Macron will meet German Chancellor Olaf Scholz.")
    assert [(e["cameo"], e["modality"]) for e in events] == [("036", "future")]


def test_announced_conflict_takes_the_threat_code(code):
    # CAMEO codes an announced blockade or attack as the threat of it (13x), not the act
    events = code("Radical French farmers said on Friday they would blockade Paris.")
    assert [(e["cameo"], e["modality"]) for e in events] == [("1381", "future")]
    events = code("The Umma party has said it will boycott Algeria's elections.")
    assert [e["cameo"] for e in events] == ["133"]


def test_rebels_attack_with_unconventional_violence(code):
    # CAMEO's 19 is conventional military force: the same attack by guerrillas is 18
    events = code("Irish nationalist guerrillas wounded two British soldiers on Thursday.")
    assert [e["cameo"] for e in events] == ["180"]
    assert [e["cameo"] for e in code("The Afghan army attacked Taliban positions.")] == ["190"]


def test_refused_permission_is_no_event(code):
    # the planes had their own subject, but under "refused to allow" they evacuated no one
    events = code("Serbia refused to allow UN planes to land and evacuate its observers.")
    # what was refused is letting foreign planes in: CAMEO 1245, aimed at the UN
    assert [(e["cameo"], e["target"]["code"]) for e in events] == [("1245", "IGOUNO")]
    events = code("Russia did not deny that its jets bombed the hospital in Aleppo.")
    assert [e["root"] for e in events] == ["19"]  # a denial withheld reports the act


def test_a_rejected_invitation_is_not_the_meeting(code):
    events = code("Iran rejected an invitation to attend talks with the United States.")
    assert events and not [e for e in events if e["root"] == "04"]


def test_agreeing_what_should_be_done_is_a_pledge(code):
    events = code("Hungarian and Romanian officials agreed that their countries should cooperate.")
    assert {e["cameo"] for e in events} == {"030"}
    events = code("France and Germany agreed that the plan is sound.")
    assert {e["cameo"] for e in events} == {"019"}  # an accord on a fact, no pledge


def test_a_vowed_act_is_a_pledge_not_an_act(code):
    events = code("Taliban leaders vowed a new offensive against Kabul.")
    assert [(e["cameo"], e["modality"]) for e in events] == [("030", "asserted")]


def test_a_pledge_verb_with_an_event_noun_codes_the_noun(code):
    events = code(
        "Arab League chief Chadli Klibi undertook a mediation mission between Syria and Iraq."
    )
    assert {(e["cameo"], e["target"]["code"]) for e in events} == {("045", "SYR"), ("045", "IRQ")}
    assert [e["cameo"] for e in code("Syria undertook to withdraw its troops from Lebanon.")] == [
        "0356"
    ]


def test_who_issues_a_text_does_what_it_says(code):
    events = code("The UN Security Council passed a resolution condemning Israel.")
    assert [(e["cameo"], e["source"]["code"], e["target"]["code"]) for e in events] == [
        ("111", "IGOUNO", "ISR")
    ]
    events = code("The United States vetoed a UN resolution condemning Israel.")
    assert events and not [e for e in events if (e["source"]["code"], e["root"]) == ("USA", "11")]


def test_a_preposition_of_time_satisfies_no_pattern(code):
    # "strike on" is an attack on a place; "a strike on Monday" is no attack
    events = code(
        "Serbian workers downed tools on the first day of an open-ended strike on Monday."
    )
    assert events and not [e for e in events if e["root"] == "19"]


def test_a_decision_is_the_act(code):
    # news reports a decision to ease sanctions as the easing, not a promise of it
    events = code("Japan decided on Thursday to ease some sanctions on North Korea.")
    assert [(e["cameo"], e["modality"]) for e in events] == [("085", "asserted")]


def test_troops_arriving_are_deployed_not_visiting(code):
    events = code("Some 163 Chinese peacekeepers arrived in South Sudan on Thursday.")
    assert [(e["cameo"], e["target"]["code"]) for e in events] == [("074", "SSD")]
    events = code("Pakistan's army chief arrived in Beijing on Monday.")
    assert [e["cameo"] for e in events] == ["042"]  # a person's trip is a visit


def test_returning_something_to_a_state_is_no_visit(code):
    events = code("The United States returned two paintings to the government of Brazil.")
    assert events and not [e for e in events if e["root"] == "04"]


def test_what_an_act_is_about_is_no_event_of_its_own(code):
    events = code("An Istanbul court charged the Kurdish mayor with terrorism.")
    assert [e["cameo"] for e in events] == ["173"]  # no act of terrorism by the court
    events = code("Hamas dismissed the UN's appeal for a ceasefire.")
    assert [e["cameo"] for e in events] == ["120"]


def test_an_act_noun_object_gives_its_own_target(code):
    # "his commitment" is the president's own; it was made to the Zambian people
    events = code("President Levy Mwanawasa reneged on his commitment to the Zambian people.")
    assert [(e["cameo"], e["source"]["code"], e["target"]["code"]) for e in events] == [
        ("120", "ZMBGOV", "ZMBCVL")
    ]


def test_a_stance_participle_is_no_passive(code):
    # parsed as a passive, "is opposed to" names its subject's stance
    events = code("Israel is opposed to the French plan.")
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("ISR", "FRA")]
    events = code("The plan was opposed by Russia.")
    assert [e["source"]["code"] for e in events] == ["RUS"]  # a real passive stays one


def test_what_an_attack_hits_gives_its_owner_as_target(code):
    events = code("A camp for Congolese refugees was attacked by Burundian militiamen.")
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("BDIUAF", "CODREF")]
    events = code("Vietnamese forces launched rocket fire against Kampuchean guerrilla camps.")
    assert [e["target"]["code"] for e in events] == ["KHMREB"]


def test_a_stance_adjective_is_a_comment_on_what_it_is_about(code):
    events = code("Russia is pessimistic about the talks with Japan.")
    assert [e["cameo"] for e in events] == ["012"]  # not talks held by Russia
    events = code("The Iranian minister remained optimistic about Russia.")
    assert [(e["cameo"], e["target"]["code"]) for e in events] == [("013", "RUS")]


def test_a_no_event_pattern_codes_nothing(code):
    # "fight corruption" is no use of force; the bare "fight" pattern must not apply
    assert code("Kenya will fight corruption in the police.") == []
    assert [e["cameo"] for e in code("The Kenyan army fought the rebels.")] == ["190"]


def test_an_act_under_consideration_is_not_done(code):
    events = code("Japan is considering sending aid to North Korea.")
    assert [(e["cameo"], e["target"]["code"]) for e in events] == [("014", "PRK")]


def test_joint_exercises_are_military_cooperation(code):
    events = code("The armies of Brazil and Argentina performed joint war games in October.")
    assert sorted((e["cameo"], e["source"]["code"]) for e in events) == [
        ("062", "ARGMIL"),
        ("062", "BRAMIL"),
    ]  # and no war from "war games"


def test_control_verb_makes_an_intent(code):
    events = code("Japan pledged to provide humanitarian aid to the Philippines.")
    assert events and all(e["modality"] == "intent" for e in events)
    assert any(e["root"] == "03" and e["target"]["code"] == "PHL" for e in events)


def test_negated_event_is_not_coded_as_the_event(code):
    assert not [e for e in code("India did not attack Pakistan.") if e["root"] in ("18", "19")]


def test_hypothetical_event_is_dropped(code):
    assert not code("If Iran attacks Israel, the United States could respond.")


def test_reported_event_keeps_the_reported_modality(code):
    events = code("Ukraine said Russian forces shelled the city of Kharkiv.")
    shelling = [e for e in events if e["root"] in ("18", "19", "20")]
    assert shelling and shelling[0]["source"]["code"].startswith("RUS")
    assert shelling[0]["modality"] == "reported"


def test_coordinated_targets_give_one_event_each(code):
    events = code("The European Union imposed sanctions on Belarus and Russia.")
    targets = {e["target"]["code"] for e in events if e["root"] == "16"}
    assert {"BLR", "RUS"} <= targets


def test_nominal_visit(code):
    events = code("Chinese President Xi Jinping's visit to Russia began on Monday.")
    assert ("CHNGOV", "RUS", "04") in dyads(events)


def test_sports_story_yields_nothing(code):
    text = (
        "Manchester City beat Arsenal 3-1 on Sunday to go top of the league, "
        "with two goals from their striker in the second half."
    )
    assert code(text) == []


def test_records_know_their_sentence(code):
    text = "Weather was fine. Russia has accused the United States of lying."
    e = code(text)[0]
    assert e["sentence_index"] == 1
    assert text[e["sentence_start"] : e["sentence_end"]] == e["sentence"]
    assert text[e["source"]["start"] : e["source"]["end"]] == e["source"]["text"]


# -- refusals, pledges, object control, own-code objects --------------------------------


def test_announced_refusal_takes_cameo_reject_code(code):
    events = code("The British government will not lift the ban on the rebel group.")
    assert [(e["cameo"], e["modality"]) for e in events] == [("1241", "asserted")]


def test_refusal_verb_codes_the_refused_meeting_with_its_target(code):
    events = code("Lebanon refused to meet the Syrian delegation on Monday.")
    assert [(e["cameo"], e["target"]["code"][:3]) for e in events] == [("125", "SYR")]


def test_plain_negated_fact_is_no_refusal(code):
    assert code("Germany did not release the prisoners on Monday.") == []
    assert code("If Iran does not release the sailors, Britain will respond.") == []


def test_advised_not_to_travel_is_no_event(code):
    # the citizens, not the state, would travel; nobody refused anything
    events = code("Australia has advised its citizens not to travel to Nepal.")
    assert not [e for e in events if e["root"] == "12"]


def test_agreeing_to_an_unlisted_act_is_an_intent_to_cooperate(code):
    events = code("The Government of India has agreed to set up a new port authority.")
    assert [(e["cameo"], e["rule"].split(":")[1]) for e in events] == [("030", "pledge")]


def test_agreeing_that_something_holds_stays_an_accord(code):
    events = code("The German chancellor agreed that the plan was sound, officials said.")
    assert "030" not in {e["cameo"] for e in events}


def test_object_control_gives_the_object_as_doer(code):
    events = code("Egypt persuaded Hamas to release the Israeli soldier.")
    released = [e for e in events if e["root"] == "08"]
    assert released and {e["source"]["code"][:3] for e in released} == {"PSE"}


def test_object_with_source_code_from_context_is_no_named_target(code):
    events = code("The Pakistan Army launched a military operation in the north.")
    # no mention is the target: the operation is aimed, implied, at Pakistan itself
    assert [(e["source"]["code"], e["target"]["how"], e["root"]) for e in events] == [
        ("PAKMIL", "implied", "19")
    ]


def test_rejecting_accusations_is_denying_responsibility(code):
    events = code("The Chinese government has rejected accusations of abuses in the region.")
    assert [e["cameo"] for e in events] == ["016"]


def test_a_target_deeper_in_the_object_phrase(code):
    # the ban is on flights to Egypt: Egypt is the target, not "the ban"
    events = code("Russia lifted a ban on flights to Egypt on Monday.")
    assert {(e["source"]["code"], (e["target"] or {}).get("code")) for e in events} == {
        ("RUS", "EGY")
    }
    events = code("The United States defended the right of Israeli troops to respond.")
    assert {(e["source"]["code"], (e["target"] or {}).get("code")) for e in events} == {
        ("USA", "ISRMIL")
    }


def test_force_or_a_visit_without_a_named_target_is_aimed_at_where_it_happens(code):
    events = code("The Kenyan government imposed a curfew in Mogadishu on Tuesday.")
    assert ("KENGOV", "SOM", "17") in dyads(events)
    events = code("Turkish President Recep Tayyip Erdogan arrived in Tehran on Monday.")
    assert ("TURGOV", "IRN", "04") in dyads(events)
    # a statement is not aimed at where it is made, nor a meeting at its host
    criticism = code("Russia criticized the plan in Geneva on Monday.")
    assert criticism and all(e["target"] is None for e in criticism)
    meeting = dyads(code("Russian and American diplomats met in Paris on Monday."))
    assert meeting and not any(target == "FRA" for _, target, _ in meeting)


# -- particles, coordination, control, relative clauses, announced events ---------------


def test_completing_particle_borrows_the_bare_verbs_pattern(code):
    events = code("Militiamen beat up two Kenyan journalists in Nairobi on Friday.")
    assert [(e["root"], e["target"]["code"][:3]) for e in events] == [("18", "KEN")]


def test_idiomatic_particle_never_borrows(pipeline):
    from dyad.events import clauses

    doc = pipeline.nlp("The talks broke down on Monday.")
    verb = next(t for t in doc if t.lemma_ == "break")
    assert clauses.particle(verb) == "down"
    assert not clauses.fallback_particle(verb, "down")


def test_coordinated_verb_shares_the_future(code):
    events = code("The Greek president will visit Cyprus and sign a trade accord.")
    assert len(events) == 2
    assert {e["modality"] for e in events} == {"future"}


def test_event_noun_takes_the_target_phrase_of_its_light_verb(code):
    events = code("Angry farmers staged a rally against the French government on Monday.")
    assert ("FRAAGR", "FRAGOV", "14") in dyads(events)


def test_target_of_the_threatened_act(code):
    assert dyads(code("Turkey threatened to attack Syria.")) == {("TUR", "SYR", "13")}


def test_what_is_sent_is_no_target_when_a_recipient_is_named(code):
    events = code("Cuba sent its troops to Venezuela.")
    assert {e["target"]["code"] for e in events} == {"VEN"}


def test_aim_of_a_backed_plan_is_no_event(code):
    events = code(
        "Japan will support a regional plan that aims to impose sanctions on North Korea."
    )
    assert [e["root"] for e in events] == ["03"]


def test_announced_event_noun_is_coded_not_the_announcement(code):
    events = code("Argentina announced a suspension of diplomatic ties with Chile.")
    assert dyads(events) == {("ARG", "CHL", "16")}


def test_an_act_done_to_protest_is_aimed_at_what_it_protests(code):
    events = code("Kenyan teachers began a hunger strike to protest the government's refusal.")
    assert ("KENEDU", "KENGOV", "14") in dyads(events)
    # with a target of its own, the purpose clause does not replace it
    events = code("Kenyan teachers attacked Ugandan police to protest the government's refusal.")
    assert ("KENEDU", "UGACOP", "19") in dyads(events)
    # what is opened to let deliveries reach a state is opened to it
    events = code("Tajikistan reopened the border to allow the delivery of wheat to Afghanistan.")
    assert ("0872", "AFG") in {(e["cameo"], e["target"]["code"]) for e in events}


def test_cancelling_restrictions_eases_them(code):
    events = code("Kenya's interior ministry cancelled the travel restrictions on Somalia.")
    assert {e["cameo"] for e in events} == {"081"}


def test_a_domestic_act_with_no_named_target_is_aimed_at_the_source_state(code):
    events = code("Sudan's government lifted the state of emergency on Sunday.")
    assert [(e["source"]["code"], e["target"]["code"], e["root"]) for e in events] == [
        ("SDNGOV", "SDN", "08")
    ]
    target = events[0]["target"]
    assert target["how"] == "implied" and target["text"] == "" and target["name"] == "Sudan"


def test_an_implied_target_is_the_state_where_the_act_happens(code):
    events = code("Hamas militants threatened to resume attacks in Israel.")
    assert {(e["target"]["code"], e["target"]["how"]) for e in events} == {("ISR", "implied")}


def test_only_force_threats_and_protest_are_aimed_at_where_they_happen(code):
    events = code("Venezuelan officials signed the agreement in Moscow.")
    assert {e["target"]["code"] for e in events} == {"VEN"}  # not Russia: the host
    events = code("Russian diplomats met in Paris.")
    assert [e["target"] for e in events] == [None]  # a meeting's counterpart is unknown


def test_a_state_acting_alone_has_no_implied_target(code):
    events = code("Turkey lifted the state of emergency on Sunday.")
    assert [(e["source"]["code"], e["target"]) for e in events] == [("TUR", None)]


def test_force_in_a_town_is_aimed_at_the_towns_state(code):
    # the actors stage knows no Jericho; the places stage does
    events = code("Israeli tanks fired four shells at targets in Jericho, witnesses said.")
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("ISRMIL", "PSE")]


def test_a_people_protests_against_its_own_state(code):
    events = code("Thousands of Nigerians rallied in Lagos on Thursday.")
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("NGA", "NGA")]
    events = code("Japan protested strongly on Tuesday.")  # a state, not a people
    assert [(e["source"]["code"], e["target"]) for e in events] == [("JPN", None)]


def test_a_threat_is_aimed_at_whoever_its_condition_names(code):
    events = code("Iran threatened to launch a new offensive unless Baghdad accepted its terms.")
    assert [(e["cameo"], e["target"]["code"]) for e in events] == [("130", "IRQ")]


def test_implied_targets_can_be_switched_off(pipeline):
    from dyad.events.coder import EventCoder

    kept = pipeline.coder
    pipeline.coder = EventCoder(implied_targets=False)
    try:
        events = [
            e.to_dict()
            for e in pipeline.code_text(
                "Sudan's government lifted the state of emergency.", "2019-02-26"
            )
        ]
    finally:
        pipeline.coder = kept
    assert [(e["source"]["code"], e["target"]) for e in events] == [("SDNGOV", None)]
    pipeline.coder = EventCoder(implied_targets=False)
    try:
        events = pipeline.code_text("Three Iranian diplomats were arrested in Berlin.", None)
    finally:
        pipeline.coder = kept
    assert events == []


def test_an_arrest_with_no_named_doer_is_the_act_of_the_state_it_is_done_in(code):
    events = code("Three Iranian diplomats were arrested in Berlin.")
    assert [(e["source"]["code"], e["source"]["how"], e["source"]["text"]) for e in events] == [
        ("DEU", "implied", "")
    ]
    assert [(e["cameo"], e["target"]["code"]) for e in events] == [("173", "IRNGOV")]
    # expelled from a state: by it; an attack is no state's act, and two states, no one's
    events = code("Two British journalists were expelled from Zimbabwe.")
    assert [(e["source"]["code"], e["cameo"], e["target"]["code"]) for e in events] == [
        ("ZWE", "174", "GBRMED")
    ]
    assert code("A British convoy was attacked in Iraq.") == []
    assert code("Protesters were arrested in Paris and London.") == []


def test_a_passive_subject_is_the_object_a_pattern_asks_for(code):
    # 'expel' codes by what is expelled: diplomats (166) are not migrants (174)
    events = code("Three Russian diplomats were expelled by Britain.")
    assert [(e["source"]["code"], e["cameo"], e["target"]["code"]) for e in events] == [
        ("GBR", "166", "RUSGOV")
    ]


def test_what_an_act_hits_stands_for_the_state_that_owns_it(code):
    assert dyads(code("Iran threatened to shell Iraqi towns.")) == {("IRN", "IRQ", "13")}
    events = code("The Israeli army lifted a blockade on Palestinian lorries.")
    assert dyads(events) == {("ISRMIL", "PSE", "08")}
    # what is given is no target: Russian wheat is not aimed at Russia
    events = code("Russia provided Russian wheat.")
    assert [e["target"] for e in events] == [None]


def test_an_act_noun_takes_its_source_from_from(code):
    events = code("Angola's president conceded to demands from the rebels to reform the army.")
    demands = [e for e in events if e["verb"]["text"] == "demands"]
    assert [e["source"]["code"] for e in demands] == ["AGOREB"]
    # the owner is not also the target, which would drop the event as "X to X"
    events = code("Angola's president conceded to demands from Angolan rebels.")
    demands = [e for e in events if e["verb"]["text"] == "demands"]
    assert [e["source"]["code"] for e in demands] == ["AGOREB"]


def test_the_main_act_is_more_confident_than_a_noun_below_it(code):
    events = code(
        "Kenyan police arrested 20 students on allegations of treason against the government."
    )
    best = max(events, key=lambda e: e["confidence"])
    assert (best["verb"]["text"], best["root"]) == ("arrested", "17")


def test_the_target_of_what_the_object_was_done_to(code):
    events = code("The US president lifted a travel ban imposed on Chadian citizens.")
    assert dyads(events) == {("USAGOV", "TCDCVL", "08")}


def test_a_warning_given_is_a_threat_and_an_ultimatum_its_own_code(code):
    events = code("Russia gave Ukraine a stern warning.")
    assert {(e["cameo"], e["target"]["code"]) for e in events} == {("130", "UKR")}
    events = code("Russia issued an ultimatum to Ukraine.")
    assert {e["cameo"] for e in events} == {"139"}


def test_whom_a_permission_lets_act_is_its_object(code):
    # the parse makes the candidate the subject of 'run'; the permission is still for him
    events = code("Kenya's electoral commission allowed opposition candidate Raila Odinga to run.")
    assert [(e["cameo"], e["target"]["code"]) for e in events] == [("0812", "KENOPP")]


def test_an_order_is_a_demand_of_whom_it_orders(code):
    events = code("A Brazilian judge ordered former president Fernando Collor to testify.")
    assert dyads(events) == {("BRAJUD", "BRAELI", "10")}


def test_a_judgement_is_aimed_at_whoever_does_the_act_judged(code):
    # not at Cyprus or Georgia, where the act happens, nor at the UN, told of it
    events = code("Greece condemned as illegal Turkey's occupation of northern Cyprus.")
    assert dyads(events) == {("GRC", "TUR", "11")}
    events = code("NATO demanded the withdrawal of Russian troops from Georgia.")
    assert [e["target"]["code"] for e in events] == ["RUSMIL"]
    events = code("Pakistan complained to the United Nations about Indian shelling in Kashmir.")
    assert [(e["cameo"], e["target"]["code"]) for e in events] == [("114", "IND")]
    # its own act is no target: the suspension keeps the partner it names
    events = code("Russia suspended its talks with Ukraine.")
    assert [e["target"]["code"] for e in events] == ["UKR"]


def test_an_act_in_answer_to_an_actor_is_aimed_at_it(code):
    events = code("Thousands of students marched in Belgrade in defiance of Serbian police.")
    assert [(e["root"], e["target"]["code"]) for e in events] == [("14", "SRBCOP")]


def test_refuge_is_asked_of_the_state_it_is_sought_in(code):
    events = code("Two Cuban dissidents requested political asylum in Sweden.")
    assert [(e["source"]["code"], e["cameo"], e["target"]["code"]) for e in events] == [
        ("CUBOPP", "0233", "SWE")
    ]


def test_what_is_fired_is_no_target_and_where_it_is_fired_at_is(code):
    events = code("Iran fired missiles at Israel.")
    assert [(e["target"]["code"], e["target"]["how"]) for e in events] == [("ISR", "place")]
    events = code("Iraqi troops fired Scud missiles at Saudi Arabia.")
    assert [e["target"]["text"] for e in events] == ["Saudi Arabia"]
    # what is released is still the target: only force keeps its own weapons from it
    events = code("Cuba released 50 prisoners.")
    assert [e["target"]["code"] for e in events] == ["CUBCRM"]
    events = code("North Korea fired two artillery shells at Seoul.")
    assert [e["target"]["code"] for e in events] == ["KOR"]
    # a town is no actor: the places stage gives its state, as an implied target
    events = code("Iran fired missiles at Tel Aviv.")
    assert [(e["target"]["code"], e["target"]["how"]) for e in events] == [("ISR", "implied")]


def test_what_is_not_a_states_act_or_not_done_there_gets_no_implied_source(code):
    # rebels capture soldiers too; a sentence for crimes in Bosnia is not Bosnia's
    assert code("Two Israeli soldiers were captured in Lebanon.") == []
    events = code("A Bosnian Serb general was sentenced for war crimes in Bosnia.")
    assert all(e["source"]["code"] != "BIH" for e in events)


def test_the_possessor_of_what_is_done_to_someone_is_no_target(code):
    events = code("India condemned Gandhi's assassination.")
    assert [e["target"] for e in events] == [None]
    events = code("Germany demanded its citizens' release from Iranian custody.")
    assert [e["target"]["code"] for e in events] == ["IRN"]


def test_an_order_for_goods_or_to_ones_own_forces_is_no_demand(code):
    events = code("Turkey ordered 100 fighter jets from the United States.")
    assert all(e["root"] != "10" for e in events)
    assert code("Poland ordered 48 fighter jets to modernise its air force.") == []
    # an order down the chain of command: the ordered attack is the event
    events = code("Yeltsin ordered Russian troops to attack Grozny.")
    assert [(e["source"]["code"], e["root"]) for e in events] == [("RUSMIL", "19")]
    # an order that something be done to someone asks nothing of him
    assert code("A British judge ordered Pinochet to be extradited to Spain.") == []


def test_force_aims_only_at_what_it_retaliates_for(code):
    events = code(
        "North Korea fired missiles into the sea in defiance of United Nations sanctions."
    )
    assert [(e["cameo"], e["target"]) for e in events if e["root"] == "19"] == [("194", None)]
    events = code("Iran test-fired a missile in response to US sanctions.")
    assert [e["target"] for e in events] == [None]
    # where force strikes comes first: the retaliation only names whom it answers
    events = code(
        "Israeli warplanes struck targets in Lebanon in retaliation for a Palestinian bombing."
    )
    assert ("ISRMIL", "LBN", "19") in dyads(events)


def test_helping_an_ally_act_does_not_aim_the_act_at_the_ally(code):
    events = code("The United States launched air strikes to enable Iraqi forces to retake Mosul.")
    assert [e["target"] for e in events if e["source"]["code"] == "USA"] == [None]


def test_a_passive_act_is_aimed_at_the_recipient_of_what_is_done(code):
    events = code("Troops were sent to Kosovo by Germany.")
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("DEU", "XKX")]
    events = code("The embargo on Cuba was lifted by the United States.")
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("USA", "CUB")]
    # but people deported are the target, not where they are sent
    events = code("Four hundred Palestinian activists were deported to Lebanon by Israel.")
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("ISR", "PSEOPP")]


def test_the_noun_a_participle_hangs_on_is_what_was_done_to_it(code):
    # headline passives without their auxiliary: the victims did nothing
    events = code("Palestinian militants killed in an Israeli air strike were buried in Gaza.")
    assert all(e["source"]["code"] != "PSEREB" for e in events)
    assert code("Three French aid workers killed in Somalia") == []

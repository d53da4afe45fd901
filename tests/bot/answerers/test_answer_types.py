"""What a question asks for, in English and Spanish, and which sentences hold it (our own sentences)."""

from __future__ import annotations

import pytest

from bot.answerers.answer_types import (
    answering_sentences,
    asked_for,
    focus_share,
    holds_instance,
    locates,
    names_an_instance,
    question_kind,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many people died in the Puerto Brisa flood?", "count"),
        ("¿Cuántos heridos seguían hospitalizados?", "count"),
        ("Who was the victim whose death raised the toll?", "person"),
        ("¿Cómo se llama el sospechoso detenido?", "person"),
        ("Which Texas city was the suspect from?", "place"),
        ("¿De qué empresa era el ducto?", "organisation"),
        ("When did the bridge reopen?", "date"),
        ("¿A cuánto estimó el gobierno los daños?", "amount"),
        ("How much did the new bridge cost?", "amount"),
        ("How much did the investment group pay for the fashion label?", "amount"),  # a money verb
        ("¿Cuánto pagó el grupo por la marca?", "amount"),
        ("¿Qué cantidad donó el empresario a la campaña?", "amount"),
        ("How much did the billionaire donate to the museum?", "amount"),
        ("How much did the rival bidder offer for the hotel?", "amount"),
        ("What price did the search firm pay for the news site?", "amount"),  # a price paid
        ("¿Qué precio ofreció la cadena por el hotel?", "amount"),
        ("What was the price of a barrel of oil?", "other"),  # a price, paid by no one
        ("How much time did the court give the company?", "count"),  # no money verb
        ("How much did prices rise?", "count"),
        ("Why did the workers strike?", "reason"),
        ("¿Qué motivos llevaron a la empresa a anunciar su cierre?", "reason"),
        ("What prompted the company to close its plant?", "reason"),
        ("¿Cuáles fueron las causas del incendio?", "reason"),
        ("¿Qué dijo la alcaldesa sobre el puente?", "quote"),
        ("What happened at the port?", "other"),
        ("In which year did the designer found her fashion house?", "date"),
        ("Which Norvale Bank chief executive took early retirement?", "person"),
        ("¿Qué dirigente sindical convocó la huelga?", "person"),
        ("Which actor presented the award to the director?", "person"),
        ("¿De qué equipo de béisbol es dueño el empresario?", "organisation"),
        ("¿En qué puerto atracó el barco de rescate?", "place"),
        ("What is the name of the stadium the final was played in?", "place"),  # the named thing: a stadium
        ("What was the name of the app through which the data was taken?", "organisation"),
        ("¿Cuál es el nombre verdadero del narcotraficante detenido?", "person"),
        ("¿Cómo se llaman las hijas del cantante?", "person"),
        # a leading clause sets the scene; its 'when' is not what is asked
        ("When the tribunal cleared the two runners, how long a ban did it give their coach?", "penalty"),
        ("Después de que dos países le negaran la entrada, ¿en qué puerto atracó el barco?", "place"),
        ("When the storm hit, where did the villagers shelter?", "place"),
        # a 'when' inside the question is not what it asks; an interrogative 'cuándo' is
        ("How did the chief executive describe the new phone when he presented it?", "quote"),
        ("Who was mayor when the fire broke out?", "person"),
        ("The ship was turned away; when did it dock?", "date"),
        ("¿Sabes cuándo reabrió el puente?", "date"),
        ("¿Cómo calificó el alcalde la orden de arresto?", "quote"),
        # role nouns with their prefixes, and kind nouns readers use
        ("¿Qué expresidenta impuso la moratoria?", "person"),
        ("¿Qué vicepresidente quedó fuera de la delegación?", "person"),
        ("¿Qué hermano del candidato hacía campaña por él?", "person"),
        ("Which billionaire owned a stake in the consultancy?", "person"),
        ("¿Qué fabricante dejó de respaldar a la empresa?", "organisation"),
        ("Which anti-virus software company did the group buy?", "organisation"),
        ("¿En qué localidad compraron la casa?", "place"),
        ("What height did the pole vaulter clear?", "count"),
        ("¿Qué porcentaje de las ganancias le reconoció el juez?", "count"),
        ("By what vote did the appeals court reject the claim?", "count"),
        ("What figure did the ministry give?", "other"),  # not a person: a figure is a number
        ("What did Newcastle University win in 2000?", "other"),  # a name's 'University' is not asked for
    ],
)
def test_question_kinds(question, kind):
    assert question_kind(question) == kind


def test_a_count_is_tied_to_its_quantity_and_a_sub_count_is_not_the_total():
    asked = asked_for("How many people were arrested after the riot in Valle Hondo?")
    assert asked.quantity is not None and asked.quantity.event == "arrested"
    assert holds_instance("Police detained 14 people on Sunday.", "en", asked)
    assert holds_instance("La policía informó de 14 detenidos.", "es", asked)  # the answer in the other language
    assert not holds_instance("At least 14 people were injured in the riot.", "en", asked)
    nationals = asked_for("How many Chilean citizens were killed?")
    assert holds_instance("El choque dejó 3 chilenos muertos y 9 heridos.", "es", nationals)
    assert not holds_instance("The crash killed 12 people.", "en", nationals)


def test_a_person_is_named_or_described_not_an_award_an_institution_or_a_pronoun():
    asked = asked_for("Which actor presented the award to the director of Lantern?")
    assert holds_instance("She received it from actor Tomas Verhoef on stage.", "en", asked)
    assert holds_instance("Two police officers escorted the winners.", "en", asked)  # who, though not named
    assert not holds_instance("The film also won the Baltic Short Film Prize.", "en", asked)
    assert not names_an_instance("The film also won the Baltic Short Film Prize.", "en", asked)  # no lede's name
    assert not holds_instance("Four of the nominees at this year's Oscars were Irish.", "en", asked)
    assert not holds_instance("El filme ganó también el Premio del Festival de Almería.", "es", asked)
    assert not holds_instance("He said it was the best night of his career.", "en", asked)  # says who, not whom


def test_a_dateline_a_title_before_a_known_name_and_a_masked_figure_name_no_one_new():
    port = asked_for("At which port did the rescue ship Estrella finally dock?")
    assert not holds_instance("SAN JUAN DEL SUR.- The ship had been refused entry.", "en", port)
    assert not holds_instance("NEW DELHI — The ship had been refused entry for a week.", "en", port)
    assert holds_instance("The ship docked in Setúbal on Monday.", "en", port)
    assert holds_instance("The UN - and the Red Cross - said the ship docked in Setúbal.", "en", port)  # no dateline
    buyer = asked_for("Which company bought Ana Ruiz's factory?")
    assert not holds_instance("Prime Minister Ana Ruiz sold the factory on Monday.", "en", buyer)
    assert holds_instance("Prime Minister Ana Ruiz sold the factory to Norte Dairies.", "en", buyer)
    assert not holds_instance("La fábrica se vendió por *NUMBER* millones de pesos.", "es", buyer)


def test_focus_matches_stems_cognates_news_words_and_irregular_verbs():
    asked = asked_for("Who won the regional cycling title?")
    assert focus_share("Marta Ruiz took the title after winning the last stage.", "en", asked) >= 1 / 3
    assert focus_share("La ciclista Marta Ruiz ganó el título regional.", "es", asked) > 0  # regional
    assert holds_instance("Marta Ruiz took the title.", "en", asked)
    assert not holds_instance("the race was cancelled because of rain.", "en", asked)


def test_a_name_that_narrows_the_question_must_stand_in_the_sentence_with_the_number(make_passage):
    story = [
        make_passage(
            "Storm Ivo killed 31 people on the islands of Puerto Brisa. Ivo later reached Florida.", "en", "a"
        ),
        make_passage("Storm Ivo left 31 dead in Puerto Brisa, officials said.", doc_id="b"),
        make_passage("Relief flights to Puerto Brisa resumed as Storm Ivo weakened.", doc_id="c"),
    ]
    florida = asked_for("How many people died in Florida because of Storm Ivo?")
    assert answering_sentences(florida, "en", story, len(story), 0.5, 0.5) == []
    islands = asked_for("How many people died because of Storm Ivo?")
    assert answering_sentences(islands, "en", story, len(story), 0.5, 0.5)


def test_a_source_and_a_nationality_do_not_narrow_the_question():
    asked = asked_for("According to minister Rosa Vidal, how many Chilean citizens were killed in the crash?")
    assert "rosa vidal" in asked.sources and "rosa vidal" not in asked.story_names
    assert "chilean" not in asked.story_names


def test_a_part_of_the_questions_own_name_or_a_weekday_is_not_the_place_asked_for():
    asked = asked_for("Which Ohio town was the Lakeview Mall fire suspect from?")
    assert not holds_instance("a fire on Sunday’s market day in Ohio destroyed forty shops.", "en", asked)
    assert not holds_instance("the fire at the mall in Lakeview destroyed forty shops.", "en", asked)
    assert holds_instance("The suspect grew up in Harwood, a town near the lake.", "en", asked)


@pytest.mark.parametrize(
    ("question", "sentence", "located"),
    [
        ("Which Ohio town was the Lakeview Mall fire suspect from?", "He is from Harwood, Ohio, police said.", True),
        ("Which Ohio town was the Lakeview Mall fire suspect from?", "He drove in from the Toledo area.", False),
        ("Which Ohio town was the Lakeview Mall fire suspect from?", "The mall in Lakeview, Ohio, burned.", False),
        ("¿De qué municipio de Hidalgo era el ducto?", "El ducto cruzaba Tepetitlán (Hidalgo) desde 1990.", True),
        ("Where was the suspect from?", "He is from Harwood, Ohio, police said.", False),  # no containing place
    ],
)
def test_a_town_is_located_inside_the_place_the_question_names(question, sentence, located):
    assert locates(sentence, asked_for(question)) is located


def test_which_two_asks_for_two_names_and_a_label_with_its_number_is_not_one():
    asked = asked_for("Which two towns were hardest hit by Storm Ivo?")
    assert asked.kind == "place" and asked.instances == 2
    assert not holds_instance("the storm hit Puerto Brisa hardest.", "en", asked)
    assert holds_instance("the storm hit Puerto Brisa and Cala Honda hardest.", "en", asked)
    one = asked_for("Which town was hardest hit by Storm Ivo?")
    assert one.instances == 1
    assert not holds_instance("the storm reached the coast as a Category 4 hurricane.", "en", one)
    assert asked_for("¿Qué dos pueblos sufrieron más daños?").instances == 2


def test_a_when_question_asks_about_its_event_not_when_a_report_spoke():
    asked = asked_for("When did the flood at the Brenton dam take place?")
    assert asked.kind == "date" and asked.focus == {"flood", "dam"}  # 'take place' only says it happened
    assert asked_for("¿Cuándo tuvo lugar la inundación en la presa de Brenton?").focus == {"inundacion", "presa"}
    assert not holds_instance("The flood killed nine people, county officials said Thursday.", "en", asked)
    assert not holds_instance("La inundación dejó nueve muertos, informó este jueves el condado.", "es", asked)
    assert not holds_instance("Officials said late Thursday night that the dam held.", "en", asked)
    assert holds_instance("The dam gave way on Tuesday, flooding the valley.", "en", asked)
    assert holds_instance("Officials said the dam gave way in March 2011.", "en", asked)


@pytest.mark.parametrize(
    "question",
    [
        "What sentence did the driver receive for the crash?",
        "How long was the driver sentenced to prison for?",
        "¿Qué condena recibió el conductor?",
        "¿A cuántos años de prisión fue condenado el conductor?",  # a penalty before a count
        "¿A cuántos años de cárcel fue condenado finalmente el conductor?",
        "How many years in prison was the driver sentenced to?",
        "What prison sentence did the driver finally receive?",
        "What fine did the transport regulator impose on the bus company?",  # a sanction, like a court's
        "¿Qué sanción le impuso el Congreso al gobernador?",
        "¿Cuánto tiempo de suspensión recibió el entrenador?",
    ],
)
def test_a_question_about_a_court_sentence_asks_for_one(question):
    assert asked_for(question).kind == "penalty"


def test_a_referees_penalty_is_not_a_court_sentence():
    assert asked_for("What penalty did the referee give in the final?").kind != "penalty"
    assert asked_for("What penalty did the judge impose on the driver?").kind == "penalty"


def test_a_sentence_handed_down_answers_and_one_sought_or_pending_does_not():
    asked = asked_for("What sentence did the driver receive for the crash?")
    assert holds_instance("The driver was sentenced to 12 years in prison on Monday.", "en", asked)
    assert holds_instance("The judge handed down a life sentence.", "en", asked)
    assert holds_instance("El conductor fue condenado a 12 años de prisión.", "es", asked)
    assert holds_instance("El juez le impuso una pena de 12 años.", "es", asked)
    assert not holds_instance("Prosecutors said they will seek the death penalty.", "en", asked)
    assert not holds_instance("The driver has not yet been sentenced.", "en", asked)
    assert not holds_instance("He is awaiting sentencing in the county jail.", "en", asked)
    assert not holds_instance("El conductor aún no ha sido condenado.", "es", asked)
    assert not holds_instance("He could be sentenced to 25 years if convicted.", "en", asked)  # what may come
    fine = asked_for("What fine did the transport regulator impose on the bus company?")
    assert holds_instance("The regulator fined the bus company $2m on Monday.", "en", fine)
    assert holds_instance("La empresa fue multada por el regulador.", "es", fine)
    assert not holds_instance("The bus company could be fined up to $5m.", "en", fine)


@pytest.mark.parametrize(
    "question",
    [
        "What did the appeals court rule on the driver's case?",
        "What did the Court of Arbitration for Sport finally decide about the two runners?",
        "What was the verdict in the driver's trial?",
        "¿Qué decidió la justicia sobre la demanda del conductor?",
        "¿Cuál fue el fallo del tribunal?",
        "What did the disciplinary committee decide about the striker's red card?",  # a body that judges a case
        "What was the outcome of the cyclist's appeal against her ban?",
        "¿Qué resolvió finalmente la Comisión Disciplinaria sobre la queja del club?",
    ],
)
def test_a_question_about_a_court_ruling_asks_for_one(question):
    assert asked_for(question).kind == "ruling"


def test_a_government_decision_is_a_policy_not_a_ruling():
    assert asked_for("What did the government decide to do about the price of bread?").kind != "ruling"


@pytest.mark.parametrize(
    ("sentence", "language", "ruled"),
    [
        ("The appeals court rejected the driver's appeal on Thursday.", "en", True),
        ("A jury found the driver not guilty.", "en", True),
        ("El tribunal absolvió al conductor.", "es", True),
        ("The appeals court will rule on the case in June.", "en", False),
        ("The court is expected to rule next week.", "en", False),
        ("El juez podría resolver el caso la próxima semana.", "es", False),
    ],
)
def test_a_ruling_given_answers_and_one_awaited_does_not(sentence, language, ruled):
    asked = asked_for("What did the appeals court rule on the driver's case?")
    assert holds_instance(sentence, language, asked) == ruled


def test_what_a_judge_said_is_a_quote_not_a_ruling():
    assert asked_for("What did the judge say about the case?").kind == "quote"


def test_the_questions_own_name_is_no_answer_even_as_a_possessive():
    asked = asked_for("At Carla Ruiz' fraud trial, who was the first witness for the defence?")
    assert not holds_instance("Lawyers for Carla Ruiz called a former accountant as their first witness.", "en", asked)
    assert holds_instance("Ms Ruiz's lawyers called Tomás Vidal, the firm's former accountant.", "en", asked)


def test_a_nationality_before_a_noun_is_no_name():
    asked = asked_for("Which company won the auction of the copper mine?")
    assert not holds_instance("A little-known Chilean company won the auction of the copper mine.", "en", asked)
    assert not holds_instance("The Norwegian firm bought the mine on Monday.", "en", asked)
    assert holds_instance("Andes Metals Group won the auction of the copper mine.", "en", asked)
    assert holds_instance("The Guardian reported that Andes Metals won.", "en", asked)  # an outlet, not a nationality


def test_a_long_question_is_tied_by_a_few_of_its_words_and_its_sum_by_what_it_is_for(make_passage):
    question = "How much in damages is the sprinter Lena Ortiz seeking in her defamation lawsuit against her coach?"
    asked = asked_for(question)
    assert {"her", "against"}.isdisjoint(asked.focus) and "damages" in asked.focus
    story = [make_passage("The champion says the coach damaged her reputation and she is seeking $12m in the suit.")]
    assert answering_sentences(asked, "en", story, 1, 0.5, 0.5)  # two of its words are enough
    cost = asked_for("Roughly how much did the Marlow bridge cost to build?")
    assert "cost" in cost.focus and "roughly" not in cost.focus
    bridge = [make_passage("The Marlow bridge cost an estimated US$3.6 billion.")]
    assert answering_sentences(cost, "en", bridge, 1, 0.5, 0.5)


def test_only_a_place_must_stand_in_the_sentence_with_the_number():
    assert asked_for("How many people died in Puerto Brisa?").places == {"puerto brisa"}
    assert not asked_for("How much is Lena Ortiz seeking from Pavel Ruiz?").places  # 'she' may be Lena Ortiz


def test_a_reason_is_held_by_a_causal_verb_too():
    asked = asked_for("¿Qué motivos llevaron a la consultora a anunciar su cierre?")
    assert holds_instance(
        "La pérdida de clientes y los costes judiciales llevaron a la consultora a cerrar.", "es", asked
    )
    assert holds_instance("Falling sales forced the firm to close its doors.", "en", asked)
    assert not holds_instance("Cierra la consultora, clave en el escándalo de los datos.", "es", asked)


@pytest.mark.parametrize(
    ("question", "unit", "answering", "not_answering"),
    [
        (
            "On what date was the pilot suspended?",
            "day",
            "She was suspended on 25 September.",
            "She left in September.",
        ),
        (
            "¿En qué fecha fue suspendida la piloto?",
            "day",
            "Fue suspendida el 25 de septiembre.",
            "Se fue en septiembre.",
        ),
        ("In which year did the designer found the label?", "year", "He founded the label in 1987.", "He left in May."),
        ("When was the pilot suspended?", None, "She was suspended in September.", "She was suspended."),
    ],
)
def test_a_date_question_is_answered_in_the_unit_it_asks_for(question, unit, answering, not_answering):
    asked = asked_for(question)
    assert asked.kind == "date" and asked.date_unit == unit
    language = "es" if question.startswith("¿") else "en"
    assert holds_instance(answering, language, asked)
    assert not holds_instance(not_answering, language, asked)


def test_a_country_is_no_persons_or_companys_name_and_answers_which_country():
    who = asked_for("Which actor handed Maya Brennan her documentary prize?")
    assert not holds_instance("The UK's Maya Brennan took the documentary prize on Sunday.", "en", who)
    assert holds_instance("She was given the prize by actor Tomas Reyes.", "en", who)
    company = asked_for("¿A qué grupo contratista se le compró la mansión?")
    assert not names_an_instance("El presidente de México pidió disculpas por la compra.", "es", company)
    team = asked_for("Which team did Slovakia beat in the final?")
    assert holds_instance("Slovakia won by beating Argentina 3-0 in the final.", "en", team)
    country = asked_for("Which country did Slovakia face in the final?")
    assert holds_instance("Slovakia won by beating Argentina 3-0 in the final.", "en", country)
    assert not holds_instance("Slovakia won the final in front of Mayor Lisa Scaffidi.", "en", country)
    assert asked_for("What European nation won the cup?").countries_answer is True
    assert asked_for("In which city of the country was he born?").countries_answer is None  # a city is asked


def test_a_capitalised_word_opening_a_sentence_before_the_questions_name_is_no_new_name():
    asked = asked_for("Who did Sania Mirza beat in the Hyderabad final?")
    assert not names_an_instance("Teenager Sania Mirza won her first title in Hyderabad.", "en", asked)
    assert names_an_instance("Mirza beat Alyona Bondarenko in three sets.", "en", asked)


def test_a_sentence_in_another_language_holds_the_focus_by_its_translated_words():
    asked = asked_for("¿De qué equipo es propietario el magnate Rowan Hale?")
    sentence = "Mr Hale, who is the owner of the Harbour Hawks, has two sons."
    assert focus_share(sentence, "en", asked) == 0
    assert focus_share(sentence, "en", asked, {"propietario": ["owner", "owners"]}) > 0


def test_a_decimal_is_a_count_and_a_ban_with_its_length_is_a_sanction_handed_down():
    height = asked_for("What height did the pole vaulter clear to set the record?")
    assert holds_instance("She broke the record by clearing 4.89 metres.", "en", height)
    ban = asked_for("How long is the doping ban handed to the sprinter?")
    assert ban.kind == "penalty"
    assert holds_instance("The sprinter has received an eight-year ban for doping offences.", "en", ban)
    assert holds_instance("She has appealed against her eight-year doping ban.", "en", ban)
    assert not holds_instance("The sprinter could receive a ban of up to eight years.", "en", ban)


def test_a_sentence_obtained_or_stated_with_its_length_is_handed_down_and_one_sought_is_not():
    asked = asked_for("¿A cuántos años de cárcel fue sentenciada la madre por la muerte de su hijo?")
    assert asked.kind == "penalty" and not {"anos", "carcel"} & asked.focus  # what is asked for, not its focus
    assert holds_instance("La Fiscalía obtuvo una condena de 55 años de prisión para la madre.", "es", asked)
    assert not holds_instance("La Fiscalía pide una condena de 55 años de prisión para la madre.", "es", asked)
    english = asked_for("What sentence did the driver receive?")
    assert holds_instance("The driver was given a 12-year prison sentence.", "en", english)
    assert not holds_instance("The driver faces a 12-year prison sentence.", "en", english)


def test_a_share_is_no_count_of_a_news_quantity():
    assert asked_for("How many people died in the flood?").quantity is not None
    share = asked_for("What percentage of the people died in the flood?")
    assert share.kind == "count" and share.quantity is None  # '12%' answers; no death toll must be reported

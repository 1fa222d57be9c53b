"""The reference model: its truth is hand-computable, its numpy tree walk is scikit-learn's prediction,
the shipped file is what the training script makes from DUC 2003, and it prefers what a story's leads
say."""

import numpy as np
import pytest

from _paths import SHARED_DATA
from storydesk.brief.summarize import reference
from storydesk.model import Article

DUC2003 = SHARED_DATA / "mds" / "duc2003.jsonl"


def test_reference_counts_are_shares_of_a_summary_per_occurrence():
    table = reference.reference_counts(["The cat sat on the mat.", "A dog sat."])
    # summary 1 has 6 tokens ("the" twice), summary 2 has 3; each value is a mean over the two
    assert table["the"][:3] == pytest.approx([100 / 6 / 2, 100 / 6 / 2, 0.0])
    assert table["sat"][:2] == pytest.approx([(100 / 6 + 100 / 3) / 2, 0.0])
    assert table["dog"][0] == pytest.approx(100 / 3 / 2)
    # what a summary matching the first one exactly earns against it: its whole recall, 100
    first = reference.reference_counts(["The cat sat on the mat."])
    assert sum(float(v.sum()) for v in first.values()) == pytest.approx(100.0)


def test_the_numpy_walk_predicts_what_scikit_learn_predicts():
    from sklearn.ensemble import HistGradientBoostingRegressor

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(reference.FEATURES)))
    x[:, 0] = rng.integers(0, 8, 400)  # a discrete column, like k
    y = np.sin(x[:, 1]) + x[:, 0] * x[:, 2] + rng.normal(0, 0.1, 400)
    fitted = HistGradientBoostingRegressor(max_iter=40, early_stopping=False, random_state=0).fit(x, y)
    model = reference._from_sklearn(fitted, {"the": 0.5})
    fresh = rng.normal(scale=2.0, size=(300, x.shape[1]))
    assert np.allclose(model.predict(fresh), fitted.predict(fresh), atol=1e-9)
    assert np.allclose(model.predict(x), fitted.predict(x), atol=1e-9)


def test_a_model_survives_saving_and_reading(tmp_path):
    model = reference.load_model()
    model.save(tmp_path / "m.npz")
    again = reference.ReferenceModel.read(tmp_path / "m.npz")
    x = np.random.default_rng(1).uniform(0, 1, size=(50, len(reference.FEATURES)))
    assert np.array_equal(again.predict(x), model.predict(x))
    assert again.prior == model.prior


STORY = [
    Article(
        id=f"a{i}",
        title="",
        text=(
            f"Floods along the Yangtze River forced {n} people from their homes on Monday. "
            "Officials said the water was still rising. "
            + " ".join(["The city council also debated a new parking ordinance for the old market."] * 16)
            + f" A local bakery reported record sales of {tail} pastries."
        ),
    )
    for i, (n, tail) in enumerate([("2,000", "almond"), ("3,000", "cherry"), ("1,500", "walnut")])
]


def test_the_shipped_model_expects_what_the_leads_say():
    table = reference.expected_counts(STORY)
    assert set(table) >= {"flood", "yangtz", "river", "bakeri", "almond", "the"}
    for values in table.values():
        assert len(values) == reference.K_MAX
        assert np.all(values >= 0) and np.all(np.diff(values) <= 1e-12)  # falls with the occurrence
    # every article's lead says it vs one article's last sentence says it
    assert table["flood"][0] > table["almond"][0]
    assert table["yangtz"][0] > table["bakeri"][0]
    # "the" is expected more than once
    assert table["the"][1] > 0


def test_the_shipped_model_is_what_the_script_trains_from_duc_2003():
    from storydesk.eval.datasets import read_mds

    clusters = read_mds(DUC2003)
    retrained = reference.fit([(c.articles, c.summaries) for c in clusters])
    shipped = reference.load_model()
    assert retrained.prior == pytest.approx(shipped.prior)
    keys, x = reference.features(clusters[7].articles, shipped.prior)
    assert len(keys) > 500
    assert np.allclose(retrained.predict(x), shipped.predict(x), atol=1e-9)

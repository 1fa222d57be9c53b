"""The third to fifth rounds of ROUGE-1 experiments on DUC 2003 (issue 3), kept so their figures can be re-run.

None of these beat the shipped summarizer; the README lists their numbers. Each experiment replaces one
step of the summarizer (a field of :class:`storydesk.brief.summarize.SummarySteps`) for a run and is
scored like ``bench/summary_tuning.py`` (first 100 words, citations skipped), with the paired
difference in R1 recall to the unchanged summarizer and R1/R2 per DUC 2003 task:

    .venv/bin/python bench/r1_experiments.py compress        # deleting low-content clauses
    .venv/bin/python bench/r1_experiments.py sentence-score  # learned sentence score as a bonus
    .venv/bin/python bench/r1_experiments.py concept-model   # learned concept weights (Li et al. 2013)
    .venv/bin/python bench/r1_experiments.py dpp             # DPP-style greedy selection
    .venv/bin/python bench/r1_experiments.py learned-dpp     # DPP with a quality model learned on oracle summaries
    .venv/bin/python bench/r1_experiments.py centroid        # other centroids for the centrality bonus
    .venv/bin/python bench/r1_experiments.py paraphrase      # MiniLM paraphrases exclude each other
    .venv/bin/python bench/r1_experiments.py spread          # at most one sentence per article
    .venv/bin/python bench/r1_experiments.py consensus       # MBR choice among neighbouring settings' summaries
    .venv/bin/python bench/r1_experiments.py pool            # oracle choice among 24 settings' summaries
    .venv/bin/python bench/r1_experiments.py oracle          # greedy oracle over candidates / all sentences
    .venv/bin/python bench/r1_experiments.py expected        # the reference model (shipped), out of fold
    .venv/bin/python bench/r1_experiments.py expected-product  # ... under the product's five sentences

Learned parts are scored out of fold (5 folds over clusters): a cluster is never summarized by a model
that saw its human summaries. Tune on DUC 2003 only; DUC 2004 is the test set.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import summary_tuning as T

from storydesk.analyse import analyse_article
from storydesk.brief.summarize import SummaryOptions, SummarySteps
from storydesk.brief.summarize import rules as R
from storydesk.brief.summarize.candidates import Candidate, find_candidates, strip_dateline
from storydesk.brief.summarize.concepts import concept_weights, position_factor, sentence_concepts
from storydesk.brief.summarize.coverage import build_coverage
from storydesk.model import Sentence
from storydesk.text import concept_terms, rouge_tokens

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mds" / "duc2003.jsonl"


#: the shipped steps, of which each experiment replaces one
SHIPPED = SummarySteps()
#: the default options (the experiments' features read them; each run's own come from ``summary_tuning``)
OPTIONS = SummaryOptions()


class Runner:
    """Scores variants against the unchanged summarizer, one row each."""

    #: every run is of the summarizer without its reference model (the base of rounds 1-5; the shipped
    #: model was trained on all of DUC 2003 and would flatter itself here); ``expected`` trains it out of fold
    DEFAULTS: dict[str, Any] = {"EXPECTED_R1_WEIGHT": 0.0}

    def __init__(self, data: Path) -> None:
        self.clusters, self.embedder = T.load(data)
        self.sets = [c.set for c in self.clusters]
        self._summaries: dict[str, list[str]] = {}
        row, self.base = T.run_variant(self.clusters, self.embedder, dict(self.DEFAULTS), False)
        self._print("base (no reference model)", row, None)

    def score(self, name: str, values: dict[str, Any] | None = None, steps: SummarySteps = SHIPPED) -> None:
        """A row for the summarizer under the settings ``values`` with the steps ``steps``."""
        row, scores = T.run_variant(
            self.clusters, self.embedder, {**self.DEFAULTS, **(values or {})}, False, steps
        )
        self._print(name, row, scores)

    def _print(self, name: str, row: dict, scores: Any) -> None:
        """A row; ``scores`` None for the unchanged summarizer itself."""
        extra = (
            T.compare(self.base, None, self.sets)
            if scores is None
            else T.compare(scores, self.base, self.sets)
        )
        print(f"{name:<44} R1={row['R1']} R2={row['R2']}{extra}", flush=True)

    def summaries(self, spec: str) -> list[str]:
        """Each cluster's summary under the settings ``spec`` (``summary_tuning`` syntax), made once per run."""
        if spec not in self._summaries:
            values = {**self.DEFAULTS, **T.parse_variant(spec)}
            self._summaries[spec] = T.summaries(self.clusters, self.embedder, values, False)
        return self._summaries[spec]

    def candidates(self) -> Iterator[tuple[int, Any, list[Candidate]]]:
        """Per cluster: its index, the cluster, and its candidates under the word budget (pruned)."""
        for ci, c in enumerate(self.clusters):
            yield ci, c, find_candidates([analyse_article(a) for a in c.articles], OPTIONS, prune=True)


def _folds(n: int, k: int = 5) -> list[np.ndarray]:
    from sklearn.model_selection import GroupKFold

    groups = np.arange(n)
    return [test for _, test in GroupKFold(k).split(groups, groups, groups)]


def _with_candidate(c: Candidate, text: str) -> Candidate:
    s = c.sentence
    stems, content, bigrams = concept_terms(text)
    return Candidate(
        Sentence(s.article_id, s.index, text, s.start, s.end, s.paragraph),
        c.position,
        len(text.split()),
        stems,
        content,
        bigrams,
    )


# --- compression: deleting low-content clauses --------------------------------------------------------

_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
DELETIONS = {
    "parentheses": re.compile(r"\s*\([^()]{0,80}\)"),
    "ages": re.compile(r",\s*\d{1,3},"),
    "relative-clauses": re.compile(
        r",\s+(?:who|which|whose)\s[^,;:\"“”]{3,80},|,\s+(?:who|which|whose)\s[^,;:\"“”]{3,120}(?=\.$)"
    ),
    "weekdays": re.compile(
        rf"\s+(?:on|late|early)\s+(?:{_DAYS})(?:\s+(?:night|morning|afternoon|evening))?\b|\s+(?:{_DAYS})\b(?=[ ,.])"
    ),
    "leading-adverbials": re.compile(
        r"^(?:However|Meanwhile|Also|In addition|Still|Earlier|Today|Yesterday|On \w+|In \w+(?: \w+)?|"
        r"Last \w+|This \w+),\s+"
    ),
    "according-to": re.compile(r",?\s+according to [^,.;]{3,60}(?=[,.])"),
}


def compress(run: Runner) -> None:
    """Each rule deletes a kind of clause; "replace" uses only the shortened sentence, "add" offers both
    (the two state the same thing, so at most one is chosen)."""
    original = SHIPPED.candidates

    def variant(rules: list[str], add: bool) -> Callable[..., list[Candidate]]:
        def candidates(*a: Any, **k: Any) -> list[Candidate]:
            out: list[Candidate] = []
            for c in original(*a, **k):
                text = c.sentence.text
                for r in rules:
                    text = DELETIONS[r].sub("", text)
                text = re.sub(r"\s{2,}", " ", text).strip()
                text = text[:1].upper() + text[1:]
                changed = k.get("prune") and text != c.sentence.text and len(text.split()) >= 6
                if add or not changed:
                    out.append(c)
                if changed:
                    out.append(_with_candidate(c, text))
            return out

        return candidates

    for rules, add in [
        (["parentheses"], False),
        (["ages"], False),
        (["relative-clauses"], False),
        (["weekdays"], False),
        (["leading-adverbials"], False),
        (["according-to"], False),
        (["parentheses"], True),
        (["parentheses", "ages"], True),
        (["parentheses", "weekdays"], True),
        (["parentheses", "ages", "weekdays", "according-to"], True),
    ]:
        steps = replace(SHIPPED, candidates=variant(rules, add))
        run.score(f"compress {'+'.join(rules)} ({'add' if add else 'replace'})", steps=steps)


# --- a learned sentence score as a bonus ----------------------------------------------------------------


def _sentence_features(
    run: Runner,
) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate of every cluster: its key (article, text), 11 features, its MiniLM vector, its
    cluster, and the target (the share of its tokens in a human summary, averaged over the four)."""
    keys, feats, vecs, groups, target = [], [], [], [], []
    for ci, c, cands in run.candidates():
        vectors = run.embedder.embed([x.sentence.text for x in cands])
        centroid = vectors.mean(0) / np.linalg.norm(vectors.mean(0))
        weights = concept_weights(cands, len(c.articles), OPTIONS)
        refs = [set(rouge_tokens(r)) for r in c.summaries]
        for x, v in zip(cands, vectors, strict=True):
            concept = sum(weights.get(k, 0.0) for k in sentence_concepts(x, OPTIONS))
            text = x.sentence.text
            keys.append((x.sentence.article_id, text))
            feats.append(
                [
                    x.position,
                    position_factor(x, OPTIONS),
                    x.words,
                    np.log(x.words),
                    float(v @ centroid),
                    concept / x.words,
                    concept,
                    len(x.content) / x.words,
                    float(any(q in text for q in R.QUOTE_CHARS)),
                    float(" said" in text or " says" in text),
                    sum(ch.isdigit() for ch in text) / len(text),
                ]
            )
            vecs.append(v)
            groups.append(ci)
            target.append(np.mean([sum(t in r for t in x.stems) / max(1, len(x.stems)) for r in refs]))
    return keys, np.array(feats), np.array(vecs), np.array(groups), np.array(target)


def _out_of_fold(
    features: np.ndarray, target: np.ndarray, groups: np.ndarray, make: Callable[[], Any]
) -> np.ndarray:
    pred = np.zeros_like(target)
    for test_clusters in _folds(int(groups.max()) + 1):
        test = np.isin(groups, test_clusters)
        mu, sd = features[~test].mean(0), features[~test].std(0) + 1e-9
        model = make().fit((features[~test] - mu) / sd, target[~test])
        pred[test] = model.predict((features[test] - mu) / sd)
    return pred


def sentence_score(run: Runner) -> None:
    """A regression of each sentence's ROUGE-1 precision, out of fold; the bonus is λ × words × score,
    with or without the MiniLM centrality bonus."""
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import Ridge

    keys, feats, vecs, groups, target = _sentence_features(run)
    models = {
        "ridge, 11 features": _out_of_fold(feats, target, groups, lambda: Ridge(10)),
        "ridge, features + MiniLM": _out_of_fold(
            np.hstack([feats, vecs]), target, groups, lambda: Ridge(300)
        ),
        "boosting, 11 features": _out_of_fold(
            feats, target, groups, lambda: HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05)
        ),
    }
    original = SHIPPED.salience_bonus
    for name, pred in models.items():
        table = dict(zip(keys, pred, strict=True))
        for lam, keep in [(1.0, True), (3.0, True), (3.0, False), (6.0, False)]:

            def bonus(
                cands: Any,
                vectors: Any,
                options: SummaryOptions,
                table: dict = table,
                lam: float = lam,
                keep: bool = keep,
            ) -> np.ndarray:
                score = np.array([table.get((c.sentence.article_id, c.sentence.text), np.nan) for c in cands])
                score = np.where(np.isnan(score), np.nanmean(score), score)
                extra = lam * np.array([c.words for c in cands], dtype=float) * score
                central = original(cands, vectors, options) if keep else None
                return extra if central is None else central + extra

            steps = replace(SHIPPED, salience_bonus=bonus)
            run.score(f"score {name}, λ={lam}{' + centrality' if keep else ''}", steps=steps)


# --- learned concept weights ------------------------------------------------------------------------------


def concept_model(run: Runner) -> None:
    """Supervised concept weights (Li, Qian & Liu 2013): boosting predicts the share of human summaries
    that contain a unigram or bigram concept from its document frequency, frequency, positions and a
    global prior (how often the word reaches a human summary in the training clusters); out of fold."""
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import Ridge

    stats: list[dict] = []
    for _, c, cands in run.candidates():
        first: dict[object, dict[str, float]] = defaultdict(dict)
        tf: Counter[object] = Counter()
        positions: dict[object, list[int]] = defaultdict(list)
        for x in cands:
            for k in x.bigrams | x.content:
                tf[k] += 1
                seen = first[k]
                seen[x.sentence.article_id] = max(
                    seen.get(x.sentence.article_id, 0.0), position_factor(x, OPTIONS)
                )
                positions[k].append(x.position)
        refs = [set(t) | set(zip(t, t[1:], strict=False)) for t in (rouge_tokens(r) for r in c.summaries)]
        rows = {}
        for k, arts in first.items():
            if len(arts) < 2:
                continue
            rows[k] = {
                "raw": [
                    len(arts),
                    len(arts) / len(c.articles),
                    np.log1p(tf[k]),
                    sum(arts.values()),
                    np.log1p(min(positions[k])),
                    float(np.mean(list(arts.values()))),
                    float(isinstance(k, str)),
                ],
                "words": (k,) if isinstance(k, str) else k,
                "y": float(np.mean([k in r for r in refs])),
            }
        stats.append(rows)

    def matrix(i: int, prior: Callable[[str], float]) -> tuple[list[object], np.ndarray, np.ndarray]:
        keys = list(stats[i])
        rows = [stats[i][k] for k in keys]
        feats = [
            r["raw"] + [np.mean([prior(w) for w in r["words"]]), min(prior(w) for w in r["words"])]
            for r in rows
        ]
        return keys, np.array(feats).reshape(len(keys), 9), np.array([r["y"] for r in rows])

    def out_of_fold(make: Callable[[], Any], with_prior: bool) -> dict[int, dict[object, float]]:
        predicted: dict[int, dict[object, float]] = {}
        for test in _folds(len(stats)):
            train = [i for i in range(len(stats)) if i not in set(test.tolist())]
            seen: Counter[str] = Counter()
            hit: Counter[str] = Counter()
            for i in train:
                for k, r in stats[i].items():
                    if isinstance(k, str):
                        seen[k] += 1
                        hit[k] += r["y"]

            def prior(w: str, seen: Counter = seen, hit: Counter = hit) -> float:
                return (hit[w] + 0.3) / (seen[w] + 1.0)

            columns = slice(None) if with_prior else slice(0, 7)
            parts = [matrix(i, prior) for i in train]
            feats = np.vstack([p[1] for p in parts])[:, columns]
            mu, sd = feats.mean(0), feats.std(0) + 1e-9
            model = make().fit((feats - mu) / sd, np.concatenate([p[2] for p in parts]))
            for i in test.tolist():
                keys, feats, _ = matrix(i, prior)
                predicted[i] = dict(zip(keys, model.predict((feats[:, columns] - mu) / sd), strict=True))
        return predicted

    article_sets = [{a.id for a in c.articles} for c in run.clusters]

    def cluster_of(cands: Any) -> int:
        ids = {c.sentence.article_id for c in cands}
        return next(i for i, s in enumerate(article_sets) if ids <= s)

    original = SHIPPED.concept_weights
    learners = {
        "boosting + prior": (
            lambda: HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05, random_state=0),
            True,
        ),
        "boosting": (
            lambda: HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05, random_state=0),
            False,
        ),
        "ridge + prior": (lambda: Ridge(1.0), True),
        "ridge": (lambda: Ridge(1.0), False),
    }
    for learner, (make, with_prior) in learners.items():
        predicted = out_of_fold(make, with_prior)
        for mode, unigram, power, scale in [
            ("replace", 1.0, 1, 10),
            ("replace", 0.75, 1, 10),
            ("replace", 0.5, 1, 10),
            ("replace", 0.35, 1, 10),
            ("replace", 0.25, 1, 10),
            ("multiply", 1.0, 1, 3),
        ]:

            def weights(
                cands: Any,
                n: int,
                options: SummaryOptions,
                predicted: dict = predicted,
                mode: str = mode,
                unigram: float = unigram,
                power: int = power,
                scale: float = scale,
            ) -> dict[object, float]:
                p = predicted[cluster_of(cands)]
                if mode == "multiply":
                    return {k: v * scale * p.get(k, 0.0) for k, v in original(cands, n, options).items()}
                return {
                    k: scale * v**power * (unigram if isinstance(k, str) else 1.0)
                    for k, v in p.items()
                    if v > 0.02
                }

            steps = replace(SHIPPED, concept_weights=weights)
            run.score(f"concepts {learner}: {mode} unigram×{unigram} ^{power} ×{scale}", steps=steps)


# --- DPP-style selection ----------------------------------------------------------------------------------


def _dpp_greedy(
    kernel: np.ndarray, words: np.ndarray, budget: int, *, scale: float = 1.0, ridge: float = 0.0
) -> list[int]:
    """Budgeted greedy MAP of a DPP: add the sentence (position) with the highest gain in log det per
    words^scale that still fits, until none does."""
    chosen: list[int] = []
    left, current = float(budget), 0.0
    while True:
        best, best_gain, best_logdet = None, -np.inf, 0.0
        for j in range(len(words)):
            if j in chosen or words[j] > left:
                continue
            idx = [*chosen, j]
            sign, logdet = np.linalg.slogdet(kernel[np.ix_(idx, idx)] + ridge * np.eye(len(idx)))
            gain = (logdet - current) / words[j] ** scale
            if sign > 0 and gain > best_gain:
                best, best_gain, best_logdet = j, gain, logdet
        if best is None:
            return chosen
        chosen.append(best)
        left -= words[best]
        current = best_logdet


def _dpp_selector(
    quality: Callable[[list[int], Any, Any, Any, SummaryOptions], np.ndarray | None],
    *,
    scale: float = 1.0,
    jitter: float = 1e-9,
) -> Callable[..., list[int]]:
    """A stand-in for the ``select`` step: a DPP over the usable candidates, L_ij = q_i S_ij q_j with S
    the TF-IDF cosine of their stems and q from ``quality(usable, cands, weights, bonus, options)`` (None:
    the shipped selection), chosen by :func:`_dpp_greedy`. The DPP ignores the reference model's expected
    counts (the experiments run without it)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    original = SHIPPED.select

    def select(
        cands: Any,
        weights: Any,
        budget: int,
        max_sentences: Any,
        bonus: Any = None,
        options: SummaryOptions = OPTIONS,
        **rest: Any,
    ) -> list[int]:
        usable = [i for i, c in enumerate(cands) if c.words <= budget]
        q = quality(usable, cands, weights, bonus, options) if usable else None
        if q is None:
            return original(cands, weights, budget, max_sentences, bonus, options, **rest)
        tfidf = TfidfVectorizer().fit_transform([" ".join(cands[i].stems) for i in usable])
        kernel = q[:, None] * (tfidf @ tfidf.T).toarray() * q[None, :]
        words = np.array([cands[i].words for i in usable], dtype=float)
        return [usable[j] for j in _dpp_greedy(kernel, words, budget, scale=scale, ridge=jitter)]

    return select


def dpp(run: Runner) -> None:
    """Kulesza & Taskar's determinantal point process, greedy under the word budget: quality from the
    sentence's concept weight per word (× β), similarity the TF-IDF cosine of its stems."""
    for beta in (1.0, 2.0, 4.0):

        def quality(
            usable: list[int],
            cands: Any,
            weights: Any,
            bonus: Any,
            options: SummaryOptions,
            beta: float = beta,
        ) -> Any:
            cover = build_coverage(usable, cands, weights, bonus, options, reduce=False)
            if cover is None:
                return None
            density = cover.gains([]) / cover.words
            return np.exp(beta * density / (density.std() or 1.0))

        run.score(f"dpp β={beta}", steps=replace(SHIPPED, select=_dpp_selector(quality)))


def _oracle_choice(texts: list[str], refs: list[Counter]) -> list[int]:
    """Greedy oracle: the sentences (indices) that, added one by one, raise R1 recall of the first 100
    words most, until none does."""

    def recall(words: list[str]) -> float:
        got = Counter(rouge_tokens(" ".join(words[:100])))
        return float(np.mean([sum((got & r).values()) / sum(r.values()) for r in refs]))

    chosen: list[int] = []
    words: list[str] = []
    best = 0.0
    while len(words) < 100:
        pick = None
        for i, t in enumerate(texts):
            if i not in chosen and (s := recall(words + t.split())) > best + 1e-9:
                best, pick = s, i
        if pick is None:
            return chosen
        chosen.append(pick)
        words += texts[pick].split()
    return chosen


def learned_dpp(run: Runner) -> None:
    """Kulesza & Taskar (2012) as they built it: L_ij = q_i S_ij q_j with S the TF-IDF cosine of the
    sentences' stems and a log-linear quality q_i = exp(θ·f_i / 2) learned by maximum likelihood of each
    training cluster's oracle summary (greedy R1 oracle over the candidates), out of fold (5 folds over
    clusters); summaries by the budgeted greedy on log det, as a selector alone or as a bonus to the ILP
    (θ·f_i × words × λ)."""
    from scipy.optimize import minimize
    from sklearn.feature_extraction.text import TfidfVectorizer

    keys, feats, _, groups, _ = _sentence_features(run)
    feats = np.hstack([feats, np.ones((len(feats), 1))])
    per_cluster = []
    for ci, c, cands in run.candidates():
        rows = np.flatnonzero(groups == ci)
        tfidf = TfidfVectorizer().fit_transform([" ".join(x.stems) for x in cands])
        sim = (tfidf @ tfidf.T).toarray() + 1e-6 * np.eye(len(cands))
        refs = [Counter(rouge_tokens(r)) for r in c.summaries]
        per_cluster.append((rows, sim, _oracle_choice([x.sentence.text for x in cands], refs)))

    def fit(train: list[int], mu: np.ndarray, sd: np.ndarray) -> np.ndarray:
        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            ll, grad = 0.0, -0.1 * theta  # L2 prior
            ll -= 0.05 * float(theta @ theta)
            for ci in train:
                rows, sim, oracle = per_cluster[ci]
                f = (feats[rows] - mu) / sd
                f[:, -1] = 1.0
                q = np.exp(np.clip(f @ theta, -30, 30) / 2)
                kernel = q[:, None] * sim * q[None, :]
                eig, vec = np.linalg.eigh(kernel)
                eig = np.clip(eig, 0, None)
                marginal = (vec**2) @ (eig / (eig + 1))  # K_ii of K = L (L + I)^-1
                ll += np.linalg.slogdet(kernel[np.ix_(oracle, oracle)])[1] - np.log1p(eig).sum()
                grad += f[oracle].sum(0) - marginal @ f
            return -ll, -grad

        return minimize(
            loss, np.zeros(feats.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 100}
        ).x

    quality = np.zeros(len(feats))
    for test in _folds(len(per_cluster)):
        train = [ci for ci in range(len(per_cluster)) if ci not in set(test.tolist())]
        rows = np.concatenate([per_cluster[ci][0] for ci in train])
        mu, sd = feats[rows].mean(0), feats[rows].std(0) + 1e-9
        theta = fit(train, mu, sd)
        for ci in test:
            f = (feats[per_cluster[ci][0]] - mu) / sd
            f[:, -1] = 1.0
            quality[per_cluster[ci][0]] = f @ theta
    table = dict(zip(keys, quality, strict=True))

    def log_quality(cands: Any) -> np.ndarray:
        out = np.array([table.get((c.sentence.article_id, c.sentence.text), np.nan) for c in cands])
        return np.where(np.isnan(out), np.nanmean(out), out)

    def quality(
        usable: list[int], cands: Any, weights: Any, bonus: Any, options: SummaryOptions
    ) -> np.ndarray:
        return np.exp(log_quality([cands[i] for i in usable]) / 2)

    for scale in (0.0, 0.5):
        steps = replace(SHIPPED, select=_dpp_selector(quality, scale=scale, jitter=1e-6))
        run.score(f"learned DPP, greedy gain / words^{scale}", steps=steps)

    salience = SHIPPED.salience_bonus
    for lam in (0.5, 1.0, 2.0):

        def bonus(cands: Any, vectors: Any, options: SummaryOptions, lam: float = lam) -> np.ndarray:
            extra = lam * np.array([c.words for c in cands], dtype=float) * log_quality(cands)
            central = salience(cands, vectors, options)
            return extra if central is None else central + extra

        run.score(f"ILP + learned DPP quality bonus λ={lam}", steps=replace(SHIPPED, salience_bonus=bonus))


# --- centrality and paraphrases ---------------------------------------------------------------------------


def centroid(run: Runner) -> None:
    """The centrality bonus measured against other centroids: of the lead sentences, with each article
    weighing the same, or weighted by position."""

    def bonus_against(kind: str, leads: int = 0) -> Callable[..., np.ndarray]:
        def bonus(cands: Any, vectors: Any, options: SummaryOptions) -> np.ndarray:
            if kind == "leads":
                mask = np.array([c.position < leads for c in cands])
                center = vectors[mask].mean(0) if mask.any() else vectors.mean(0)
            elif kind == "per article":
                ids = sorted({c.sentence.article_id for c in cands})
                center = np.mean(
                    [vectors[[c.sentence.article_id == a for c in cands]].mean(0) for a in ids], axis=0
                )
            else:
                w = np.array([position_factor(c, options) for c in cands])
                center = (vectors * w[:, None]).sum(0)
            center = center / np.linalg.norm(center)
            words = np.array([c.words for c in cands], dtype=float)
            return options.centrality_weight * words * np.clip(vectors @ center, 0.0, None)

        return bonus

    for kind, leads in [("leads", 3), ("leads", 6), ("per article", 0), ("by position", 0)]:
        steps = replace(SHIPPED, salience_bonus=bonus_against(kind, leads))
        run.score(f"centroid of {kind}{f' ({leads})' if leads else ''}", steps=steps)


def paraphrase(run: Runner) -> None:
    """Sentences whose MiniLM cosine reaches τ also exclude each other (besides shared words)."""
    state: dict[str, Any] = {}
    embed, pairs = SHIPPED.embed, SHIPPED.redundant_pairs

    def remember(cands: Any, embedder: Any) -> Any:
        state["vectors"] = embed(cands, embedder)
        return state["vectors"]

    for tau in (0.9, 0.85, 0.8, 0.75, 0.7):

        def redundant(
            usable: Any, cands: Any, options: SummaryOptions, tau: float = tau
        ) -> list[tuple[int, int]]:
            v = state["vectors"][list(usable)]
            v = v / np.linalg.norm(v, axis=1, keepdims=True)
            a, b = np.nonzero(np.triu(v @ v.T, 1) >= tau)
            return sorted(set(pairs(usable, cands, options)) | set(zip(a.tolist(), b.tolist(), strict=True)))

        steps = replace(SHIPPED, embed=remember, redundant_pairs=redundant)
        run.score(f"paraphrases exclude at cosine ≥ {tau}", steps=steps)


# --- the oracle -------------------------------------------------------------------------------------------


def spread(run: Runner) -> None:
    """At most one sentence per article (every pair of one article's sentences excludes each other): a
    summary drawn from more articles."""
    original = SHIPPED.redundant_pairs

    def one_per_article(usable: Any, cands: Any, options: SummaryOptions) -> list[tuple[int, int]]:
        pairs = set(original(usable, cands, options))
        by_article: dict[str, list[int]] = defaultdict(list)
        for pos, i in enumerate(usable):
            by_article[cands[i].sentence.article_id].append(pos)
        for members in by_article.values():
            pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
        return sorted(pairs)

    run.score("at most one sentence per article", steps=replace(SHIPPED, redundant_pairs=one_per_article))


#: the shipped settings' one-step neighbours (the variants of ``summary_tuning.py --by-set``)
NEIGHBOURS = [
    "POSITION_DECAY=0.15", "POSITION_DECAY=0.2", "POSITION_DECAY=0.4", "POSITION_DECAY=0.5",
    "CENTRALITY_WEIGHT=1.0", "CENTRALITY_WEIGHT=1.25", "CENTRALITY_WEIGHT=1.75", "CENTRALITY_WEIGHT=2.0",
    "UNIGRAM_WEIGHT=0.15", "UNIGRAM_WEIGHT=0.2", "UNIGRAM_WEIGHT=0.3", "UNIGRAM_WEIGHT=0.35",
    "CONCEPT_MIN_DF=2", "CONCEPT_MIN_DF=4", "PRUNE_ATTRIBUTION=False",
    "MIN_SENTENCE_WORDS=10", "MAX_SENTENCE_WORDS=40",
]  # fmt: skip
#: ... and settings further away, for the pool of summaries
FAR = [
    "CENTRALITY_WEIGHT=0.5", "CENTRALITY_WEIGHT=3.0", "POSITION_DECAY=0.0", "POSITION_DECAY=1.0",
    "UNIGRAM_WEIGHT=0.0", "UNIGRAM_WEIGHT=0.5",
]  # fmt: skip


def _first_100(text: str) -> Counter:
    return Counter(rouge_tokens(" ".join(text.split()[:100])))


def consensus(run: Runner) -> None:
    """Minimum-Bayes-risk choice among storydesk's own summaries: each cluster is summarized under the
    shipped settings and their one-step neighbours, and the summary closest (ROUGE-1 F1 of the first 100
    words) to all the others is kept."""
    from storydesk.eval.rouge import score_system

    outputs = [run.summaries(s) for s in ["base", *NEIGHBOURS]]

    def f1(a: Counter, b: Counter) -> float:
        return 2 * sum((a & b).values()) / max(1, sum(a.values()) + sum(b.values()))

    for size in (12, len(outputs)):
        chosen = []
        for ci in range(len(run.clusters)):
            bags = [_first_100(out[ci]) for out in outputs[:size]]
            agreement = [sum(f1(b, o) for o in bags) for b in bags]
            chosen.append(outputs[int(np.argmax(agreement))][ci])
        scores = score_system(chosen, [list(c.summaries) for c in run.clusters], words=100)
        row = {"R1": round(scores.mean("rouge1_recall"), 2), "R2": round(scores.mean("rouge2_recall"), 2)}
        run._print(f"consensus of {size} summaries", row, scores)


def pool(run: Runner) -> None:
    """How much any choice among whole summaries could gain: the summaries of the shipped settings, their
    one-step neighbours and six settings further away; per cluster the best of them by R1 recall (an
    oracle no reranker can beat), and the best settings on each DUC 2003 task alone."""
    specs = ["base", *NEIGHBOURS, *FAR]
    from storydesk.eval.rouge import score_system

    refs = [list(c.summaries) for c in run.clusters]
    recall = np.array(
        [score_system(run.summaries(spec), refs, words=100).values["rouge1_recall"] for spec in specs]
    ).T  # clusters × settings
    print(
        f"pool of {len(specs)} settings' summaries: base R1 {recall[:, 0].mean():.2f}, oracle {recall.max(axis=1).mean():.2f}"
    )
    sets = np.array(run.sets)
    for name in sorted(set(run.sets)):
        mean = recall[sets == name].mean(axis=0)
        best = np.argsort(-mean)[:3]
        print(f"  {name}: " + ", ".join(f"{specs[k]} {mean[k]:.2f}" for k in best))


def oracle(run: Runner) -> None:
    """Greedy oracle: add the sentence that raises R1 recall of the first 100 words most, until none
    does; over the candidates, and over every sentence of 3 words or more."""

    def greedy(texts: list[str], refs: list[Counter]) -> float:
        words = " ".join(texts[i] for i in _oracle_choice(texts, refs)).split()[:100]
        got = Counter(rouge_tokens(" ".join(words)))
        return float(np.mean([sum((got & r).values()) / sum(r.values()) for r in refs]))

    over_candidates, over_all = [], []
    for _, c, cands in run.candidates():
        refs = [Counter(rouge_tokens(r)) for r in c.summaries]
        sentences = [
            strip_dateline(s).text
            for a in c.articles
            for s in analyse_article(a).sentences
            if len(s.text.split()) >= 3
        ]
        over_candidates.append(greedy([x.sentence.text for x in cands], refs))
        over_all.append(greedy(sentences, refs))
    print(
        f"oracle R1 recall: candidates {100 * np.mean(over_candidates):.2f}, all sentences {100 * np.mean(over_all):.2f}"
    )


# --- the reference model (kept: summarize/reference.py) ---------------------------------------------------


def _out_of_fold_references(run: Runner) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Stand-ins for the ``expected`` step: the reference model trained out of fold (5 folds over
    clusters, as ``reference.fit`` trains the shipped one on all of DUC 2003), and the human summaries'
    own counts (an upper bound)."""
    from storydesk.brief.summarize import reference

    article_sets = [frozenset(a.id for a in c.articles) for c in run.clusters]
    tables: dict[frozenset, dict] = {}
    for test in _folds(len(run.clusters)):
        held = set(test.tolist())
        model = reference.fit(
            [(c.articles, c.summaries) for i, c in enumerate(run.clusters) if i not in held]
        )
        for i in held:
            tables[article_sets[i]] = reference.expected_counts(run.clusters[i].articles, model)
    truth = {
        k: reference.reference_counts(c.summaries) for k, c in zip(article_sets, run.clusters, strict=True)
    }

    def lookup(table: dict) -> Callable[..., Any]:
        def expected_for(articles: Any, cands: Any, options: SummaryOptions) -> Any:
            if options.expected_r1_weight <= 0:
                return None
            return table[frozenset(a.id for a in articles)]

        return expected_for

    return lookup(tables), lookup(truth)


#: the weights of the expected ROUGE-1 term ``expected`` tries (``--weights``)
EXPECTED_WEIGHTS = (10.0, 20.0, 40.0)


def expected(run: Runner) -> None:
    """The shipped summarizer with its reference model trained out of fold, at several weights of the
    expected ROUGE-1 term; and with the human summaries' own counts as the "model"."""
    model, truth = _out_of_fold_references(run)
    run.score(
        "the human summaries' own counts", {"EXPECTED_R1_WEIGHT": 1000.0}, replace(SHIPPED, expected=truth)
    )
    for weight in EXPECTED_WEIGHTS:
        run.score(
            f"reference model out of fold, weight {weight:g}",
            {"EXPECTED_R1_WEIGHT": weight},
            replace(SHIPPED, expected=model),
        )


def expected_product(run: Runner) -> None:
    """The same under the product's budget of five sentences (whole summaries scored, as
    ``summary_tuning.py --product``), with the time per cluster."""
    model, _ = _out_of_fold_references(run)
    _, without = T.run_variant(run.clusters, run.embedder, dict(run.DEFAULTS), True)
    steps = replace(SHIPPED, expected=model)
    for weight in (0.0, 10.0, 20.0):
        row, scores = T.run_variant(run.clusters, run.embedder, {"EXPECTED_R1_WEIGHT": weight}, True, steps)
        print(
            f"{'five sentences, weight ' + format(weight, 'g'):<44} R1={row['R1']} R2={row['R2']} "
            f"words={row['words']} ms/cluster={row['ms/cluster']}{T.compare(scores, without, run.sets)}",
            flush=True,
        )


EXPERIMENTS = {
    "expected": expected,
    "expected-product": expected_product,
    "compress": compress,
    "sentence-score": sentence_score,
    "concept-model": concept_model,
    "dpp": dpp,
    "learned-dpp": learned_dpp,
    "centroid": centroid,
    "paraphrase": paraphrase,
    "consensus": consensus,
    "pool": pool,
    "spread": spread,
    "oracle": oracle,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiments", nargs="+", choices=sorted(EXPERIMENTS))
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--weights", type=lambda v: tuple(map(float, v.split(","))), help="for expected: e.g. 10,20,40"
    )
    args = parser.parse_args()
    if args.weights:
        global EXPECTED_WEIGHTS
        EXPECTED_WEIGHTS = args.weights
    run = Runner(args.data)
    for name in args.experiments:
        EXPERIMENTS[name](run)


if __name__ == "__main__":
    main()

"""Writes digits_splits.txt: the held-out rows of the five stratified 75/25 splits of the
1,797 UCI digits that scikit-learn's train_test_split gives with random_state 0 to 4 (one
line per split, the row numbers of data/digits.csv.gz, ascending), after checking that the
CSV's labels are scikit-learn's load_digits() targets in the same order. Also prints the
held-out accuracy of an RBF support-vector machine with C and gamma searched by 5-fold
cross-validation on each split's training part, the classical reference the course's conv
net is compared with. Run from the repository root:

    python data/make_digits_splits.py   # needs: pip install scikit-learn numpy
"""

import gzip

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.svm import SVC

digits = load_digits()
with gzip.open("data/digits.csv.gz", "rt") as f:
    rows = [line.strip().split(",") for line in f if line.strip()]
labels = np.array([int(float(r[-1])) for r in rows])
pixels = np.array([[float(v) for v in r[:-1]] for r in rows])
assert (labels == digits.target).all(), "the CSV's labels are load_digits' targets, in order"
assert np.allclose(pixels, digits.data), "and its pixels"

lines, scores = [], []
for seed in range(5):
    train, test = train_test_split(
        np.arange(len(labels)), test_size=0.25, stratify=labels, random_state=seed
    )
    lines.append(" ".join(str(i) for i in sorted(test)))
    search = GridSearchCV(
        SVC(kernel="rbf"),
        {"C": [1, 3, 10, 30, 100], "gamma": [0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0]},
        cv=5,
    )
    search.fit(pixels[train] / 16.0, labels[train])
    scores.append(search.score(pixels[test] / 16.0, labels[test]))
    print(f"split {seed}: {len(test)} held out, SVM {scores[-1]:.4f} ({search.best_params_})")
with open("data/digits_splits.txt", "w") as f:
    f.write("\n".join(lines) + "\n")
print(f"SVM mean held-out accuracy {np.mean(scores):.4f}")

"""How far a construction is from the published record: one number, with its parts.

The paper publishes more about its data than its coefficients: the N of every model, the
non-missing counts of Table 3, the maximum-likelihood log-likelihoods of Table 1's Models 2
and 4 (printed in Table 5), the mean threat to B quoted in the text.  Each is evidence about
the construction.  :func:`distance_components` turns each into a squared gap in units of a
*tolerance* — the size of gap we would still call a match — so that the parts are on one
scale, and :func:`total_distance` adds them with the weights of :data:`WEIGHTS`:

==================  ==========================================================  ===========
part                gap                                                         unit
==================  ==========================================================  ===========
``coefficients``    (ours − paper) / published SE, Table 1 Models 2 and 4       1 SE
``log_likelihood``  ours − paper, Models 2 and 4                                3 % of |paper|
``mean_threat_b``   mean threat to B in the Model 4 sample − 0.27               0.02
``table3_counts``   non-missing counts of Table 3 (frame, cb, military, regime  1 % of the
                    difference, new regime)                                      published n
``model_n``         N of Models 2 and 4 − 420,551                               1 % of N
==================  ==========================================================  ===========

Each part is the *mean* of its squared standardised gaps, so a part with many entries (20
coefficients) weighs as much as one with one entry (the mean threat), and a construction
that equals the published numbers scores 0.  The units are the calibration targets
themselves (log-likelihood within 3 %, mean threat within 0.02, counts within 1 %); a
part equal to 1 means "on average exactly at the edge of a match".  The weights are all 1:
no part is trusted more than another, and the chapter shows each part separately so a reader
can re-weight.

The negotiation choices (the concession coding) are scored separately by
:func:`negotiation_distance`, against the hurdle models' log-likelihoods and coefficients
(Tables 2 and 12): they do not change Table 1 at all.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
import pandas as pd

from coupproof.report.compare import published_estimates, published_model_stats

#: Tolerances (the unit of each standardised gap).
LL_TOLERANCE = 0.03          # relative
THREAT_TOLERANCE = 0.02      # absolute
COUNT_TOLERANCE = 0.01       # relative
#: Weights of the parts in the total.
WEIGHTS = {"coefficients": 1.0, "log_likelihood": 1.0, "mean_threat_b": 1.0,
           "table3_counts": 1.0, "model_n": 1.0}
#: Table 3's names of the counts used, and the estimation-frame columns that hold them.
TABLE3_COUNTS = {"def": None, "lncbcount1_l": "cb", "gwf_military1_l": "militaryA",
                 "reg_diff_l": "regime_diff", "new_reg1": "new_regimeA"}
#: Our models -> the paper's Table 1 model numbers.
TABLE1_MODELS = {"M2": 2, "M4": 4}


@functools.lru_cache(maxsize=1)
def published_record() -> dict:
    """The published numbers the distance compares with (read from ``data/published`` once per
    process; treat the result as read-only)."""
    est = published_estimates(1)
    stats5 = published_model_stats(5).set_index(["model", "stat"])["value"]
    stats1 = published_model_stats(1).set_index(["model", "stat"])["value"]
    from coupproof import config

    text = pd.read_csv(config.published_dir() / "published_text_values.csv")
    summary = pd.read_csv(config.published_dir() / "published_summary_statistics.csv").set_index("variable")
    mean_tb = float(text.loc[text["quantity"].str.startswith("mean external threat to State B"), "value"].iloc[0])
    return {
        "coefficients": {m: est[est["model"] == n].set_index("term")[["coef", "se"]]
                         for m, n in TABLE1_MODELS.items()},
        # Table 5 printed the ML log-likelihoods of Table 1's Models 2 and 4 (its models 1, 2)
        "log_likelihood": {"M2": float(stats5[(1, "LL")]), "M4": float(stats5[(2, "LL")])},
        "model_n": {m: float(stats1[(n, "N")]) for m, n in TABLE1_MODELS.items()},
        "mean_threat_b": mean_tb,
        "table3_counts": {k: float(summary.loc[k, "n"]) for k in TABLE3_COUNTS},
    }


def distance_components(ours: Mapping, record: Mapping | None = None) -> dict[str, float]:
    """The parts of the distance for a construction described by ``ours``:

    ``ours["coefficients"][model]`` a Series of estimates by term (models "M2", "M4");
    ``ours["log_likelihood"][model]``, ``ours["model_n"][model]``, ``ours["mean_threat_b"]``,
    ``ours["table3_counts"][name]`` (Table 3 names).  Missing entries are skipped; a part
    with no entry is NaN.
    """
    rec = record or published_record()
    parts: dict[str, list[float]] = {k: [] for k in WEIGHTS}
    for m, pub in rec["coefficients"].items():
        mine = ours.get("coefficients", {}).get(m)
        if mine is None:
            continue
        common = [t for t in pub.index if t in mine.index]
        z = (mine[common].to_numpy(float) - pub.loc[common, "coef"].to_numpy(float)) / \
            pub.loc[common, "se"].to_numpy(float)
        parts["coefficients"] += list(z ** 2)
    for m, ll in rec["log_likelihood"].items():
        if m in ours.get("log_likelihood", {}):
            parts["log_likelihood"].append(((ours["log_likelihood"][m] - ll) / (LL_TOLERANCE * abs(ll))) ** 2)
    for m, n in rec["model_n"].items():
        if m in ours.get("model_n", {}):
            parts["model_n"].append(((ours["model_n"][m] - n) / (COUNT_TOLERANCE * n)) ** 2)
    if ours.get("mean_threat_b") is not None:
        parts["mean_threat_b"].append(((ours["mean_threat_b"] - rec["mean_threat_b"]) / THREAT_TOLERANCE) ** 2)
    for k, n in rec["table3_counts"].items():
        if k in ours.get("table3_counts", {}):
            parts["table3_counts"].append(((ours["table3_counts"][k] - n) / (COUNT_TOLERANCE * n)) ** 2)
    return {k: (float(np.mean(v)) if v else float("nan")) for k, v in parts.items()}


def total_distance(components: Mapping[str, float], weights: Mapping[str, float] = WEIGHTS) -> float:
    """Weighted sum of the parts (parts that are NaN count as missing, not as zero)."""
    used = [(weights[k], v) for k, v in components.items() if k in weights and np.isfinite(v)]
    return float(sum(w * v for w, v in used)) if used else float("nan")


def evaluation_summary(ev) -> dict:
    """What :func:`distance_components` needs, from a multiverse evaluation."""
    frame = ev.frame
    counts = {"def": float(len(frame))}
    for name, col in TABLE3_COUNTS.items():
        if col is not None and col in frame:
            counts[name] = float(frame[col].notna().sum())
    return {
        "coefficients": {m: f.params for m, f in ev.fits.items()},
        "log_likelihood": {m: f.llf for m, f in ev.fits.items()},
        "model_n": {m: float(f.nobs) for m, f in ev.fits.items()},
        "mean_threat_b": ev.record.get("M4.mean_threatB"),
        "table3_counts": counts,
    }


def distance(ev) -> dict:
    """The multiverse hook: the distance and its parts as record columns."""
    summary = evaluation_summary(ev)
    comps = distance_components(summary)
    out = {f"distance.{k}": v for k, v in comps.items()}
    out["distance"] = total_distance(comps)
    for name, value in summary["table3_counts"].items():
        out[f"n.{name}"] = value
    return out


def negotiation_distance(hurdles: Mapping[str, object], record: Mapping | None = None) -> dict[str, float]:
    """Distance of the hurdle models (Tables 2 and 12) from the published ones.

    ``hurdles`` maps "1" and "2" to hurdle results (with ``.zero``, ``.count``, ``.llf``).
    Parts: the total log-likelihood (unit: 10 % of |paper|, the negotiation target) and the
    coefficients of both parts in units of their published SEs.
    """
    est = published_estimates()
    stats = published_model_stats(2).set_index(["model", "stat"])["value"]
    ll, coef = [], []
    for m, h in hurdles.items():
        pub_ll = float(stats[(int(m), "LL")])
        ll.append(((h.llf - pub_ll) / (0.10 * abs(pub_ll))) ** 2)
        for table, part in ((2, h.zero), (12, h.count)):
            pub = est[(est["table"] == table) & (est["model"] == int(m))].set_index("term")
            common = [t for t in pub.index if t in part.params.index]
            z = (part.params[common].to_numpy(float) - pub.loc[common, "coef"].to_numpy(float)) / \
                pub.loc[common, "se"].to_numpy(float)
            coef += list(z ** 2)
    comps = {"log_likelihood": float(np.mean(ll)), "coefficients": float(np.mean(coef))}
    comps["total"] = comps["log_likelihood"] + comps["coefficients"]
    return comps

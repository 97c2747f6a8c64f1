"""run_facts: the data's facts (majority_share, n_validation) are those of the set-up asked about
(planned_labels), not of the validation set of whatever ran last."""
import numpy as np

from core.lessons.facts import RunFacts, run_facts


def test_majority_share_is_of_the_planned_set_up_when_one_is_given():
    ten_digits = np.arange(1000) % 10                       # the last run: ten classes, 10% each
    zero_or_not = (np.arange(600) % 10 == 0).astype(int)    # the lesson's set-up: 0 against the rest
    facts = run_facts(RunFacts(val_labels=ten_digits, planned_labels=zero_or_not))
    assert facts["majority_share"] == 0.9 and facts["n_validation"] == 600
    alone = run_facts(RunFacts(val_labels=ten_digits))      # no set-up given: the run's own set
    assert alone["majority_share"] == 0.1 and alone["n_validation"] == 1000

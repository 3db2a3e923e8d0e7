"""Which construction did the authors use?  Calibrate the open choices against the paper's
own published statistics (:mod:`.distance`), search the declared space for the nearest
constructions (:mod:`.search`), and check the result on the tables held out."""

"""coupproof: a literate replication of McWard & Yoon (2023, JCR).

Data flow, one way:

    raw files  -> coupproof.sources   (registry + one typed reader per dataset)
               -> coupproof.panel     (state-years, alliances, threat, dyad-years, samples)
               -> coupproof.models    (clustered logit, rare events, hurdle, heckit, margins)
               -> coupproof.report    (tables, comparisons with the paper, figures)
               -> the book (notebooks/ executed by papermill, rendered by jupyter-book)
"""

__version__ = "0.1.0"

"""Search: text/structure encoders and FAISS indexes over the product's records.

Modules:
    postings_index: "similar postings" — TF-IDF (char n-grams) + SVD text vectors joined with the
        posting's structured conditions, one exact FAISS inner-product index searched within the
        occupation family (KECO 중분류).
    dense_index: ``DenseIndex`` — cosine top-k over unit vectors with integer ids (exact flat below
        100k rows, an IVF float16 index above), optionally restricted to allowed ids; the dense half
        of candidate retrieval.
    vector_sample: seeded clustered unit vectors standing in for encoder output (tests and bench).

Submodules are imported explicitly (``from app.search.postings_index import PostingsIndex``) so that
importing this package does not load faiss or scikit-learn.
"""

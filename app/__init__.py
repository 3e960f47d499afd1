"""goyong-ai: the product's logic (never imports Streamlit).

Importing the package first fixes the thread policy of the numeric libraries
(:func:`app.threads.prepare_process`), before any of them loads.
"""

from app import threads

threads.prepare_process()

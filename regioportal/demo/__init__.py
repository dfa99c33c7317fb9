"""Demo helpers shared by the apps' demo modules (names, dates, users) and the scale data.

Each app owns its demo data (``programmes/demo/``, ``participants/demo.py``,
``subsidies/demo.py``, ``reports/demo.py``); the ``load_demo`` command runs them in order.
"""

"""msp-handbook: multi-stakeholder partnership handbooks from YAML records, published with MkDocs.

The path of the data: load.py (files to values with positions) → validate.py
(problems a coordinator can fix) → model/ (typed partnership world) →
structure/ and render.py (generated pages) → plugin.py (MkDocs) or cli.py.
"""

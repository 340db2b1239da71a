"""msp-handbook: multi-stakeholder partnership handbooks from YAML records, published with MkDocs.

The path of the data: load.py (files to values with positions) → validate.py
and model/ (typed partnership world, or problems a coordinator can fix) →
handbook.py (the whole handbook) → audience.py (what the site's readers may
see) → structure/, render.py and outputs.py (generated pages and files for
machines) → site.py, then plugin.py (MkDocs) or cli.py. ARCHITECTURE.md
says which files each kind of change touches.
"""

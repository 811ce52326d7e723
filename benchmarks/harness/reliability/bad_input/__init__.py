"""The bad-input properties: reelscale given input no one would choose, checked as plain functions.

One module per kind of input (``names``: release names and file trees; ``config``: config files;
``answers``: Claude's answers; ``radarr``: Radarr's payloads), each with its hypothesis strategies,
the context its checks share and its ``check_*`` functions. ``common`` holds what they share. The
tests run the checks with few examples; ``reelscale bench reliability bad-input`` with thousands.
"""

"""Contributions from a spreadsheet: one organisation's contributions in one period.

``template`` writes the workbook to fill in (the commitments the importer may write on,
with their current text); ``reading`` opens an uploaded file safely and reads its rows;
``plan`` compares each row with what is stored and runs the contribution services on it
(``preview`` inside a transaction that is always rolled back, ``apply`` in one that is
committed only if every row went through); ``uploads`` keeps an uploaded file on the
server between the preview and the confirmation. The web pages (views/imports.py) and
``rapport import`` use the same functions, so they give the same messages."""

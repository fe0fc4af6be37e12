"""Moving from Stream: import its export formats, and export Jatte's data in the same format.

- `formats`: which format a file is, and its values one at a time, in constant memory
- `records`: the records' Pydantic models, generated from schema/import.schema.json
- `rules`: what the schema cannot state; Stream's channel export turned into import records
- `writer`: batches in transactions, ids kept, what each record implies written with it
- `ahead`: a first pass over a file, so that messages are written with their threads and reactions
- `indexes`: what a large import sets aside while it writes (indexes, full-text triggers), put back
- `derived`: what the records imply on other rows, recomputed at the end from what is stored
- `sql`: the few statements the import needs, for SQLite and PostgreSQL
- `attachments`: attachments held to Jatte's shape, optionally fetched into its storage
- `report`: counts per type, bad records with their line, progress
- `importer`: one import, from file to report (`manage.py import_stream`)
- `exporter`: everything, or some channels, as the import format (`manage.py export_stream`)
"""

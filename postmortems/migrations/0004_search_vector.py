"""Search from a stored, GIN-indexed tsvector, kept current by a trigger (PostgreSQL only).

Before, every search ran to_tsvector over every postmortem's whole text, so one 50 MB import
made each query take tens of seconds. SQLite keeps its icontains fallback: the column stays
NULL there and no index or trigger is made."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

# The indexed prefix of search_text: a tsvector holds at most 1 MB, and no postmortem a person
# wrote is longer; text past it stays stored and shown, only not found by search.
SEARCH_INDEX_CHARS = 1_000_000

CREATE_TRIGGER = f"""
CREATE FUNCTION postmortem_search_vector_update() RETURNS trigger AS $$
BEGIN
  BEGIN
    NEW.search_vector := to_tsvector('english', left(coalesce(NEW.search_text, ''), {SEARCH_INDEX_CHARS}));
  EXCEPTION WHEN program_limit_exceeded THEN
    NEW.search_vector := to_tsvector('english', left(coalesce(NEW.search_text, ''), {SEARCH_INDEX_CHARS // 10}));
  END;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER postmortem_search_vector
  BEFORE INSERT OR UPDATE OF search_text ON postmortems_postmortem
  FOR EACH ROW EXECUTE FUNCTION postmortem_search_vector_update();
UPDATE postmortems_postmortem SET search_text = search_text;
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS postmortem_search_vector ON postmortems_postmortem;
DROP FUNCTION IF EXISTS postmortem_search_vector_update();
"""


class PostgresOnlyAddIndex(migrations.AddIndex):
    """The GIN index exists in the model state everywhere, in the database on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0003_fix_invalid_slugs")]

    operations = [
        migrations.AddField(
            model_name="postmortem",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        PostgresOnlyAddIndex(
            model_name="postmortem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="postmortem_search_vector_gin"
            ),
        ),
        migrations.RunPython(_on_postgres(CREATE_TRIGGER), _on_postgres(DROP_TRIGGER)),
    ]

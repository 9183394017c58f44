"""Closed links keyed by their hash: one index where there were three.

A large round's close writes a `ClosedLink` for each of its 125,000 links;
PostgreSQL kept three indexes of them (the id, the hash, the round), and
writing them was half of that statement's work. The hash is what a link is
found by; deleting a round finds its links by scanning.

The key moves from `id` to `token_hash` in the order each database allows:
PostgreSQL has one primary key at a time (the old one goes first), while
SQLite's rebuilt table needs the new key before the old column can go.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class InTheDatabasesOrder(Operation):
    """Operations applied to the state in the order given; on PostgreSQL, to the database reversed."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operations):
        self.operations = operations
        super().__init__()

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operations], {})

    def state_forwards(self, app_label, state):
        for operation in self.operations:
            operation.state_forwards(app_label, state)

    def _in_order(self, schema_editor, backwards):
        operations = list(self.operations)
        if schema_editor.connection.vendor == "postgresql":
            operations.reverse()
        return list(reversed(operations)) if backwards else operations

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        state = from_state
        for operation in self._in_order(schema_editor, backwards=False):
            after = state.clone()
            operation.state_forwards(app_label, after)
            operation.database_forwards(app_label, schema_editor, state, after)
            state = after

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # From the migrated state back: undo in the reverse of the forward order.
        order = self._in_order(schema_editor, backwards=False)
        states = [to_state]
        for operation in order:
            after = states[-1].clone()
            operation.state_forwards(app_label, after)
            states.append(after)
        for place in reversed(range(len(order))):
            order[place].database_backwards(
                app_label, schema_editor, states[place + 1], states[place]
            )

    def describe(self):
        return "Closed links keyed by their hash"


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0016_responses_without_reference_checks'),
    ]

    operations = [
        migrations.AlterField(
            model_name='closedlink',
            name='round',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.round'),
        ),
        InTheDatabasesOrder([
            migrations.AlterField(
                model_name='closedlink',
                name='token_hash',
                field=models.CharField(max_length=64, primary_key=True, serialize=False),
            ),
            migrations.RemoveField(
                model_name='closedlink',
                name='id',
            ),
        ]),
    ]

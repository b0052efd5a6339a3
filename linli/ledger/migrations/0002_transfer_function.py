"""On PostgreSQL, a single transfer runs as one server-side function call: lock both accounts
in id order, honour the idempotency key, check floor and ceiling, move the balances and write
the row. The Python path in ``services.transfer`` does the same on other databases."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_transfer_apply(
    p_debit bigint, p_credit bigint, p_amount bigint, p_kind text, p_key text, p_memo text,
    p_rule text, p_rule_version integer, p_user bigint, p_at timestamptz
) RETURNS TABLE (transfer_id bigint, debit_balance bigint, credit_balance bigint, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
    d ledger_account%ROWTYPE;
    c ledger_account%ROWTYPE;
    found_id bigint;
BEGIN
    PERFORM set_config('lock_timeout', '5000ms', true);
    PERFORM 1 FROM ledger_account WHERE id IN (p_debit, p_credit) ORDER BY id FOR UPDATE;
    -- Under the locks: a retry of a committed transfer returns it, whatever the balances now.
    SELECT id INTO found_id FROM ledger_transfer WHERE key = p_key;
    IF found_id IS NOT NULL THEN
        RETURN QUERY SELECT found_id, NULL::bigint, NULL::bigint, false;
        RETURN;
    END IF;
    SELECT * INTO d FROM ledger_account WHERE id = p_debit;
    SELECT * INTO c FROM ledger_account WHERE id = p_credit;
    IF d.floor IS NOT NULL AND d.balance - d.held - p_amount < d.floor THEN
        RAISE EXCEPTION 'insufficient' USING ERRCODE = 'LL001';
    END IF;
    IF c.ceiling IS NOT NULL AND c.balance + p_amount > c.ceiling THEN
        RAISE EXCEPTION 'ceiling' USING ERRCODE = 'LL002';
    END IF;
    UPDATE ledger_account SET balance = balance - p_amount WHERE id = p_debit;
    UPDATE ledger_account SET balance = balance + p_amount WHERE id = p_credit;
    BEGIN
        INSERT INTO ledger_transfer (debit_id, credit_id, amount, kind, memo, rule, rule_version,
                                     key, created_by_id, created_at)
        VALUES (p_debit, p_credit, p_amount, p_kind, p_memo, p_rule, p_rule_version, p_key,
                p_user, p_at)
        RETURNING id INTO found_id;
    EXCEPTION WHEN unique_violation THEN
        -- The same key committed on other accounts meanwhile: undo ours, return theirs.
        UPDATE ledger_account SET balance = balance + p_amount WHERE id = p_debit;
        UPDATE ledger_account SET balance = balance - p_amount WHERE id = p_credit;
        SELECT id INTO found_id FROM ledger_transfer WHERE key = p_key;
        RETURN QUERY SELECT found_id, NULL::bigint, NULL::bigint, false;
        RETURN;
    END;
    RETURN QUERY SELECT found_id, d.balance - p_amount, c.balance + p_amount, true;
END;
$$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS ledger_transfer_apply(bigint, bigint, bigint, text, text,"
            " text, text, integer, bigint, timestamptz)"
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

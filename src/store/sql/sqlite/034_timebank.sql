-- The time bank (时间银行, issue 17 part 3): one hour of volunteer service
-- is one time coin. A ledger row per movement (credit from a volunteer
-- event, a transfer out and its transfer in, a redemption), coins in
-- hundredths; the balance is kept in the same transaction and may never go
-- below zero (CHECK), so sum(ledger) = balance = credited − redeemed.
CREATE TABLE timebank_entries (
    id          INTEGER PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES persons (id),
    kind        TEXT NOT NULL CHECK (kind IN ('credit', 'transfer_out', 'transfer_in', 'redeem')),
    cents       BIGINT NOT NULL,                       -- signed: + credit/in, − out/redeem
    event_id    BIGINT REFERENCES events (id),         -- credit: the volunteer event
    counterpart BIGINT REFERENCES persons (id),        -- transfer: the other relative
    rule        TEXT NOT NULL DEFAULT '',              -- redeem: data/timebank.json rule
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (event_id, person_id)                       -- an event credits a person once
);
CREATE INDEX timebank_entries_person ON timebank_entries (person_id, id);

CREATE TABLE timebank_balances (
    person_id BIGINT PRIMARY KEY REFERENCES persons (id),
    cents     BIGINT NOT NULL CHECK (cents >= 0)
);

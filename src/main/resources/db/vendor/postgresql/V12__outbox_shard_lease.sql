-- Who publishes each outbox shard (checkout.outbox.shards), and until when no other instance may (issue 19). An
-- instance claims a shard for one batch: fenced_until = the database's now() + checkout.outbox.lease, committed
-- before it sends. It sets fenced_until back to NULL, in the transaction that marks the batch published, once every
-- send of the batch was acknowledged; a crashed or cut-off instance leaves it set, and another instance takes the
-- shard only after that time, when every send the old owner started is over. Rows are added at start-up, one per
-- shard. Used on PostgreSQL only (the local run on H2 has one instance).
CREATE TABLE outbox_shard_lease (
    shard        INTEGER PRIMARY KEY,
    owner        VARCHAR(200),
    fenced_until TIMESTAMP WITH TIME ZONE
);

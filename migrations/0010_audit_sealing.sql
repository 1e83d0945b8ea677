-- Audit events are appended without a lock and sealed into their chain
-- afterwards, in order, by one sealer at a time (docs/decisions/0022). An
-- unsealed event has no chain position and no hash yet; sealing gives it the
-- next position, the hash of the event before it in its organisation's chain,
-- and its own hash, once.

alter table audit_event alter column previous_hash drop not null;
alter table audit_event alter column hash drop not null;
alter table audit_event add column chain_position bigint;
alter table audit_event add constraint audit_event_sealed_whole
  check (chain_position is null or (previous_hash is not null and hash is not null));
comment on column audit_event.chain_position is 'Order in which the sealer chained this event (one sequence for every chain); null until sealed. Verification walks the chains in this order.';
comment on column audit_event.previous_hash is 'hash of the previous event in this organisation''s chain (by chain_position), or 64 zeros for the first; null until sealed.';
comment on column audit_event.hash is 'SHA-256 over previous_hash and this row''s fields; see src/platform/audit/chain.ts. Null until sealed.';

-- The one update allowed: sealing an unsealed event, its contents untouched.
create or replace function audit_event_is_append_only() returns trigger
language plpgsql as $$
begin
  if tg_op = 'UPDATE'
    and old.chain_position is null
    and new.chain_position is not null
    and (new.id, new.organisation_id, new.occurred_at, new.actor_user_id, new.actor_label, new.action,
         new.subject_type, new.subject_id, new.reason, new.detail)
      is not distinct from
        (old.id, old.organisation_id, old.occurred_at, old.actor_user_id, old.actor_label, old.action,
         old.subject_type, old.subject_id, old.reason, old.detail)
  then
    return new;
  end if;
  raise exception 'audit_event is append-only';
end $$;

-- Events chained before this migration were chained in id order.
update audit_event set chain_position = id;

create unique index audit_event_chain_position on audit_event (chain_position);
create index audit_event_chain_end on audit_event (organisation_id, chain_position) where chain_position is not null;
create index audit_event_unsealed on audit_event (id) where chain_position is null;

-- A request that another engine instance already took to its BMC is carried on elsewhere only once
-- that owner is known alive (DESIGN §5): the owner's last heartbeat as first seen by a peer that found
-- the request in its hands. The owner is alive when its heartbeat moves past it; until then (or until
-- its heartbeat expires and its queues are held for review) nobody else sends anything for the request.
ALTER TABLE lo_power_request ADD COLUMN owner_beat_seen TIMESTAMP WITH TIME ZONE;

-- A batch places its items in their queues and their power-change processes start behind (PlacedRequests):
-- the requests whose process has not started yet are found by this index, not by reading the whole table.
CREATE INDEX ix_power_request_unstarted ON lo_power_request (process_instance_id, requested_at);

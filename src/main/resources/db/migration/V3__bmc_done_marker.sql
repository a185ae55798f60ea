-- When the BMC confirmed a request's target state, recorded at once in a transaction of its own:
-- should the job that did it fail afterwards (its commit, say), the retry must not act twice
-- (a second 'cycle' would cycle the machine again).
ALTER TABLE lo_power_request ADD COLUMN bmc_done_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE lo_power_request ADD COLUMN bmc_result VARCHAR(2000);

-- What earlier attempts of a request did at its BMC before a transient fault cut them (DESIGN §1, principle 3):
-- commands sent (counted in the request's result), a cycle's confirmed off phase (the retry only ensures on),
-- and a hard reset sent but not confirmed (never sent again without an operator).
ALTER TABLE lo_power_request ADD COLUMN commands_sent INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE lo_power_request ADD COLUMN off_reached BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE lo_power_request ADD COLUMN hard_reset_sent BOOLEAN DEFAULT FALSE NOT NULL;

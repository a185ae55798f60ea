-- The last thing a node's BMC did wrong (a failed request or a failed read), and when: shown on the node
-- until a good read clears it. A failed read no longer writes 'unknown' as if it had been observed.
ALTER TABLE lo_node ADD COLUMN bmc_error VARCHAR(2000);
ALTER TABLE lo_node ADD COLUMN bmc_error_at TIMESTAMP WITH TIME ZONE;

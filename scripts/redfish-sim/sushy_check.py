#!/usr/bin/python3
"""Drives one simulated Redfish BMC with Debian's python3-sushy (the Redfish client of OpenStack Ironic), to show
that the simulator behaves like a Redfish service to a client nobody here wrote.

  sushy_check.py BASE_URL CA_FILE|--insecure

Password from $REDFISH_SIM_PASSWORD (default lightsout-sim-pw). With a session: reads the power state, resets On,
reads, resets ForceOff, reads, closes the session; then reads once more with Basic authentication. Prints what sushy
saw as one JSON object; exits non-zero when sushy fails.
"""
import json
import os
import sys
import time

import sushy
from sushy import auth


def name(value):
    """A sushy enum's Redfish name ("On", "ForceOff"), or the value itself."""
    return getattr(value, "value", value)


def wait_for(system, state):
    for _ in range(50):
        system.refresh()
        if system.power_state == state:
            return name(state)
        time.sleep(0.1)
    return name(system.power_state)


def main(base_url, verify):
    # requests lets these variables override the CA file given to it: the file given here must count.
    for variable in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        os.environ.pop(variable, None)
    password = os.environ.get("REDFISH_SIM_PASSWORD", "lightsout-sim-pw")
    seen = {}
    session = auth.SessionAuth(username="admin", password=password)
    root = sushy.Sushy(base_url, auth=session, verify=verify)
    system = root.get_system()
    seen["system"] = system.path
    seen["initial"] = name(system.power_state)
    seen["allowed"] = sorted(name(v) for v in system.get_allowed_reset_system_values())
    system.reset_system(sushy.RESET_ON)
    seen["afterOn"] = wait_for(system, sushy.SYSTEM_POWER_STATE_ON)
    system.reset_system(sushy.RESET_FORCE_OFF)
    seen["afterForceOff"] = wait_for(system, sushy.SYSTEM_POWER_STATE_OFF)
    session.close()
    basic = sushy.Sushy(base_url, auth=auth.BasicAuth(username="admin", password=password), verify=verify)
    seen["basic"] = name(basic.get_system().power_state)
    print(json.dumps(seen, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], False if sys.argv[2] == "--insecure" else sys.argv[2])

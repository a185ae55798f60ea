#!/usr/bin/python3
"""Simulated Redfish BMCs for Lights-Out's tests, demos and benchmarks: many BMCs in one process, one port each.

Python 3 standard library only; run with Debian's /usr/bin/python3. Started and stopped by ./start and ./stop.

  redfish_sim.py serve --count N --base-port P --dir DIR [--host H] [--cert F --key F]   (no --cert: plain HTTP)
  redfish_sim.py fault DIR I key=value ...   (JSON values; key= alone removes the key; "normal" clears all)

Each BMC i lives in DIR/<i>/ (i from 0):
  port            its TCP port
  state.json      {"PowerState": "On"|"Off"} (write it to preset the state; a transition adds target/until)
  faults.json     switchable faults and quirks, re-read on every request (see FAULTS)
  events.log      "<epoch-ms> <kind> <argument> <status>" for every request that changed or tried to change
                  something: "reset ForceOff 204", "session-create 3 201", "session-delete 3 204",
                  "session-expire 3 -", "PATCH /redfish/v1/Systems/1 405"
  sessions.json   {"open", "max", "created", "deleted", "expired"}: sessions open now, most ever open at once

User "admin", password $REDFISH_SIM_PASSWORD (default lightsout-sim-pw); sessions (X-Auth-Token) or Basic.
"""
import base64
import http.client
import json
import os
import secrets
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USER = "admin"
PASSWORD = os.environ.get("REDFISH_SIM_PASSWORD", "lightsout-sim-pw")
ALL_RESET_TYPES = ["On", "ForceOn", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi",
                   "PushPowerButton", "PowerCycle"]
TURNS_ON = {"On", "ForceOn"}
TURNS_OFF = {"ForceOff", "GracefulShutdown"}

FAULTS = {
    "frozen": False,            # requests get no answer until unfrozen (then the connection is closed unanswered)
    "slowMs": 0,                # every request waits this long first
    "failing": False,           # every reset answers 500 with an ExtendedInfo message, and changes nothing
    "conflictWhenInState": False,  # On when on / ForceOff when off answers 409 "already powered on/off"
    "conflictAfterOffMs": 0,    # for this long after powering off, On answers 409 ActionParameterValueConflict
    "task": False,              # resets answer 202 with a task monitor (202 while the transition runs, then 204)
    "lagMs": 0,                 # On/Off pass through PoweringOn/PoweringOff for this long
    "softOffMs": 0,             # GracefulShutdown takes this long (default: lagMs)
    "sessionLimit": 8,          # more open sessions answer 503 (iDRAC: RAC0218)
    "sessionRequests": 0,       # > 0: a session expires after serving this many requests (the next one gets 401)
    "noSessionService": False,  # no SessionService: Basic authentication only
    "systemIds": ["1"],         # members of /redfish/v1/Systems (all share one power state)
    "allowedResetTypes": ALL_RESET_TYPES,
    "actionInfo": False,        # allowable values in a @Redfish.ActionInfo resource instead of inline
    "glitchReads": 0,           # when set, and after each reset, this many reads show PowerState glitchValue
    "glitchValue": None,        # e.g. null, "Unknown", "Reset"
    "failingPaths": [],         # these paths answer 500 to every request
}


def now_ms():
    return int(time.time() * 1000)


def write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f)
    os.replace(tmp, path)


def read_json(path, fallback):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return fallback


class JsonFile:
    """A JSON file others may rewrite at any time (tests, ./fault): read on every use, parsed only when it changed.

    Its bytes are compared, not its modification time: a file rewritten within one clock tick is seen too.
    """

    def __init__(self, path, fallback, merge=None):
        self.path, self.fallback, self.merge = path, fallback, merge
        self.raw, self.value = None, None

    def read(self):
        """The parsed content (shared: never change it), and whether it changed since the last read."""
        try:
            with open(self.path, "rb") as f:
                raw = f.read()
        except OSError:
            raw = b""
        if raw == self.raw:
            return self.value, False
        try:
            value = json.loads(raw) if raw else self.fallback
        except ValueError:
            value = self.fallback
        if self.merge is not None:
            value = dict(self.merge, **value)
        self.raw, self.value = raw, value
        return value, True


def error_body(status_code, message_id, message, resolution="None."):
    return {"error": {"code": message_id, "message": message, "@Message.ExtendedInfo": [
        {"@odata.type": "#Message.v1_1_1.Message", "MessageId": message_id, "Message": message,
         "Severity": "Warning", "Resolution": resolution}]}}


class Answer(Exception):
    """Ends a request with this status, body and headers."""

    def __init__(self, status, body=None, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


class Bmc:
    def __init__(self, index, directory, port):
        self.index = index
        self.dir = directory
        self.lock = threading.RLock()
        self.sessions = {}  # token -> [id, requests served]
        self.next_id = 1
        self.counters = {"open": 0, "max": 0, "created": 0, "deleted": 0, "expired": 0}
        self.glitches_left = 0
        self.faults_file = JsonFile(self.path("faults.json"), {}, FAULTS)
        self.state_file = JsonFile(self.path("state.json"), {"PowerState": "Off"})
        self.tasks = {}  # id -> epoch-ms when done
        os.makedirs(directory, exist_ok=True)
        with open(self.path("port"), "w") as f:
            f.write("%d\n" % port)
        if not os.path.exists(self.path("state.json")):
            write_json(self.path("state.json"), {"PowerState": "Off"})
        if not os.path.exists(self.path("faults.json")):
            write_json(self.path("faults.json"), {})
        self.save_counters()

    def path(self, name):
        return os.path.join(self.dir, name)

    def faults(self):
        with self.lock:
            faults, changed = self.faults_file.read()
            if changed:
                self.glitches_left = faults["glitchReads"]  # switching glitches on arms them at once
        return faults

    def event(self, kind, argument, status):
        with self.lock, open(self.path("events.log"), "a") as f:
            f.write("%d %s %s %s\n" % (now_ms(), kind, argument, status))

    def save_counters(self):
        write_json(self.path("sessions.json"), self.counters)

    # -- power

    def state(self):
        """The state file with a finished transition applied."""
        with self.lock:
            state = self.state_file.read()[0]
        if "target" in state and now_ms() >= state.get("until", 0):
            state = self.settle(state["target"], state)
        return state

    def settle(self, power, previous):
        state = {"PowerState": power}
        if power == "Off":
            state["offAt"] = now_ms() if previous.get("PowerState") != "Off" or "target" in previous \
                else previous.get("offAt", 0)
        write_json(self.path("state.json"), state)
        return state

    def power_state(self, faults):
        with self.lock:
            if self.glitches_left > 0:
                self.glitches_left -= 1
                return faults["glitchValue"]
            state = self.state()
            if "target" in state:
                return "PoweringOn" if state["target"] == "On" else "PoweringOff"
            return state["PowerState"]

    def reset(self, reset_type, faults):
        with self.lock:
            state = self.state()
            power = state["PowerState"] if "target" not in state else state["target"]
            if faults["failing"]:
                raise Answer(500, error_body(500, "Base.1.12.InternalError",
                                             "The request failed due to an internal service error.",
                                             "Resubmit the request. If the problem persists, reset the service."))
            if reset_type not in faults["allowedResetTypes"]:
                raise Answer(400, error_body(400, "Base.1.12.ActionParameterValueNotInList",
                                             "The value '%s' for the parameter ResetType is not in the list of "
                                             "acceptable values." % reset_type))
            if reset_type in TURNS_ON and power == "Off" and faults["conflictAfterOffMs"] > 0 \
                    and now_ms() - state.get("offAt", 0) < faults["conflictAfterOffMs"]:
                raise Answer(409, error_body(409, "Base.1.12.ActionParameterValueConflict",
                                             "The parameter ResetType with the value '%s' conflicts with the "
                                             "current state of the system." % reset_type,
                                             "Retry the operation after the system settles."))
            if faults["conflictWhenInState"] and (reset_type in TURNS_ON and power == "On"
                                                  or reset_type in TURNS_OFF and power == "Off"):
                raise Answer(409, error_body(409, "IDRAC.2.9.PSU501" if power == "On" else "IDRAC.2.9.PSU502",
                                             "Server is already powered %s." % power.upper()))
            lag = faults["lagMs"]
            if reset_type in TURNS_ON:
                target = "On"
            elif reset_type in TURNS_OFF:
                target = "Off"
                if reset_type == "GracefulShutdown" and faults["softOffMs"]:
                    lag = faults["softOffMs"]
            elif reset_type == "PushPowerButton":
                target = "Off" if power == "On" else "On"
            else:  # ForceRestart, GracefulRestart, PowerCycle, Nmi: the machine ends (or stays) as it was
                target, lag = power, 0
            if target != power and lag > 0:
                write_json(self.path("state.json"), dict(state, target=target, until=now_ms() + lag))
            elif target != power:
                self.settle(target, state)
            self.glitches_left = faults["glitchReads"]
            if faults["task"]:
                task = str(len(self.tasks) + 1)
                self.tasks[task] = now_ms() + (lag if target != power else 0)
                monitor = "/redfish/v1/TaskService/TaskMonitors/" + task
                raise Answer(202, {"@odata.id": "/redfish/v1/TaskService/Tasks/" + task, "Id": task,
                                   "TaskState": "Running", "TaskMonitor": monitor}, {"Location": monitor})
            raise Answer(204)

    def task_monitor(self, task):
        with self.lock:
            done_at = self.tasks.get(task)
        if done_at is None:
            raise Answer(404, error_body(404, "Base.1.12.ResourceNotFound", "Task %s does not exist." % task))
        if now_ms() < done_at:
            raise Answer(202, {"Id": task, "TaskState": "Running"},
                         {"Location": "/redfish/v1/TaskService/TaskMonitors/" + task})
        raise Answer(204)

    # -- sessions

    def create_session(self, body, faults):
        with self.lock:
            if body.get("UserName") != USER or body.get("Password") != PASSWORD:
                self.event("session-create", "-", 401)
                raise Answer(401, error_body(401, "Base.1.12.NoValidSession",
                                             "Authentication failed: invalid user name or password."))
            if self.counters["open"] >= faults["sessionLimit"]:
                self.event("session-create", "-", 503)
                raise Answer(503, error_body(503, "IDRAC.2.9.RAC0218",
                                             "The maximum number of user sessions is reached.",
                                             "Close one or more sessions and retry."))
            sid = str(self.next_id)
            self.next_id += 1
            token = secrets.token_hex(16)
            self.sessions[token] = [sid, 0]
            self.counters["open"] += 1
            self.counters["created"] += 1
            self.counters["max"] = max(self.counters["max"], self.counters["open"])
            self.event("session-create", sid, 201)  # the log line before the counters: a reader of
            self.save_counters()                     # sessions.json then always finds it in events.log
        location = "/redfish/v1/SessionService/Sessions/" + sid
        raise Answer(201, self.session_body(sid), {"X-Auth-Token": token, "Location": location})

    @staticmethod
    def session_body(sid):
        return {"@odata.id": "/redfish/v1/SessionService/Sessions/" + sid,
                "@odata.type": "#Session.v1_3_0.Session", "Id": sid, "Name": "User Session", "UserName": USER}

    def delete_session(self, sid):
        with self.lock:
            token = next((t for t, s in self.sessions.items() if s[0] == sid), None)
            if token is None:
                self.event("session-delete", sid, 404)
                raise Answer(404, error_body(404, "Base.1.12.ResourceNotFound", "Session %s does not exist." % sid))
            del self.sessions[token]
            self.counters["open"] -= 1
            self.counters["deleted"] += 1
            self.event("session-delete", sid, 204)
            self.save_counters()
        raise Answer(204)

    def authenticate(self, headers, faults):
        """True when the request carries a valid session token or Basic credentials; counts session use."""
        token = headers.get("X-Auth-Token")
        with self.lock:
            if token and token in self.sessions:
                session = self.sessions[token]
                if 0 < faults["sessionRequests"] <= session[1]:
                    del self.sessions[token]
                    self.counters["open"] -= 1
                    self.counters["expired"] += 1
                    self.event("session-expire", session[0], "-")
                    self.save_counters()
                    return False
                session[1] += 1
                return True
        basic = headers.get("Authorization", "")
        if basic.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(basic[6:]).decode().partition(":")
            except ValueError:
                return False
            return user == USER and password == PASSWORD
        return False


MAX_HEADERS, MAX_LINE = 100, 65536  # http.client's limits


def parse_headers(fp, _class=http.client.HTTPMessage):
    """http.client.parse_headers without the email parser (a fifth of the simulator's time per request): one header
    per line, the same limits (100 headers, 64 KiB a line) and the same errors; folded lines are not used by clients."""
    message = _class()
    for _ in range(MAX_HEADERS + 1):
        line = fp.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise http.client.LineTooLong("header line")
        if line in (b"\r\n", b"\n", b""):
            return message
        name, colon, value = line.decode("iso-8859-1").partition(":")
        if colon:
            message.set_raw(name.strip(), value.strip())
    raise http.client.HTTPException("got more than %d headers" % MAX_HEADERS)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once: no delayed-ACK stall on kept-alive connections
    wbufsize = -1  # buffered: headers and body leave in one write (one TLS record), flushed after each request
    timeout = 300  # idle keep-alive connections end after this long
    server_version = "LightsOutRedfishSim/1.0"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()

    def do_GET(self):
        self.serve("GET")

    def do_POST(self):
        self.serve("POST")

    def do_DELETE(self):
        self.serve("DELETE")

    def do_PATCH(self):
        self.serve("PATCH")

    def do_PUT(self):
        self.serve("PUT")

    def serve(self, method):
        bmc = self.server.bmc
        faults = bmc.faults()
        if faults["frozen"]:
            while bmc.faults()["frozen"]:
                time.sleep(0.1)
            self.close_connection = True
            return
        if faults["slowMs"]:
            time.sleep(faults["slowMs"] / 1000)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        try:
            if path in faults["failingPaths"]:
                raise Answer(500, error_body(500, "Base.1.12.InternalError",
                                             "The request failed due to an internal service error."))
            self.route(method, path, body, faults)
            raise Answer(404, error_body(404, "Base.1.12.ResourceNotFound", "%s does not exist." % path))
        except Answer as answer:
            if method != "GET" and not path.endswith("/Actions/ComputerSystem.Reset") \
                    and "/SessionService/Sessions" not in path:
                bmc.event(method, path, answer.status)
            self.answer(answer)

    def route(self, method, path, body, faults):
        bmc = self.server.bmc
        if body is None:
            raise Answer(400, error_body(400, "Base.1.12.MalformedJSON", "The request body is not valid JSON."))
        systems = faults["systemIds"]
        sessions = "/redfish/v1/SessionService/Sessions"
        if path == "/redfish":
            raise Answer(200, {"v1": "/redfish/v1/"})
        if path == "/redfish/v1" and method == "GET":
            raise Answer(200, self.service_root(faults))
        if path == "/redfish/v1/$metadata" or path == "/redfish/v1/odata":
            raise Answer(404, error_body(404, "Base.1.12.ResourceNotFound", "%s does not exist." % path))
        if path == sessions and method == "POST" and not faults["noSessionService"]:
            bmc.create_session(body, faults)
        if not bmc.authenticate(self.headers, faults):
            if path.endswith("/Actions/ComputerSystem.Reset"):
                bmc.event("reset", (body or {}).get("ResetType", "-"), 401)
            elif path.startswith(sessions) and method == "DELETE":
                bmc.event("session-delete", path[len(sessions) + 1:] or "-", 401)
            raise Answer(401, error_body(401, "Base.1.12.NoValidSession",
                                         "There is no valid session established with the implementation."),
                         {"WWW-Authenticate": 'Basic realm="RedfishService"'})
        if path.startswith("/redfish/v1/SessionService") and not faults["noSessionService"]:
            if path == "/redfish/v1/SessionService" and method == "GET":
                raise Answer(200, {"@odata.id": "/redfish/v1/SessionService", "Id": "SessionService",
                                   "@odata.type": "#SessionService.v1_1_8.SessionService",
                                   "Name": "Session Service", "ServiceEnabled": True, "SessionTimeout": 1800,
                                   "Sessions": {"@odata.id": sessions}})
            if path == sessions and method == "GET":
                with bmc.lock:
                    ids = sorted(s[0] for s in bmc.sessions.values())
                raise Answer(200, {"@odata.id": sessions, "Name": "Sessions", "Members@odata.count": len(ids),
                                   "Members": [{"@odata.id": sessions + "/" + i} for i in ids]})
            if path.startswith(sessions + "/") and method == "DELETE":
                bmc.delete_session(path[len(sessions) + 1:])
            if path.startswith(sessions + "/") and method == "GET":
                raise Answer(200, Bmc.session_body(path[len(sessions) + 1:]))
        if path == "/redfish/v1/Systems" and method == "GET":
            raise Answer(200, {"@odata.id": "/redfish/v1/Systems", "Name": "Computer System Collection",
                               "@odata.type": "#ComputerSystemCollection.ComputerSystemCollection",
                               "Members@odata.count": len(systems),
                               "Members": [{"@odata.id": "/redfish/v1/Systems/" + s} for s in systems]})
        for system in systems:
            base = "/redfish/v1/Systems/" + system
            if path == base and method == "GET":
                raise Answer(200, self.system(system, faults))
            if path == base + "/ResetActionInfo" and method == "GET":
                raise Answer(200, {"@odata.id": path, "Id": "ResetActionInfo", "Name": "Reset Action Info",
                                   "@odata.type": "#ActionInfo.v1_1_2.ActionInfo",
                                   "Parameters": [{"Name": "ResetType", "Required": True, "DataType": "String",
                                                   "AllowableValues": faults["allowedResetTypes"]}]})
            if path == base + "/Actions/ComputerSystem.Reset" and method == "POST":
                reset_type = body.get("ResetType")
                try:
                    bmc.reset(reset_type, faults)
                except Answer as answer:
                    bmc.event("reset", reset_type or "-", answer.status)
                    raise
        if path.startswith("/redfish/v1/TaskService/TaskMonitors/") and method == "GET":
            bmc.task_monitor(path.rsplit("/", 1)[1])
        if method != "GET":
            raise Answer(405, error_body(405, "Base.1.12.OperationNotAllowed",
                                         "The %s operation is not allowed on %s." % (method, path)))

    def service_root(self, faults):
        root = {"@odata.id": "/redfish/v1", "@odata.type": "#ServiceRoot.v1_5_0.ServiceRoot", "Id": "RootService",
                "Name": "Lights-Out simulated Redfish service", "RedfishVersion": "1.6.0",
                "UUID": "00000000-0000-4000-8000-%012d" % self.server.bmc.index,
                "Systems": {"@odata.id": "/redfish/v1/Systems"}}
        if not faults["noSessionService"]:
            root["SessionService"] = {"@odata.id": "/redfish/v1/SessionService"}
            root["Links"] = {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions"}}
        return root

    def system(self, system, faults):
        base = "/redfish/v1/Systems/" + system
        reset = {"target": base + "/Actions/ComputerSystem.Reset"}
        if faults["actionInfo"]:
            reset["@Redfish.ActionInfo"] = base + "/ResetActionInfo"
        else:
            reset["ResetType@Redfish.AllowableValues"] = faults["allowedResetTypes"]
        return {"@odata.id": base, "@odata.type": "#ComputerSystem.v1_13_0.ComputerSystem", "Id": system,
                "Name": "Simulated system %d" % self.server.bmc.index, "SystemType": "Physical",
                "UUID": "00000000-0000-4000-9000-%012d" % self.server.bmc.index,
                "PowerState": self.server.bmc.power_state(faults),
                "Boot": {"BootSourceOverrideEnabled": "Disabled", "BootSourceOverrideTarget": "None",
                         "BootSourceOverrideTarget@Redfish.AllowableValues": ["None", "Pxe", "Hdd"]},
                "Actions": {"#ComputerSystem.Reset": reset}}

    def answer(self, answer):
        data = b"" if answer.body is None else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("OData-Version", "4.0")
        if self.close_connection:
            # Said out loud, or a client that asked for it may reuse the connection before it sees it closed.
            self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class BmcServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, bmc, tls):
        self.bmc = bmc
        self.tls = tls
        super().__init__(address, Handler)

    def get_request(self):
        sock, address = self.socket.accept()
        if self.tls is not None:
            # The handshake runs in the request's thread (Handler.setup), never in the accepting one.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address):
        kind, value = sys.exc_info()[:2]
        if not isinstance(value, (ConnectionError, ssl.SSLError, TimeoutError, OSError)):
            print("BMC %d: %s: %s" % (self.bmc.index, kind.__name__, value), file=sys.stderr, flush=True)


def serve(args):
    count, base_port, directory, host = int(args["--count"]), int(args["--base-port"]), args["--dir"], \
        args.get("--host", "127.0.0.1")
    tls = None
    if "--cert" in args:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args["--cert"], args["--key"])
    servers = []
    for i in range(count):
        bmc = Bmc(i, os.path.join(directory, str(i)), base_port + i)
        try:
            servers.append(BmcServer((host, base_port + i), bmc, tls))
        except OSError as e:
            print("redfish-sim: cannot listen on %s:%d: %s" % (host, base_port + i, e), file=sys.stderr)
            sys.exit(1)
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 5}, daemon=True).start()
    with open(os.path.join(directory, "ready"), "w") as f:
        f.write("%d %s %d %s\n" % (count, host, base_port, "https" if tls else "http"))
    print("redfish-sim: %d BMCs on %s:%d-%d (%s)" % (count, host, base_port, base_port + count - 1,
                                                     "https" if tls else "http"), flush=True)
    threading.Event().wait()


def fault(directory, index, settings):
    path = os.path.join(directory, str(index), "faults.json")
    if not os.path.exists(os.path.dirname(path)):
        sys.exit("redfish-sim: no BMC %s under %s" % (index, directory))
    faults = read_json(path, {})
    for setting in settings:
        if setting == "normal":
            faults = {}
            continue
        key, sep, value = setting.partition("=")
        if not sep or key not in FAULTS:
            sys.exit("redfish-sim: unknown fault '%s' (known: normal, %s)" % (setting, ", ".join(FAULTS)))
        if value == "":
            faults.pop(key, None)
        else:
            try:
                faults[key] = json.loads(value)
            except ValueError:
                faults[key] = value
    write_json(path, faults)


def main(argv):
    if len(argv) >= 1 and argv[0] == "serve":
        http.client.parse_headers = parse_headers  # what http.server's request parsing calls
        options = dict(zip(argv[1::2], argv[2::2]))
        if not {"--count", "--base-port", "--dir"} <= options.keys():
            sys.exit(__doc__)
        serve(options)
    elif len(argv) >= 3 and argv[0] == "fault":
        fault(argv[1], argv[2], argv[3:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

# Posts N calls over 50 HTTP connections to a Lights-Out on 127.0.0.1:PORT as admin: nodes | e2e | hold | queue.
# usage: load.py PORT WHAT N NODES
import sys, json, base64, threading, http.client, queue
port=int(sys.argv[1]); what=sys.argv[2]; n=int(sys.argv[3]); nodes=int(sys.argv[4])
auth="Basic "+base64.b64encode(b"admin:rss-admin-Pw9").decode()
q=queue.Queue()
for i in range(n): q.put(i)
counts={}
lock=threading.Lock()
def worker():
    c=http.client.HTTPConnection("127.0.0.1",port,timeout=60)
    while True:
        try: i=q.get_nowait()
        except queue.Empty: return
        if what=="nodes":
            path="/api/v1/nodes"; body={"id":f"n{i}","bmc":{"driver":"sim","host":f"sim-{i}","username":"admin","password":"secret","options":{"latencyMs":"0"}}}
        elif what=="hold":
            path=f"/api/v1/nodes/n{i}/hold"; body={"reason":"rss"}
        else:
            path=f"/api/v1/nodes/n{i%nodes}/power-requests"; body={"action":"off" if (i//nodes)%2==0 else "on","reason":"rss"}
        c.request("POST",path,json.dumps(body),{"Authorization":auth,"Content-Type":"application/json"})
        r=c.getresponse(); r.read()
        with lock: counts[r.status]=counts.get(r.status,0)+1
ts=[threading.Thread(target=worker) for _ in range(50)]
[t.start() for t in ts]; [t.join() for t in ts]
print(what, counts)

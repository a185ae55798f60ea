package io.lightsout.power;

/** Starts a request's power-change process; the queue join runs inside that start (a port). */
public interface PowerProcessStarter {

  Started start(JoinCommand command);

  record Started(String processInstanceId, JoinOutcome outcome) {}
}

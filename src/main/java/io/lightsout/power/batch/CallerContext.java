package io.lightsout.power.batch;

/**
 * Carries the caller of the current thread (who asks: it becomes each request's {@code requestedBy}) over to
 * the thread that submits a lane of a batch (a port: the engine keeps the caller per thread).
 */
public interface CallerContext {

  /** The task, wrapped to run as the caller of the thread calling this method. */
  Runnable carry(Runnable task);
}

package io.lightsout.power.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lightsout.power.PowerRequestView;

/**
 * What one item of a batch got: {@code 202} with the request it became (queued, running or merged), or its
 * problem ({@code 400}, {@code 404}, {@code 409}, {@code 503} with {@code retryAfter} seconds).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemAnswer(int index, int status, PowerRequestView request, String problem, Long retryAfter) {
}
